import type { ActionsBlock, Button, KnownBlock } from "@slack/types";
import { humanDuration } from "../../domain/duration.ts";
import { type Incident, incidentKey, ROLES } from "../../domain/incident.ts";
import type { SeverityPolicy } from "../../domain/severity.ts";
import { statusEmoji, statusLabel } from "../../domain/status.ts";
import { cadenceText, renderTemplate } from "../../domain/templates.ts";
import { oneLine } from "../../domain/text.ts";
import { INCIDENT_ACTIONS } from "../ids.ts";
import { MRKDWN_TEMPLATE, slackDateToken } from "../mrkdwn.ts";
import {
  button,
  context,
  DRILL_LABEL,
  DRILL_NOTE,
  durationBetween,
  escapedWithin,
  MAX_FIELD_TEXT,
  MAX_HEADER_TEXT,
  mention,
  messageFromBlocks,
  ROLE_LABELS,
  roleHolder,
  type SlackMessage,
  sections,
} from "./blocks.ts";

/** The kickoff message: the first message in an incident's channel, edited in place as the incident changes. */

function servicesField(services: readonly string[]): string {
  const names = services.map((s) => oneLine(s)).filter((s) => s !== "");
  if (names.length === 0) return "_none listed_";
  const max = MAX_FIELD_TEXT - 50;
  const shown: string[] = [];
  let length = 0;
  for (const [index, name] of names.entries()) {
    const escaped = escapedWithin(name, 200);
    if (length + escaped.length + 2 > max) {
      shown.push(`and ${names.length - index} more`);
      break;
    }
    shown.push(escaped);
    length += escaped.length + 2;
  }
  return shown.join(", ");
}

/** "SEV2 policy: respond within 15 min · updates every 30 minutes · postmortem required". */
export function policyLine(policy: SeverityPolicy): string {
  const updates =
    policy.updateCadenceMinutes === null
      ? "no scheduled updates"
      : `updates ${cadenceText(policy.updateCadenceMinutes)}`;
  const postmortem = policy.postmortemRequired ? "postmortem required" : "no postmortem required";
  return `${policy.label} policy: respond within ${humanDuration(policy.responseMinutes * 60_000)} · ${updates} · ${postmortem}`;
}

function kickoffActions(incident: Incident): ActionsBlock {
  const value = incident.id;
  const elements: Button[] =
    incident.status === "resolved"
      ? [button("Reopen", INCIDENT_ACTIONS.reopen, value)]
      : [
          ...(incident.acknowledgedAt
            ? []
            : [button("Acknowledge", INCIDENT_ACTIONS.acknowledge, value, "primary")]),
          button("Post update", INCIDENT_ACTIONS.postUpdate, value),
          button("Change severity", INCIDENT_ACTIONS.changeSeverity, value),
          button("Assign role", INCIDENT_ACTIONS.assignRole, value),
          button("Resolve", INCIDENT_ACTIONS.resolve, value, "danger"),
        ];
  return { type: "actions", block_id: "incident_kickoff_actions", elements };
}

function acknowledgedLine(incident: Incident): string | undefined {
  if (!incident.acknowledgedAt) return undefined;
  const by = incident.acknowledgedBy ? ` by ${mention(incident.acknowledgedBy)}` : "";
  return `:white_check_mark: Acknowledged${by} at ${slackDateToken(incident.acknowledgedAt)}`;
}

/**
 * The kickoff message of the incident channel, reflecting the incident as it is now: header, the initial
 * communication template, the roles, the severity policy, the acknowledgement, and the buttons that apply
 * (Acknowledge until acknowledged; only Reopen once resolved). Every button's value is the incident id.
 */
export function kickoffMessage(incident: Incident, policy: SeverityPolicy, now: Date): SlackMessage {
  const key = incidentKey(incident.number);
  const header = `${policy.emoji} ${incident.drill ? `${DRILL_LABEL} ` : ""}${key}: `;
  const initial = renderTemplate(
    "initial",
    {
      incidentTitle: incident.title,
      severity: incident.severity,
      affectedServices: incident.affectedServices,
      impactDescription: incident.description,
      startTime: incident.declaredAt,
      updateCadenceMinutes: policy.updateCadenceMinutes,
    },
    MRKDWN_TEMPLATE,
  );
  const fields = [
    `*Severity*\n${policy.emoji} ${policy.label}`,
    `*Status*\n${statusEmoji(incident.status)} ${statusLabel(incident.status)}`,
    ...ROLES.map((role) => `*${ROLE_LABELS[role]}*\n${roleHolder(incident.roles[role])}`),
    `*Reporter*\n${mention(incident.reporterId)}`,
    `*Services*\n${servicesField(incident.affectedServices)}`,
  ];
  const resolved =
    incident.status === "resolved"
      ? `:white_check_mark: Resolved${incident.resolvedAt ? ` at ${slackDateToken(incident.resolvedAt)} after ${durationBetween(incident.declaredAt, incident.resolvedAt)}` : ""}`
      : "";
  const acknowledged = acknowledgedLine(incident);
  const blocks: KnownBlock[] = [
    {
      type: "header",
      text: {
        type: "plain_text",
        text: `${header}${escapedWithin(oneLine(incident.title), MAX_HEADER_TEXT - header.length)}`,
        emoji: true,
      },
    },
    ...(incident.drill ? [context(DRILL_NOTE)] : []),
    ...sections(initial),
    { type: "section", fields: fields.map((text) => ({ type: "mrkdwn" as const, text })) },
    context(policyLine(policy), `Updated ${slackDateToken(now)}`),
    ...(acknowledged ? [context(acknowledged)] : []),
    ...(resolved ? [context(resolved)] : []),
    kickoffActions(incident),
  ];
  return messageFromBlocks(blocks);
}
