import {
  parseDeclareArgs,
  parseIncidentRef,
  parseNoteArgs,
  parseRoleArgs,
  parseSeverityArgs,
} from "../../domain/command-args.ts";
import { incidentKey } from "../../domain/incident.ts";
import { paginate, timelineView } from "../../domain/timeline-view.ts";
import type { ChangeResult } from "../../incidents/change-result.ts";
import { acknowledge, addNote, assignRole, changeSeverity, reopenIncident } from "../../incidents/changes.ts";
import { requestDeclare } from "../../incidents/declare.ts";
import { mayManageIncident } from "../../incidents/permissions.ts";
import { findTarget } from "../../incidents/target.ts";
import type { ReplyTarget } from "../../notifier.ts";
import { shownOnStatusPage } from "../../status-page/publish.ts";
import { countOpenIncidents, listOpenIncidents } from "../../store/live-incident-queries.ts";
import { listEvents } from "../../store/timeline.ts";
import { commandText } from "../command-text.ts";
import type { SlackContext } from "../context.ts";
import { encodeMetadata } from "../modal-metadata.ts";
import { escapeMrkdwn } from "../mrkdwn.ts";
import { openForm } from "../open-form.ts";
import { encodePendingDeclare } from "../pending-declare.ts";
import { reply } from "../reply.ts";
import { declareModal } from "../views/declare-modal.ts";
import { duplicateWarningMessage } from "../views/duplicate-warning.ts";
import { changeResultText, permissionRefusalText, targetMissingText } from "../views/incident-change.ts";
import { incidentListMessage } from "../views/incident-list.ts";
import { resolveModal } from "../views/resolve-modal.ts";
import { roleModal } from "../views/role-modal.ts";
import { unknownTypeText } from "../views/runbook-checklist.ts";
import { severityModal } from "../views/severity-modal.ts";
import { incidentStatusSummary } from "../views/status-updates.ts";
import { timelineMessage } from "../views/timeline-message.ts";
import { updateModal } from "../views/update-modal.ts";
import { followUpCommand, postmortemCommand } from "./postmortem.ts";
import { reportCommand } from "./report.ts";
import { runbookCommand } from "./runbook.ts";
import { subscribersCommand } from "./subscribers.ts";

/** One `/incident <sub-command>` as it arrived, after the ack. */
export interface SubcommandRequest {
  workspaceId: string;
  channelId: string;
  userId: string;
  args: string;
  triggerId: string;
  replyTo: ReplyTarget;
}

const LIST_PAGE_SIZE = 20;
const TIMELINE_PAGE_SIZE = 25;

type Handler = (ctx: SlackContext, request: SubcommandRequest) => Promise<void>;

const say = (ctx: SlackContext, request: SubcommandRequest, text: string) =>
  reply(ctx, request.replyTo, { text });
const sayResult = (ctx: SlackContext, request: SubcommandRequest, result: ChangeResult) =>
  say(ctx, request, changeResultText(result, ctx.clock.now()));

const openModal = (ctx: SlackContext, request: SubcommandRequest, view: Parameters<typeof openForm>[2]) =>
  openForm(ctx, request.triggerId, view, request.replyTo);

/** Finds the incident the request names or is typed in; tells the user and returns undefined otherwise. */
async function target(ctx: SlackContext, request: SubcommandRequest, named?: number) {
  const found = await findTarget(ctx, request.workspaceId, request.channelId, named);
  if (found.ok) return found.incident;
  await say(ctx, request, targetMissingText(found));
  return undefined;
}

function firstRef(args: string): number | undefined {
  return parseIncidentRef(args.trim().split(/\s+/)[0] ?? "");
}

const metadataFor = (incidentId: string, request: SubcommandRequest) =>
  encodeMetadata({ incidentId, reply: request.replyTo });

const declare: Handler = async (ctx, request) => {
  const parsed = parseDeclareArgs(commandText(request.args));
  if (!parsed.ok) return say(ctx, request, escapeMrkdwn(parsed.error));
  const { severity, title, drill, type } = parsed.value;
  if (type !== undefined && !ctx.runbooks.types.includes(type))
    return say(ctx, request, unknownTypeText(type, ctx.runbooks.types));
  if (!severity || !title) {
    return openModal(
      ctx,
      request,
      declareModal(
        {
          title,
          severity,
          drill,
          type,
          types: ctx.runbooks.types,
          commanderId: request.userId,
          privateMetadata: encodeMetadata({ reply: request.replyTo }),
        },
        ctx.config.incidents.severityPolicy,
      ),
    );
  }
  const input = {
    workspaceId: request.workspaceId,
    declareKey: request.triggerId,
    title,
    description: "",
    severity,
    services: [],
    reporterId: request.userId,
    isPrivate: false,
    drill,
    type,
  };
  await requestDeclare(ctx, input, {
    replyTo: request.replyTo,
    onDuplicates: async (duplicates) => {
      const message = duplicateWarningMessage(duplicates, encodePendingDeclare(input, duplicates));
      await reply(ctx, request.replyTo, { ...message, replaceOriginal: true });
    },
  });
};

const update: Handler = async (ctx, request) => {
  const incident = await target(ctx, request, firstRef(request.args));
  if (!incident) return;
  if (incident.status === "resolved")
    return say(ctx, request, `${incidentKey(incident.number)} is resolved: reopen it first.`);
  const published = await shownOnStatusPage(ctx, incident);
  await openModal(ctx, request, updateModal(incident, metadataFor(incident.id, request), published));
};

const severity: Handler = async (ctx, request) => {
  if (
    request.args.trim() === "" ||
    (firstRef(request.args) !== undefined && request.args.trim().split(/\s+/).length === 1)
  ) {
    const incident = await target(ctx, request, firstRef(request.args));
    if (incident)
      await openModal(
        ctx,
        request,
        severityModal(incident, metadataFor(incident.id, request), ctx.config.incidents.severityPolicy),
      );
    return;
  }
  const parsed = parseSeverityArgs(commandText(request.args));
  if (!parsed.ok) return say(ctx, request, escapeMrkdwn(parsed.error));
  const incident = await target(ctx, request, parsed.value.incident);
  if (!incident) return;
  await sayResult(ctx, request, await changeSeverity(ctx, incident, request.userId, parsed.value.severity));
};

const role: Handler = async (ctx, request) => {
  if (request.args.trim() === "") {
    const incident = await target(ctx, request);
    if (incident) await openModal(ctx, request, roleModal(incident, metadataFor(incident.id, request)));
    return;
  }
  const parsed = parseRoleArgs(commandText(request.args));
  if (!parsed.ok) return say(ctx, request, escapeMrkdwn(parsed.error));
  const incident = await target(ctx, request, parsed.value.incident);
  if (!incident) return;
  await sayResult(
    ctx,
    request,
    await assignRole(ctx, incident, request.userId, parsed.value.role, parsed.value.userId),
  );
};

const ack: Handler = async (ctx, request) => {
  const incident = await target(ctx, request, firstRef(request.args));
  if (incident) await sayResult(ctx, request, await acknowledge(ctx, incident, request.userId));
};

const note: Handler = async (ctx, request) => {
  const parsed = parseNoteArgs(commandText(request.args));
  if (!parsed.ok) return say(ctx, request, escapeMrkdwn(parsed.error));
  const incident = await target(ctx, request, parsed.value.incident);
  if (incident)
    await sayResult(ctx, request, await addNote(ctx, incident, request.userId, parsed.value.text));
};

const status: Handler = async (ctx, request) => {
  const incident = await target(ctx, request, firstRef(request.args));
  if (!incident) return;
  const summary = incidentStatusSummary(
    incident,
    ctx.config.incidents.severityPolicy[incident.severity],
    ctx.clock.now(),
  );
  await reply(ctx, request.replyTo, summary);
};

const list: Handler = async (ctx, request) => {
  const requested = Number.parseInt(request.args.trim() || "1", 10);
  const total = await countOpenIncidents(ctx.store.models, request.workspaceId);
  const pageCount = Math.max(1, Math.ceil(total / LIST_PAGE_SIZE));
  const page = Math.min(Math.max(Number.isFinite(requested) ? requested : 1, 1), pageCount);
  const incidents = await listOpenIncidents(ctx.store.models, request.workspaceId, {
    limit: LIST_PAGE_SIZE,
    skip: (page - 1) * LIST_PAGE_SIZE,
  });
  const message = incidentListMessage(incidents, {
    page,
    pageCount,
    total,
    now: ctx.clock.now(),
    policies: ctx.config.incidents.severityPolicy,
  });
  await reply(ctx, request.replyTo, message);
};

const resolve: Handler = async (ctx, request) => {
  const incident = await target(ctx, request, firstRef(request.args));
  if (!incident) return;
  const permission = await mayManageIncident(ctx, incident, request.userId);
  if (!permission.allowed) return say(ctx, request, permissionRefusalText(permission.refusal));
  if (incident.status === "resolved")
    return say(ctx, request, `${incidentKey(incident.number)} is already resolved.`);
  await openModal(ctx, request, resolveModal(incident, metadataFor(incident.id, request)));
};

const reopen: Handler = async (ctx, request) => {
  const incident = await target(ctx, request, firstRef(request.args));
  if (!incident) return;
  await sayResult(ctx, request, await reopenIncident(ctx, incident, request.userId));
};

/** `/incident timeline [INC-42] [page]`: posts the page in the channel, for everyone working the incident. */
const timeline: Handler = async (ctx, request) => {
  const tokens = request.args.trim().split(/\s+/).filter(Boolean);
  const named =
    tokens[0] && /^inc-\d+$/i.test(tokens[0]) ? parseIncidentRef(tokens.shift() ?? "") : undefined;
  const incident = await target(ctx, request, named);
  if (!incident) return;
  const { events } = await listEvents(ctx.store.models, incident.id);
  const entries = timelineView(events);
  const requested = Number.parseInt(tokens[0] ?? "1", 10);
  const page = paginate(entries, Number.isFinite(requested) ? requested : 1, TIMELINE_PAGE_SIZE);
  const message = timelineMessage(incident, page.items, { page: page.page, pageCount: page.pageCount });
  try {
    await ctx.client.chat.postMessage({ channel: request.channelId, ...message });
  } catch {
    // Not a channel the bot can post in (a DM, a private channel it is not in): show it to the asker only.
    await reply(ctx, request.replyTo, message);
  }
};

export const SUBCOMMAND_HANDLERS: Record<string, Handler> = {
  declare,
  update,
  severity,
  role,
  ack,
  note,
  status,
  list,
  resolve,
  reopen,
  timeline,
  report: reportCommand,
  postmortem: postmortemCommand,
  followup: followUpCommand,
  runbook: runbookCommand,
  subscribers: subscribersCommand,
};
