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

/** Draws the chart from the roll-ups when the delivery job sends it; nothing to draw, nothing posted. */
async function postChart(ctx: AppContext, item: Delivery): Promise<SendOutcome<unknown>> {
  const { workspaceId, end } = item.payload as unknown as ChartRequest;
  const endsAt = new Date(end);
  const incidents = await readIncidentSnapshots(ctx.store.models, workspaceId, chartReach(endsAt));
  const days = dailyResponseTimes(incidents, endsAt);
  if (!hasResponseTimes(days)) return { status: "done", value: undefined };
  const policies = ctx.config.incidents.severityPolicy;
  const { timeZone } = ctx.config.reports;
  const png = renderResponseTimesChart(days, policies, timeZone);
  const { comment, altText } = describeResponseTimes(days, policies, timeZone);
  return ctx.notifier.uploadFile(item.channel, {
    filename: `mtta-mttr-${end.slice(0, 10)}.png`,
    title: "MTTA and MTTR per day, last 30 days",
    content: png,
    comment,
    altText,
  });
}

export function chartDeliveryHandlers(ctx: AppContext): Record<string, DeliveryHandler> {
  return { [CHART_WORK]: { send: (item) => postChart(ctx, item) } };
}
