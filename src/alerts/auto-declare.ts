import type { AppContext } from "../context.ts";
import type { Severity } from "../domain/incident.ts";
import { requestDeclare } from "../incidents/declare.ts";
import type { Alert } from "../store/alerts.ts";

/**
 * Declares the incident a routed alert calls for (by default: critical alerts, SEV1), once per alert: the
 * declare is keyed by the alert, so a retried webhook or a second process does not declare twice.
 */
export async function declareFromAlert(ctx: AppContext, alert: Alert, severity: Severity): Promise<void> {
  const me = await ctx.notifier.whoAmI();
  if (me.status !== "done") {
    ctx.logger.error({ alert: alert.id, error: me.code }, "could not declare the incident for an alert");
    return;
  }
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
  }).catch((error: unknown) =>
    ctx.logger.error({ alert: alert.id, err: error }, "could not declare the incident for an alert"),
  );
}
