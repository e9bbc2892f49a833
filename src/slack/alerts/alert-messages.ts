import type { Alert } from "../../store/alerts.ts";
import { updateAlert } from "../../store/alerts.ts";
import { slackErrorCode } from "../incidents/flow-context.ts";
import { alertMessage } from "../views/alert-message.ts";
import type { AlertContext } from "./alert-context.ts";

/** Posts the alert's one message (first firing) in its route's channel, else ALERTS_CHANNEL, and remembers where. */
export async function postAlertMessage(
  ctx: AlertContext,
  alert: Alert,
  routeChannel?: string,
): Promise<Alert> {
  const channel = routeChannel ?? ctx.config.channels.alerts;
  if (!channel) {
    ctx.logger.warn(
      { alert: alert.id },
      "no channel for this alert (set ALERTS_CHANNEL): recorded but not posted",
    );
    return alert;
  }
  try {
    const posted = await ctx.client.chat.postMessage({ channel, ...alertMessage(alert) });
    if (!posted.ts || !posted.channel) return alert;
    return (
      (await updateAlert(ctx.store.models, alert.id, {
        message: { channelId: posted.channel, ts: posted.ts },
      })) ?? alert
    );
  } catch (error) {
    ctx.logger.error({ alert: alert.id, error: slackErrorCode(error) }, "could not post the alert");
    return alert;
  }
}

/** Edits the alert's message in place to match its state: no new message per repeat or escalation. */
export async function refreshAlertMessage(ctx: AlertContext, alert: Alert): Promise<void> {
  if (!alert.message) return;
  await ctx.client.chat
    .update({ channel: alert.message.channelId, ts: alert.message.ts, ...alertMessage(alert) })
    .catch((error) =>
      ctx.logger.warn(
        { alert: alert.id, error: slackErrorCode(error) },
        "could not update the alert message",
      ),
    );
}
