import type { Severity } from "../../domain/incident.ts";
import type { Alert } from "../../store/alerts.ts";
import { declareIncident } from "../incidents/declare.ts";
import { slackErrorCode } from "../incidents/flow-context.ts";
import { linkAlertToIncident } from "./alert-changes.ts";
import type { AlertContext } from "./alert-context.ts";

/**
 * Declares the incident a routed alert calls for (by default: critical alerts, SEV1), once per alert: the
 * declare is keyed by the alert, so a retried webhook or a second process does not declare twice.
 */
export async function declareFromAlert(ctx: AlertContext, alert: Alert, severity: Severity): Promise<void> {
  try {
    const me = await ctx.client.auth.test();
    if (!me.team_id || !me.user_id) throw new Error("auth.test returned no team or user");
    const { incident } = await declareIncident(ctx, {
      workspaceId: me.team_id,
      declareKey: `alert:${alert.id}`,
      title: alert.title,
      description: alert.description,
      severity,
      services: alert.service ? [alert.service] : [],
      reporterId: me.user_id,
      isPrivate: false,
      fromAlert: true,
    });
    await linkAlertToIncident(ctx, alert.id, incident.number);
  } catch (error) {
    ctx.logger.error(
      { alert: alert.id, error: slackErrorCode(error) },
      "could not declare the incident for an alert",
    );
  }
}
