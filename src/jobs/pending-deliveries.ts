import type { Delivery, QueueChange } from "../store/deliveries.ts";
import { HeardDuringScan } from "./heard-during-scan.ts";

/**
 * A scan of the queue at most this often while nothing says it is out of date. On FerretDB a scan decodes
 * every pending item (~0.2 ms each: 1,000 items waiting out a storm's first posts cost ~0.2 s of database
 * CPU a pass). Work another process queues, or changes without working its channel, may wait this long.
 */
export const RESCAN_MS = 5_000;

/**
 * After a scan that hit its limit, the next comes as soon as the job has worked off more than half of what it
 * returned (but not within this long of the last): work queued meanwhile waits for a scan (it must not
 * overtake older unread work), so waiting the full RESCAN_MS capped the job at `limit` items every 5 s,
 * below what an alert storm queues (measured: 400 items a second at 200 alerts/s, a post and a page each,
 * and the backlog, and with it every FerretDB scan, grew without end).
 */
export const PARTIAL_RESCAN_MS = 1_000;

/** Queue order: when the work was queued, then its place among work queued in the same millisecond. */
const inQueueOrder = (a: Delivery, b: Delivery) =>
  a.enqueuedAt.getTime() - b.enqueuedAt.getTime() || a.seq - b.seq;

/**
 * The pending Slack work as the delivery job last scanned it, kept in memory between scans and kept
 * current with this process's own changes (`heard`). The database stays the source of truth: the job
 * re-reads a channel's first item by `_id` before it works the channel, and asks for a scan (`outOfDate`)
 * when that item, or the channel's lease, shows another process at work there.
 */
export class PendingDeliveries {
  private items = new Map<string, Delivery>();
  private scannedAt: number | undefined;
  /** The last scan read every pending item (fewer than its limit): work queued since can join it. */
  private complete = false;
  private current = false;
  private readonly duringScan = new HeardDuringScan<QueueChange>();

  constructor(
    private readonly scan: (limit: number) => Promise<Delivery[]>,
    private readonly limit: number,
  ) {}

  /** A change this process made to the queue. */
  heard(change: QueueChange): void {
    this.duringScan.note(change);
    if (change.kind === "removed") for (const key of change.keys) this.items.delete(key);
    // With a partial scan, newer work is left for the scan that reaches it, as an unscanned older item of
    // the same channel must go first.
    else if (this.complete || this.items.has(change.item.key)) this.items.set(change.item.key, change.item);
  }

  /** Another process changed the queue: the next call scans it again. */
  outOfDate(): void {
    this.current = false;
  }

  /**
   * Every pending item known, in queue order; scans first when out of date, RESCAN_MS after the last, or
   * when what a partial scan returned is mostly worked off (PARTIAL_RESCAN_MS).
   */
  async inOrder(now: Date): Promise<Delivery[]> {
    if (this.dueForScan(now.getTime())) await this.rescan(now.getTime());
    return [...this.items.values()].sort(inQueueOrder);
  }

  private dueForScan(at: number): boolean {
    const { scannedAt } = this;
    if (!this.current || scannedAt === undefined || at < scannedAt) return true;
    if (at >= scannedAt + RESCAN_MS) return true;
    const workedOff = !this.complete && this.items.size < this.limit / 2;
    return workedOff && at >= scannedAt + PARTIAL_RESCAN_MS;
  }

  private rescan(at: number): Promise<void> {
    return this.duringScan.scan(
      () => this.scan(this.limit),
      (found) => {
        this.items = new Map(found.map((item) => [item.key, item]));
        this.complete = found.length < this.limit;
        this.scannedAt = at;
        this.current = true;
      },
      (change) => this.heard(change),
    );
  }
}
