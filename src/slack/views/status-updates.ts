import type { KnownBlock } from "@slack/types";
import { humanDuration } from "../../domain/duration.ts";
import { type Incident, incidentKey, ROLES, type Status } from "../../domain/incident.ts";
import type { SeverityPolicy } from "../../domain/severity.ts";
import { statusEmoji, statusLabel } from "../../domain/status.ts";
import { renderTemplate } from "../../domain/templates.ts";
import { MRKDWN_TEMPLATE, slackDateToken } from "../mrkdwn.ts";
import {
  channelMention,
  context,
  durationBetween,
  mention,
  messageFromBlocks,
  ROLE_LABELS,
  roleHolder,
  type SlackMessage,
  section,
  sections,
  titleMrkdwn,
} from "./blocks.ts";

/** Messages about an incident's progress: status updates and the resolution (in its channel), and the
 * ephemeral answer to `/incident status`. */

export interface StatusUpdateInput {
  /** What the update says (as typed: it is escaped here). */
  message: string;
  /** The status before this update, when it changed. */
  from?: Status;
  actorId: string;
  now: Date;
  policy: SeverityPolicy;
}

const elapsed = (from: Date, to: Date) => Math.max(0, to.getTime() - from.getTime());
const statusText = (status: Status) => `${statusEmoji(status)} ${statusLabel(status)}`;

/**
 * A status update, from the "update" template: the incident's (new) status, how long it has lasted, and
 * when the next update is due (now + the severity's cadence; "not yet known" without one).
 */
export function statusUpdateMessage(incident: Incident, input: StatusUpdateInput): SlackMessage {
  const { message, from, actorId, now, policy } = input;
  const cadence = policy.updateCadenceMinutes;
  const update = renderTemplate(
    "update",
    {
      incidentTitle: incident.title,
      severity: incident.severity,
      currentStatus: incident.status,
      updateDescription: message,
      incidentDuration: elapsed(incident.declaredAt, now),
      ...(cadence === null ? {} : { nextUpdateTime: new Date(now.getTime() + cadence * 60_000) }),
      updateCadenceMinutes: cadence,
    },
    MRKDWN_TEMPLATE,
  );
  const changed = from !== undefined && from !== incident.status;
  const blocks: KnownBlock[] = [
    ...(changed ? [context(`Status changed: ${statusText(from)} → ${statusText(incident.status)}`)] : []),
    ...sections(update),
    context(`Posted by ${mention(actorId)} · ${slackDateToken(now)}`),
  ];
  return messageFromBlocks(blocks);
}

/**
 * The resolution, from the "resolved" template: resolution, root cause, when, and the total duration
 * (declared → resolved; `now` stands in if the resolution time is missing).
 */
export function resolvedMessage(incident: Incident, now: Date, policy: SeverityPolicy): SlackMessage {
  const resolvedAt = incident.resolvedAt ?? now;
  const resolved = renderTemplate(
    "resolved",
    {
      incidentTitle: incident.title,
      severity: incident.severity,
      ...(incident.resolution === undefined ? {} : { resolutionDescription: incident.resolution }),
      ...(incident.rootCause === undefined ? {} : { rootCause: incident.rootCause }),
      resolutionTime: resolvedAt,
      totalDuration: elapsed(incident.declaredAt, resolvedAt),
    },
    MRKDWN_TEMPLATE,
  );
  const postmortem = policy.postmortemRequired
    ? `:memo: ${policy.label} incidents need a postmortem.`
    : `No postmortem required for ${policy.label}.`;
  return messageFromBlocks([...sections(resolved), context(postmortem)]);
}

function acknowledgement(incident: Incident, policy: SeverityPolicy, now: Date): string {
  if (incident.acknowledgedAt) {
    const by = incident.acknowledgedBy ? ` by ${mention(incident.acknowledgedBy)}` : "";
    return `:white_check_mark: Yes${by}, ${slackDateToken(incident.acknowledgedAt)}`;
  }
  if (incident.status === "resolved") return "No";
  const target = policy.responseMinutes * 60_000;
  const late = elapsed(incident.declaredAt, now) - target;
  return late > 0
    ? `:warning: Not yet: ${humanDuration(late)} past the ${humanDuration(target)} response time`
    : `Not yet (respond within ${humanDuration(target)})`;
}

/** The ephemeral answer to `/incident status`: severity, status, age, roles, acknowledgement, channel. */
export function incidentStatusSummary(incident: Incident, policy: SeverityPolicy, now: Date): SlackMessage {
  const age =
    incident.status === "resolved"
      ? `Resolved after ${durationBetween(incident.declaredAt, incident.resolvedAt ?? now)}`
      : `Open for ${durationBetween(incident.declaredAt, now)}`;
  const fields = [
    `*Severity*\n${policy.emoji} ${policy.label}`,
    `*Status*\n${statusText(incident.status)}`,
    `*Age*\n${age}`,
    `*Acknowledged*\n${acknowledgement(incident, policy, now)}`,
    ...ROLES.map((role) => `*${ROLE_LABELS[role]}*\n${roleHolder(incident.roles[role])}`),
    `*Channel*\n${incident.channelId ? channelMention(incident.channelId) : "_none yet_"}`,
  ];
  return messageFromBlocks([
    section(`${policy.emoji} *${incidentKey(incident.number)}* ${titleMrkdwn(incident.title)}`),
    { type: "section", fields: fields.map((text) => ({ type: "mrkdwn" as const, text })) },
    context(`Declared ${slackDateToken(incident.declaredAt)} by ${mention(incident.reporterId)}`),
  ]);
}
