import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { incidentKey } from "../../domain/incident.ts";
import { getIncidentById } from "../../store/incidents.ts";
import type { SlackDeps } from "../deps.ts";
import { acknowledge, reopenIncident } from "../incidents/changes.ts";
import { inviteToChannel } from "../incidents/channel.ts";
import { declareAndReply, decodePendingDeclare } from "../incidents/declare-replies.ts";
import { type FlowContext, slackErrorCode } from "../incidents/flow-context.ts";
import { INCIDENT_ACTIONS } from "../incidents/ids.ts";
import { encodeMetadata } from "../incidents/modal-metadata.ts";
import { mayManageIncident } from "../incidents/permissions.ts";
import { type ReplyTarget, reply } from "../incidents/reply.ts";
import { resolveModal } from "../views/resolve-modal.ts";
import { roleModal } from "../views/role-modal.ts";
import { severityModal } from "../views/severity-modal.ts";
import { updateModal } from "../views/update-modal.ts";

type ButtonBody = BlockAction<ButtonAction>;

/** Buttons answer privately to whoever clicked; the shared messages change by being edited in place. */
function replyTargetOf(body: ButtonBody): ReplyTarget {
  return { userId: body.user.id, responseUrl: body.response_url };
}

async function incidentOf(ctx: FlowContext, body: ButtonBody, value: string | undefined) {
  const incident = value ? await getIncidentById(ctx.store.models, value) : undefined;
  if (!incident) await reply(ctx, replyTargetOf(body), { text: "That incident no longer exists." });
  return incident;
}

/** The kickoff's buttons (value: the incident id) and the duplicate warning's. */
export function register(app: App, deps: SlackDeps): void {
  const on = (
    actionId: string,
    work: (ctx: FlowContext, body: ButtonBody, action: ButtonAction) => Promise<void>,
  ) => {
    app.action<ButtonBody>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      await work({ ...deps, client }, body, action);
    });
  };
  const openModal = async (
    ctx: FlowContext,
    body: ButtonBody,
    view: Parameters<FlowContext["client"]["views"]["open"]>[0]["view"],
  ) => {
    await ctx.client.views
      .open({ trigger_id: body.trigger_id, view })
      .catch((error) =>
        reply(ctx, replyTargetOf(body), { text: `I could not open the form (${slackErrorCode(error)}).` }),
      );
  };
  const metadata = (incidentId: string, body: ButtonBody) =>
    encodeMetadata({ incidentId, reply: replyTargetOf(body) });

  on(INCIDENT_ACTIONS.acknowledge, async (ctx, body, action) => {
    const incident = await incidentOf(ctx, body, action.value);
    if (!incident) return;
    const result = await acknowledge(ctx, incident, body.user.id);
    await reply(ctx, replyTargetOf(body), { text: result.message });
  });

  on(INCIDENT_ACTIONS.postUpdate, async (ctx, body, action) => {
    const incident = await incidentOf(ctx, body, action.value);
    if (incident) await openModal(ctx, body, updateModal(incident, metadata(incident.id, body)));
  });

  on(INCIDENT_ACTIONS.changeSeverity, async (ctx, body, action) => {
    const incident = await incidentOf(ctx, body, action.value);
    if (!incident) return;
    const permission = await mayManageIncident(ctx, incident, body.user.id);
    if (!permission.allowed) return reply(ctx, replyTargetOf(body), { text: permission.reason });
    await openModal(
      ctx,
      body,
      severityModal(incident, metadata(incident.id, body), ctx.config.incidents.severityPolicy),
    );
  });

  on(INCIDENT_ACTIONS.assignRole, async (ctx, body, action) => {
    const incident = await incidentOf(ctx, body, action.value);
    if (incident) await openModal(ctx, body, roleModal(incident, metadata(incident.id, body)));
  });

  on(INCIDENT_ACTIONS.resolve, async (ctx, body, action) => {
    const incident = await incidentOf(ctx, body, action.value);
    if (!incident) return;
    const permission = await mayManageIncident(ctx, incident, body.user.id);
    if (!permission.allowed) return reply(ctx, replyTargetOf(body), { text: permission.reason });
    await openModal(ctx, body, resolveModal(incident, metadata(incident.id, body)));
  });

  on(INCIDENT_ACTIONS.reopen, async (ctx, body, action) => {
    const incident = await incidentOf(ctx, body, action.value);
    if (!incident) return;
    const permission = await mayManageIncident(ctx, incident, body.user.id);
    if (!permission.allowed) return reply(ctx, replyTargetOf(body), { text: permission.reason });
    const result = await reopenIncident(ctx, incident, body.user.id);
    await reply(ctx, replyTargetOf(body), { text: result.message });
  });

  on(INCIDENT_ACTIONS.joinExisting, async (ctx, body, action) => {
    const incident = await incidentOf(ctx, body, action.value);
    if (!incident) return;
    if (!incident.channelId) {
      return reply(ctx, replyTargetOf(body), {
        text: `${incidentKey(incident.number)} has no channel to join.`,
      });
    }
    const { failed } = await inviteToChannel(ctx, incident.channelId, [body.user.id]);
    const text =
      failed.length === 0
        ? `You are in <#${incident.channelId}> for ${incidentKey(incident.number)}.`
        : `I could not add you to <#${incident.channelId}> (${failed[0]?.error}).`;
    await reply(ctx, replyTargetOf(body), { text, replaceOriginal: true });
  });

  on(INCIDENT_ACTIONS.declareAnyway, async (ctx, body, action) => {
    const pending = decodePendingDeclare(action.value ?? "");
    if (!pending || pending.reporterId !== body.user.id) {
      return reply(ctx, replyTargetOf(body), {
        text: "That declaration has expired. Please run `/incident declare` again.",
      });
    }
    await declareAndReply(ctx, pending, replyTargetOf(body));
  });
}
