import type { AppContext } from "../context.ts";
import type { StormAlert } from "../domain/storm.ts";
import type { Alert } from "../store/alerts.ts";
import { enqueueDelivery } from "../store/deliveries.ts";

/** The kinds of queued Slack work alerts make (src/alerts/deliveries.ts does each). */
export const ALERT_WORK = {
  post: "post-alert",
  refresh: "refresh-alert",
  page: "page",
  pagingLine: "paging-line",
  declare: "declare-incident",
} as const;

/**
 * What a storm summary shows of an alert, carried in its post and page items: fields fixed when the alert
 * opens, so folding a batch into a summary reads no alert for them (a storm's alerts cost their own writes
 * only, not a read each on top).
 */
export const stormSnapshot = (alert: Alert) => ({
  storm: {
    id: alert.id,
    title: alert.title,
    severity: alert.severity,
    service: alert.service,
    firedAt: alert.firstFiredAt,
  } satisfies StormAlert,
});

/** Where queued work goes in its lane's order: when and in which place the alert arrived. */
export interface ArrivalOrder {
  at: Date;
  seq: number;
}

/**
 * Queues the alert's one message (first firing) in its route's channel, else ALERTS_CHANNEL; the delivery
 * job posts it, or folds it into the channel's storm summary.
 */
export async function queueAlertPost(
  ctx: AppContext,
  alert: Alert,
  routeChannel?: string,
  order?: ArrivalOrder,
): Promise<void> {
  const channel = routeChannel ?? ctx.config.channels.alerts;
  if (!channel) {
    ctx.logger.warn(
      { alert: alert.id },
      "no channel for this alert (set ALERTS_CHANNEL): recorded but not posted",
    );
    return;
  }
  await enqueueDelivery(ctx.store.models, {
    key: `${ALERT_WORK.post}:${alert.id}`,
    kind: ALERT_WORK.post,
    channel,
    payload: { alertId: alert.id, ...stormSnapshot(alert) },
    ...(order ?? { at: ctx.clock.now() }),
  });
}

/**
 * Queues an edit of the alert's message to its latest state (no new message per repeat or escalation);
 * refreshes asked for while one is pending coalesce into it. An alert with no message yet needs none: its
 * post renders the latest state (and refreshes itself if the alert changed while it was being posted).
 * An alert folded into a storm, and an incident's escalation, have no message of their own.
 */
export async function queueAlertRefresh(ctx: AppContext, alert: Alert): Promise<void> {
  if (!alert.message) return;
  await enqueueDelivery(ctx.store.models, {
    key: `${ALERT_WORK.refresh}:${alert.id}`,
    kind: ALERT_WORK.refresh,
    channel: alert.message.channelId,
    payload: { alertId: alert.id },
    at: ctx.clock.now(),
  });
}
