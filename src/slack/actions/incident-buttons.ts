import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { AppContext } from "../../context.ts";
import { incidentKey } from "../../domain/incident.ts";
import { acknowledge, reopenIncident } from "../../incidents/changes.ts";
import { mayManageIncident } from "../../incidents/permissions.ts";
import type { ReplyTarget } from "../../notifier.ts";
import { newReference } from "../../reference.ts";
import { shownOnStatusPage } from "../../status-page/publish.ts";
import { getIncidentById } from "../../store/incidents.ts";
import { afterPendingAcks } from "../acks-first.ts";
import { actionValue } from "../action-value.ts";
import type { SlackContext } from "../context.ts";
import { INCIDENT_ACTIONS } from "../ids.ts";
import { encodeMetadata } from "../modal-metadata.ts";
import { openForm } from "../open-form.ts";
import { declareAnyway } from "../pending-declare.ts";
import { reply } from "../reply.ts";
import { channelMention } from "../views/blocks.ts";
import { failureLine } from "../views/failure.ts";
import { changeResultText, permissionRefusalText } from "../views/incident-change.ts";
import { resolveModal } from "../views/resolve-modal.ts";
import { roleModal } from "../views/role-modal.ts";
import { severityModal } from "../views/severity-modal.ts";
import { updateModal } from "../views/update-modal.ts";

type ButtonBody = BlockAction<ButtonAction>;

/** Buttons answer privately to whoever clicked; the shared messages change by being edited in place. */
function replyTargetOf(body: ButtonBody): ReplyTarget {
  return { userId: body.user.id, responseUrl: body.response_url };
}

async function incidentOf(ctx: SlackContext, body: ButtonBody, action: ButtonAction) {
  const value = actionValue(action);
  const incident = value ? await getIncidentById(ctx.store.models, value) : undefined;
  if (!incident) await reply(ctx, replyTargetOf(body), { text: "That incident no longer exists." });
  return incident;
}

/** The kickoff's buttons (value: the incident id) and the duplicate warning's. */
export function register(app: App, deps: AppContext): void {
  const on = (
    actionId: string,
    work: (ctx: SlackContext, body: ButtonBody, action: ButtonAction) => Promise<void>,
  ) => {
    app.action<ButtonBody>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      await afterPendingAcks();
      await work({ ...deps, client }, body, action);
    });
  };
  const openModal = (ctx: SlackContext, body: ButtonBody, view: Parameters<typeof openForm>[2]) =>
    openForm(ctx, body.trigger_id, view, replyTargetOf(body));
  const metadata = (incidentId: string, body: ButtonBody) =>
    encodeMetadata({ incidentId, reply: replyTargetOf(body) });

  on(INCIDENT_ACTIONS.acknowledge, async (ctx, body, action) => {
    const incident = await incidentOf(ctx, body, action);
    if (!incident) return;
    const result = await acknowledge(ctx, incident, body.user.id);
    await reply(ctx, replyTargetOf(body), { text: changeResultText(result, ctx.clock.now()) });
  });

  on(INCIDENT_ACTIONS.postUpdate, async (ctx, body, action) => {
    const incident = await incidentOf(ctx, body, action);
    if (!incident) return;
    const published = await shownOnStatusPage(ctx, incident);
    await openModal(ctx, body, updateModal(incident, metadata(incident.id, body), published));
  });

  on(INCIDENT_ACTIONS.changeSeverity, async (ctx, body, action) => {
    const incident = await incidentOf(ctx, body, action);
    if (!incident) return;
    const permission = await mayManageIncident(ctx, incident, body.user.id);
    if (!permission.allowed)
      return reply(ctx, replyTargetOf(body), { text: permissionRefusalText(permission.refusal) });
    await openModal(
      ctx,
      body,
      severityModal(incident, metadata(incident.id, body), ctx.config.incidents.severityPolicy),
    );
  });

  on(INCIDENT_ACTIONS.assignRole, async (ctx, body, action) => {
    const incident = await incidentOf(ctx, body, action);
    if (incident) await openModal(ctx, body, roleModal(incident, metadata(incident.id, body)));
  });

  on(INCIDENT_ACTIONS.resolve, async (ctx, body, action) => {
    const incident = await incidentOf(ctx, body, action);
    if (!incident) return;
    const permission = await mayManageIncident(ctx, incident, body.user.id);
    if (!permission.allowed)
      return reply(ctx, replyTargetOf(body), { text: permissionRefusalText(permission.refusal) });
    await openModal(ctx, body, resolveModal(incident, metadata(incident.id, body)));
  });

  on(INCIDENT_ACTIONS.reopen, async (ctx, body, action) => {
    const incident = await incidentOf(ctx, body, action);
    if (!incident) return;
    const result = await reopenIncident(ctx, incident, body.user.id);
    await reply(ctx, replyTargetOf(body), { text: changeResultText(result, ctx.clock.now()) });
  });

  on(INCIDENT_ACTIONS.joinExisting, async (ctx, body, action) => {
    const incident = await incidentOf(ctx, body, action);
    if (!incident) return;
    if (!incident.channelId) {
      return reply(ctx, replyTargetOf(body), {
        text: `${incidentKey(incident.number)} has no channel to join.`,
      });
    }
    const invited = await ctx.notifier.invite(incident.channelId, body.user.id);
    const ref = newReference();
    if (invited.status !== "done")
      ctx.logger.warn(
        { ref, incident: incident.number, error: invited.code },
        "could not add someone to a channel",
      );
    const text =
      invited.status === "done"
        ? `You are in ${channelMention(incident.channelId)} for ${incidentKey(incident.number)}.`
        : failureLine(`add you to ${channelMention(incident.channelId)}`, invited, ref);
    await reply(ctx, replyTargetOf(body), { text, replaceOriginal: true });
  });

  on(INCIDENT_ACTIONS.declareAnyway, async (ctx, body, action) => {
    await declareAnyway(ctx, actionValue(action), body.user.id, replyTargetOf(body));
  });
}
