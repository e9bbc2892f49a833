import type { AppContext } from "../context.ts";
import { type Alert, updateAlert } from "../store/alerts.ts";

/** Posts the alert's one message (first firing) in its route's channel, else ALERTS_CHANNEL, and remembers where. */
export async function postAlertMessage(ctx: AppContext, alert: Alert, routeChannel?: string): Promise<Alert> {
  const channel = routeChannel ?? ctx.config.channels.alerts;
  if (!channel) {
    ctx.logger.warn(
      { alert: alert.id },
      "no channel for this alert (set ALERTS_CHANNEL): recorded but not posted",
    );
    return alert;
  }
  const posted = await ctx.notifier.post(channel, { kind: "alert", alert });
  if (posted.status !== "done") {
    ctx.logger.error({ alert: alert.id, error: posted.code }, "could not post the alert");
    return alert;
  }
  return (await updateAlert(ctx.store.models, alert.id, { message: posted.value })) ?? alert;
}

/** Edits the alert's message in place to match its state: no new message per repeat or escalation. */
export async function refreshAlertMessage(ctx: AppContext, alert: Alert): Promise<void> {
  if (!alert.message) return;
  const updated = await ctx.notifier.update(alert.message, { kind: "alert", alert });
  if (updated.status !== "done")
    ctx.logger.warn({ alert: alert.id, error: updated.code }, "could not update the alert message");
}
