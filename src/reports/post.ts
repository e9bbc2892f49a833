import type { AppContext } from "../context.ts";
import { previousCronTime } from "../domain/cron.ts";
import { REPORT_KINDS, type ReportKind } from "../domain/report.ts";
import type { DeliveryHandler } from "../jobs/deliveries.ts";
import type { SendOutcome } from "../send-outcome.ts";
import { claimOnce, releaseClaim } from "../store/claims.ts";
import { type Delivery, enqueueDelivery } from "../store/deliveries.ts";
import { buildReportFor } from "./build.ts";
import { CHART_WORK, type ChartRequest, chartDeliveryHandlers } from "./chart.ts";

/**
 * Posting a report: a claim keyed by the report's kind and period decides who posts it (so two processes
 * triggered at the same minute, or a trigger retried, post it once), then it is queued as Slack work in
 * the report channel's lane, where the delivery job paces it and retries what Slack refuses for now.
 */

export const REPORT_WORK = "post-report";

/** A report scheduled this long ago is still posted at start-up; an older one is skipped as stale news. */
export const CATCH_UP_MS = 12 * 3_600_000;
/** Posted later than this after its scheduled time, a report says it is late. */
export const LATE_AFTER_MS = 60_000;

export type ScheduledOutcome =
  | { status: "queued"; scheduledAt: Date; late: boolean }
  | { status: "already_posted"; scheduledAt: Date }
  | { status: "not_due" };

/**
 * Queues the report of the latest scheduled time at or before now (within CATCH_UP_MS), once across every
 * process and every retry. node-cron calls it at the scheduled minute; start-up calls it for a missed one.
 */
export async function requestScheduledReport(ctx: AppContext, kind: ReportKind): Promise<ScheduledOutcome> {
  const { channel, schedules, timeZone } = ctx.config.reports;
  const schedule = schedules[kind];
  if (!channel || !schedule) return { status: "not_due" };
  const now = ctx.clock.now();
  const scheduledAt = previousCronTime(schedule.fields, timeZone, now);
  if (!scheduledAt || now.getTime() - scheduledAt.getTime() > CATCH_UP_MS) return { status: "not_due" };
  const me = await ctx.notifier.whoAmI();
  if (me.status !== "done")
    throw new Error(`the report waits for Slack to say which workspace this is (${me.status})`);
  const period = `${kind}:${me.value.workspaceId}:${scheduledAt.toISOString()}`;
  if (!(await claimOnce(ctx.store.models, `report:${period}`)))
    return { status: "already_posted", scheduledAt };
  const late = now.getTime() - scheduledAt.getTime() > LATE_AFTER_MS;
  try {
    await queueReport(ctx, period, channel, now, {
      kind,
      workspaceId: me.value.workspaceId,
      end: scheduledAt.toISOString(),
      ...(late && { lateFor: scheduledAt.toISOString() }),
    });
  } catch (error) {
    // Not queued: give the period back, so the next trigger or start-up can post it.
    await releaseClaim(ctx.store.models, `report:${period}`).catch(() => false);
    throw error;
  }
  ctx.logger.info({ kind, scheduledAt, late }, "report queued");
  return { status: "queued", scheduledAt, late };
}

/** Queues a report asked for by a person (`/incident report`), once per request (its trigger id). */
export async function requestReportNow(
  ctx: AppContext,
  request: { kind: ReportKind; workspaceId: string; requestKey: string },
): Promise<"queued" | "already_queued" | "no_channel"> {
  const channel = ctx.config.reports.channel;
  if (!channel) return "no_channel";
  const key = `report-request:${request.workspaceId}:${request.requestKey}`;
  if (!(await claimOnce(ctx.store.models, key))) return "already_queued";
  const now = ctx.clock.now();
  await queueReport(ctx, key, channel, now, {
    kind: request.kind,
    workspaceId: request.workspaceId,
    end: now.toISOString(),
  });
  return "queued";
}

type ReportRequest = ChartRequest & { kind: ReportKind; lateFor?: string };

/**
 * Queues the report's message and, for the daily and weekly reports, its chart right behind it in the
 * channel's lane, keyed by the report (`post-report:<id>`, `post-report-chart:<id>`), so a repeated request
 * queues neither twice.
 */
async function queueReport(
  ctx: AppContext,
  id: string,
  channel: string,
  at: Date,
  request: ReportRequest,
): Promise<void> {
  const { models } = ctx.store;
  const report = { key: `${REPORT_WORK}:${id}`, kind: REPORT_WORK, channel, payload: { ...request }, at };
  await enqueueDelivery(models, report);
  if (request.kind === "monthly") return;
  const chart: ChartRequest = { workspaceId: request.workspaceId, end: request.end };
  await enqueueDelivery(models, {
    key: `${CHART_WORK}:${id}`,
    kind: CHART_WORK,
    channel,
    payload: { ...chart },
    at,
  });
}

/** Builds the report when the delivery job sends it, from the roll-ups as they are then. */
async function postReport(ctx: AppContext, item: Delivery): Promise<SendOutcome<unknown>> {
  const payload = item.payload as { kind: string; workspaceId: string; end: string; lateFor?: string };
  const kind = REPORT_KINDS.find((k) => k === payload.kind);
  if (!kind) return { status: "done", value: undefined };
  const report = await buildReportFor(ctx, {
    kind,
    workspaceId: payload.workspaceId,
    end: new Date(payload.end),
    lateFor: payload.lateFor ? new Date(payload.lateFor) : undefined,
  });
  return ctx.notifier.post(item.channel, { kind: "report", report });
}

export function reportDeliveryHandlers(ctx: AppContext): Record<string, DeliveryHandler> {
  return { [REPORT_WORK]: { send: (item) => postReport(ctx, item) }, ...chartDeliveryHandlers(ctx) };
}
