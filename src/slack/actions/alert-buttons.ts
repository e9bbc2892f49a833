import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { acknowledgeAlert, escalateAlertNow, resolveAlert } from "../../alerts/alert-changes.ts";
import type { AppContext } from "../../context.ts";
import type { AlertSeverity } from "../../domain/alert.ts";
import type { Severity } from "../../domain/incident.ts";
import type { ReplyTarget } from "../../notifier.ts";
import { getAlert } from "../../store/alerts.ts";
import { afterPendingAcks } from "../acks-first.ts";
import { actionValue } from "../action-value.ts";
import type { SlackContext } from "../context.ts";
import { ALERT_ACTIONS } from "../ids.ts";
import { encodeMetadata } from "../modal-metadata.ts";
import { openForm } from "../open-form.ts";
import { reply } from "../reply.ts";
import { alertChangeText } from "../views/alert-change.ts";
import { declareModal } from "../views/declare-modal.ts";

type ButtonBody = BlockAction<ButtonAction>;

const INCIDENT_SEVERITY: Record<AlertSeverity, Severity> = {
  critical: "sev1",
  high: "sev2",
  medium: "sev3",
  low: "sev4",
};

/** The alert message's buttons, in the alerts channel and in paging DMs alike. */
export function register(app: App, deps: AppContext): void {
  const on = (
    actionId: string,
    work: (ctx: SlackContext, body: ButtonBody, replyTo: ReplyTarget) => Promise<void>,
  ) => {
    app.action<ButtonBody>(actionId, async ({ ack, body, client }) => {
      await ack();
      await afterPendingAcks();
      await work({ ...deps, client }, body, { userId: body.user.id, responseUrl: body.response_url });
    });
  };
  const withAlert =
    (
      work: (
        ctx: SlackContext,
        alert: NonNullable<Awaited<ReturnType<typeof getAlert>>>,
        body: ButtonBody,
        replyTo: ReplyTarget,
      ) => Promise<void>,
    ) =>
    async (ctx: SlackContext, body: ButtonBody, replyTo: ReplyTarget) => {
      const alert = await getAlert(ctx.store.models, actionValue(body.actions[0]));
      if (!alert) return reply(ctx, replyTo, { text: "That alert no longer exists." });
      await work(ctx, alert, body, replyTo);
    };

  // The buttons that change the alert and answer the clicker with how it went.
  const changes = [
    [ALERT_ACTIONS.acknowledge, acknowledgeAlert],
    [ALERT_ACTIONS.escalateNow, escalateAlertNow],
    [ALERT_ACTIONS.resolve, resolveAlert],
  ] as const;
  for (const [actionId, change] of changes) {
    on(
      actionId,
      withAlert(async (ctx, alert, body, replyTo) => {
        const result = await change(ctx, alert, body.user.id);
        await reply(ctx, replyTo, { text: alertChangeText(result, ctx.clock.now()) });
      }),
    );
  }
  on(
    ALERT_ACTIONS.declareIncident,
    withAlert(async (ctx, alert, body, replyTo) => {
      const view = declareModal(
        {
          title: alert.title.slice(0, 150),
          severity: INCIDENT_SEVERITY[alert.severity],
          description: alert.description,
          services: alert.service ? [alert.service] : [],
          commanderId: body.user.id,
          fromAlert: true,
          types: ctx.runbooks.types,
          privateMetadata: encodeMetadata({ reply: replyTo, alertId: alert.id }),
        },
        ctx.config.incidents.severityPolicy,
      );
      await openForm(ctx, body.trigger_id, view, replyTo);
    }),
  );
}
