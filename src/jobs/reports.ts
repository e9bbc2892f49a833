import { type ScheduledTask, schedule } from "node-cron";
import type { AppContext } from "../context.ts";
import { withCorrelation } from "../correlation.ts";
import { REPORT_KINDS, type ReportKind } from "../domain/report.ts";
import { newReference } from "../reference.ts";
import { requestScheduledReport, type ScheduledOutcome } from "../reports/post.ts";
import type { DueJob } from "./poller.ts";

/**
 * The report schedules. node-cron only triggers: at each scheduled minute it asks for the report of the
 * latest scheduled time, and the claim behind that request decides which process posts it
 * (src/reports/post.ts). As a due job it runs once after start-up, to post a report missed while the bot
 * was down (once, saying it is late); after that pass it does nothing.
 */
export class ReportScheduler implements DueJob {
  readonly name = "post missed reports";
  private readonly tasks: ScheduledTask[] = [];
  private caughtUp = false;

  constructor(private readonly ctx: AppContext) {}

  /** Starts node-cron's timers for each report that has a schedule, when there is a report channel. */
  start(): void {
    const { channel, schedules, timeZone } = this.ctx.config.reports;
    if (!channel) return;
    for (const kind of REPORT_KINDS) {
      const planned = schedules[kind];
      if (!planned) continue;
      // Each scheduled run logs under a correlation id of its own, as the poller's jobs do.
      const task = schedule(planned.cron, () => withCorrelation(newReference(), () => this.trigger(kind)), {
        timezone: timeZone,
        name: `${kind}-report`,
        noOverlap: true,
      });
      this.tasks.push(task);
    }
  }

  /** What node-cron runs at a scheduled minute; a failure is logged, and start-up's catch-up covers it. */
  async trigger(kind: ReportKind): Promise<ScheduledOutcome | undefined> {
    try {
      return await requestScheduledReport(this.ctx, kind);
    } catch (error) {
      this.ctx.logger.error({ err: error, kind }, "the scheduled report could not be queued");
      return undefined;
    }
  }

  async runDue(): Promise<number> {
    if (this.caughtUp || !this.ctx.config.reports.channel) return 0;
    let queued = 0;
    // Throws while Slack cannot say which workspace this is: the poller tries again on its next pass.
    for (const kind of REPORT_KINDS)
      if ((await requestScheduledReport(this.ctx, kind)).status === "queued") queued += 1;
    this.caughtUp = true;
    return queued;
  }

  async stop(): Promise<void> {
    await Promise.all(this.tasks.map((task) => task.destroy()));
    this.tasks.length = 0;
  }
}
