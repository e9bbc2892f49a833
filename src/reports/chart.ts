import { renderResponseTimesChart } from "../charts/response-times.ts";
import type { AppContext } from "../context.ts";
import {
  chartReach,
  dailyResponseTimes,
  describeResponseTimes,
  hasResponseTimes,
} from "../domain/response-times.ts";
import type { DeliveryHandler } from "../jobs/deliveries.ts";
import type { SendOutcome } from "../send-outcome.ts";
import type { Delivery } from "../store/deliveries.ts";
import { readIncidentSnapshots } from "../store/report-rollups.ts";

/**
 * The daily and weekly reports' chart: MTTA and MTTR per day over the last 30 days, drawn as a PNG and
 * shared in the report channel. It is its own queued item, keyed by the report and queued with it in the
 * report channel's lane, so it goes out after the report's message, once, and a failed upload is retried
 * without posting the report again.
 */

export const CHART_WORK = "post-report-chart";

/** The queued item's payload: which report's chart. */
export interface ChartRequest {
  workspaceId: string;
  /** The report's end (its scheduled time, or when it was asked for). */
  end: string;
}

/**
 * The chart of the 30 days before `end`, from the roll-ups (one `_id` read per day), with its figures in
 * words; undefined when those days hold nothing to draw.
 */
export async function drawChartFor(
  ctx: Pick<AppContext, "config" | "store">,
  request: { workspaceId: string; end: Date },
): Promise<{ png: Buffer; comment: string; altText: string } | undefined> {
  const incidents = await readIncidentSnapshots(
    ctx.store.models,
    request.workspaceId,
    chartReach(request.end),
  );
  const days = dailyResponseTimes(incidents, request.end);
  if (!hasResponseTimes(days)) return undefined;
  const policies = ctx.config.incidents.severityPolicy;
  const { timeZone } = ctx.config.reports;
  return {
    png: renderResponseTimesChart(days, policies, timeZone),
    ...describeResponseTimes(days, policies, timeZone),
  };
}

/** Draws the chart when the delivery job sends it, from the roll-ups as they are then. */
async function postChart(ctx: AppContext, item: Delivery): Promise<SendOutcome<unknown>> {
  const { workspaceId, end } = item.payload as unknown as ChartRequest;
  const chart = await drawChartFor(ctx, { workspaceId, end: new Date(end) });
  if (!chart) return { status: "done", value: undefined };
  return ctx.notifier.uploadFile(item.channel, {
    filename: `mtta-mttr-${end.slice(0, 10)}.png`,
    title: "MTTA and MTTR per day, last 30 days",
    content: chart.png,
    comment: chart.comment,
    altText: chart.altText,
  });
}

export function chartDeliveryHandlers(ctx: AppContext): Record<string, DeliveryHandler> {
  return { [CHART_WORK]: { send: (item) => postChart(ctx, item) } };
}
