import type { ArmedTimer } from "../store/armed-alerts.ts";
import { HeardDuringScan } from "./heard-during-scan.ts";

/** How far ahead one scan of the armed set looks: the timers due in that window are kept until the next. */
export const LOOKAHEAD_MS = 10_000;
/**
 * A scan at most this often. On FerretDB a scan reads every entry armed (~40 µs each), however few are
 * due: with 10,000 armed, a scan a second cost the database ~0.4 s of CPU a second. A timer another process
 * arms due sooner than this may wait up to this long; this process's own are heard at once (`heard`).
 */
export const RESCAN_MS = 5_000;
/** Entries one scan reads at most; when it is full, the window ends at its last due time. */
const SCAN_LIMIT = 5_000;

/**
 * The escalation timers due soon, read from the armed set (the database stays the clock: every entry is
 * there, and each alert is re-read before its step fires) and kept in memory between scans, so a pass
 * finds what is due without reading everything armed.
 */
export class UpcomingTimers {
  /** Alert id → due time (ms), for every entry armed with a due time up to `horizon`. */
  private entries = new Map<string, number>();
  private scannedAt: number | undefined;
  /** Every entry due by then is in `entries` (or was taken and fired). */
  private horizon = Number.NEGATIVE_INFINITY;
  /** Timers heard while a scan is in flight: the scan may have read their entries before they were written. */
  private readonly duringScan = new HeardDuringScan<ArmedTimer>();

  constructor(private readonly scan: (until: Date, limit: number) => Promise<ArmedTimer[]>) {}

  /** A timer this process has just armed. */
  heard(timer: ArmedTimer): void {
    this.duringScan.note(timer);
    if (timer.dueAt.getTime() <= this.horizon) this.entries.set(timer.id, timer.dueAt.getTime());
  }

  /**
   * Up to `limit` timers due at `now`, soonest first, taken out of the list (a step not fired is `putBack`).
   * Scans the armed set first when the last scan is older than RESCAN_MS, when the clock went past its
   * window, or back before it.
   */
  async takeDue(now: Date, limit: number): Promise<string[]> {
    const at = now.getTime();
    const { scannedAt } = this;
    if (scannedAt === undefined || at < scannedAt || at >= scannedAt + RESCAN_MS || at >= this.horizon)
      await this.rescan(at);
    const due = [...this.entries].filter(([, dueAt]) => dueAt <= at).sort((a, b) => a[1] - b[1]);
    const taken = due.slice(0, limit).map(([id]) => id);
    for (const id of taken) this.entries.delete(id);
    return taken;
  }

  /** Timers taken but not fired (held by another process, or waiting for Slack): tried again next pass. */
  putBack(timers: readonly ArmedTimer[]): void {
    for (const timer of timers) this.entries.set(timer.id, timer.dueAt.getTime());
  }

  private rescan(at: number): Promise<void> {
    return this.duringScan.scan(
      () => this.scan(new Date(at + LOOKAHEAD_MS), SCAN_LIMIT),
      (found) => {
        const last = found.at(-1);
        this.horizon = found.length === SCAN_LIMIT && last ? last.dueAt.getTime() : at + LOOKAHEAD_MS;
        this.entries = new Map(found.map((timer) => [timer.id, timer.dueAt.getTime()]));
        this.scannedAt = at;
      },
      (timer) => this.heard(timer),
    );
  }
}
