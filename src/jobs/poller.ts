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
 * A job may poll in a loop of its own, at its own interval (`ownLoopMs`: the escalation timer).
 */
export interface DueJob {
  name: string;
  /** Does the work due at `now`; returns how many items it handled. Must be safe to run on several processes. */
  runDue(now: Date): Promise<number>;
  /**
   * Polled in a loop of its own, a pass starting every this many milliseconds (at once when one overran),
   * so a long pass of the other jobs (a Slack backlog in the delivery queue) never delays it. `tick()` still
   * runs it in its place among the others.
   */
  ownLoopMs?: number;
}

/** Jobs polled together: one pass at a time, the next scheduled when one ends. */
interface Loop {
  jobs: readonly DueJob[];
  intervalMs: number;
  /** Passes start every interval rather than an interval after the previous one ended. */
  fromStart: boolean;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
}

export class Poller {
  private readonly loops: Loop[];
  private stopped = true;

  constructor(
    private readonly jobs: readonly DueJob[],
    private readonly clock: Clock,
    private readonly logger: Logger,
    intervalMs = 1_000,
  ) {
    const shared = jobs.filter((job) => job.ownLoopMs === undefined);
    this.loops = [
      ...jobs.flatMap(({ ownLoopMs }, i) =>
        ownLoopMs === undefined
          ? []
          : [{ jobs: jobs.slice(i, i + 1), intervalMs: ownLoopMs, fromStart: true }],
      ),
      ...(shared.length > 0 ? [{ jobs: shared, intervalMs, fromStart: false }] : []),
    ];
  }

  start(): void {
    this.stopped = false;
    for (const loop of this.loops) this.schedule(loop, 0);
  }

  /**
   * One pass over every job, in order, at the clock's now. A tick during a pass (of any loop) runs after it,
   * reading the clock afresh, so a test that moves its clock and ticks always sees a pass that started
   * after the move.
   */
  tick(): Promise<void> {
    return this.exclusive(this.loops, this.jobs);
  }

  /** Stops polling and waits for the passes in progress, so shutdown never cuts a step in half. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const loop of this.loops) clearTimeout(loop.timer);
    await Promise.all(this.loops.map((loop) => loop.running));
  }

  /** A pass of `jobs` once the passes in progress of `loops` are over; their next ones wait for it. */
  private exclusive(loops: readonly Loop[], jobs: readonly DueJob[]): Promise<void> {
    const next = Promise.all(loops.map((loop) => loop.running)).then(() => this.pass(jobs));
    const settled = next.finally(() => {
      for (const loop of loops) if (loop.running === settled) loop.running = undefined;
    });
    for (const loop of loops) loop.running = settled;
    return settled;
  }

  private schedule(loop: Loop, delayMs: number): void {
    if (this.stopped) return;
    loop.timer = setTimeout(() => {
      const started = Date.now();
      void this.exclusive([loop], loop.jobs).then(() => {
        const elapsed = loop.fromStart ? Date.now() - started : 0;
        this.schedule(loop, Math.max(0, loop.intervalMs - elapsed));
      });
    }, delayMs);
  }

  private async pass(jobs: readonly DueJob[]): Promise<void> {
    const now = this.clock.now();
    for (const job of jobs) {
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
