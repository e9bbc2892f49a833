import { withCorrelation } from "../correlation.ts";
import type { Clock } from "../domain/clock.ts";
import type { Logger } from "../logger.ts";
import { newReference } from "../reference.ts";

/**
 * The database is the clock: every due time (an archive, an escalation step) is stored on its record, and
 * this poller asks each job for work that is due now. Nothing is promised only in memory, so a restart
 * loses nothing: the first pass after start-up finds whatever fell due while the process was down.
 * A pass every second keeps a due step within about a second of its time at a cost of one indexed query
 * per job per second, which is cheaper and simpler than keeping wake-up timers in step with the database.
 */
export interface DueJob {
  name: string;
  /** Does the work due at `now`; returns how many items it handled. Must be safe to run on several processes. */
  runDue(now: Date): Promise<number>;
}

export class Poller {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly jobs: readonly DueJob[],
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly intervalMs = 1_000,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /**
   * One pass over every job at the clock's now. A tick during a pass runs after it, reading the clock
   * afresh, so a test that moves its clock and ticks always sees a pass that started after the move.
   */
  tick(): Promise<void> {
    const next = (this.running ?? Promise.resolve()).then(() => this.pass());
    const settled = next.finally(() => {
      if (this.running === settled) this.running = undefined;
    });
    this.running = settled;
    return settled;
  }

  /** Stops polling and waits for a pass in progress, so shutdown never cuts a step in half. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.tick().then(() => this.schedule(this.intervalMs));
    }, delayMs);
  }

  private async pass(): Promise<void> {
    const now = this.clock.now();
    for (const job of this.jobs) {
      // Each job's run has a correlation id of its own: every line it logs carries it.
      await withCorrelation(newReference(), async () => {
        try {
          const handled = await job.runDue(now);
          if (handled > 0) this.logger.info({ job: job.name, handled }, "due work done");
        } catch (error) {
          // One failing job must not starve the others; it is retried on the next pass.
          this.logger.error({ err: error, job: job.name }, "due work failed; will retry");
        }
      });
    }
  }
}
