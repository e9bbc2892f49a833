import type { AppContext } from "../context.ts";
import type { Severity } from "../domain/incident.ts";
import { requestDeclare } from "../incidents/declare.ts";
import type { SendOutcome } from "../send-outcome.ts";
import type { Alert } from "../store/alerts.ts";
import { enqueueDelivery } from "../store/deliveries.ts";
import { ALERT_WORK } from "./alert-messages.ts";

/** Auto-declares queue in a lane of their own: a slow declare never holds up an alerts channel. */
const DECLARE_LANE = "auto-declare";

/** Queues the incident a routed alert calls for (by default: critical alerts, SEV1), once per alert. */
export async function queueDeclareFromAlert(
  ctx: AppContext,
  alert: Alert,
  severity: Severity,
): Promise<void> {
  await enqueueDelivery(ctx.store.models, {
    key: `${ALERT_WORK.declare}:${alert.id}`,
    kind: ALERT_WORK.declare,
    channel: DECLARE_LANE,
    payload: { alertId: alert.id, severity },
    at: ctx.clock.now(),
  });
}

/**
 * Declares the incident for an alert. The declare is keyed by the alert, so a retry (Slack was down) or a
 * second process does not declare twice. Slack must answer first: while it is down the work waits.
 */
export async function declareFromAlert(
  ctx: AppContext,
  alert: Alert,
  severity: Severity,
): Promise<SendOutcome> {
  const me = await ctx.notifier.whoAmI();
  if (me.status !== "done") return me;
  await requestDeclare(ctx, {
    workspaceId: me.value.workspaceId,
    declareKey: `alert:${alert.id}`,
    title: alert.title,
    description: alert.description,
    severity,
    services: alert.service ? [alert.service] : [],
    reporterId: me.value.userId,
    isPrivate: false,
    fromAlert: true,
    alertId: alert.id,
  });
  return { status: "done", value: undefined };
}
