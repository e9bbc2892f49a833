import type { KnownBlock } from "@slack/types";
import type { PageTarget } from "../../domain/alert.ts";
import { humanDuration } from "../../domain/duration.ts";
import { levelName, plannedStep } from "../../domain/escalation.ts";
import { type Alert, escalationStart } from "../../store/alerts.ts";
import { ALERT_ACTIONS, INCIDENT_ACTIONS } from "../ids.ts";
import { slackDateToken } from "../mrkdwn.ts";
import {
  button,
  context,
  escapedWithin,
  groupMention,
  mention,
  messageFromBlocks,
  type SlackMessage,
  section,
} from "./blocks.ts";

export const SEVERITY_EMOJI: Record<Alert["severity"], string> = {
  critical: ":red_circle:",
  high: ":large_orange_circle:",
  medium: ":large_yellow_circle:",
  low: ":large_blue_circle:",
};

const STATE_LABEL: Record<Alert["state"], string> = {
  open: "Open",
  acknowledged: "Acknowledged",
  resolved: "Resolved",
};

/** Whom a target pages: a person, a user group, or whoever is on call in a schedule. */
function targetMrkdwn(target: PageTarget): string {
  switch (target.kind) {
    case "user":
      return mention(target.userId);
    case "usergroup":
      return groupMention(target.groupId);
    case "schedule":
      return `on-call for ${escapedWithin(target.scheduleName, 80)}`;
  }
}

/**
 * The line in the alert's thread naming whom a step paged, so the channel sees the escalation without a
 * new message in the channel itself; targets nobody could be found for are named too.
 */
export function pagingMessage(step: {
  level: string;
  people: readonly string[];
  unresolved: readonly PageTarget[];
  lateMinutes?: number | undefined;
}): { text: string } {
  const who = step.people.map(mention).join(", ") || "nobody";
  const late = step.lateMinutes ? ` (${step.lateMinutes} min late: the bot was unavailable)` : "";
  const missing = step.unresolved.map((target) =>
    target.kind === "schedule"
      ? `schedule "${escapedWithin(target.scheduleName, 80)}" (nobody on call, or no such schedule)`
      : targetMrkdwn(target),
  );
  const couldNot = missing.length > 0 ? ` Could not page ${missing.join(", ")}.` : "";
  return { text: `:rotating_light: Paging ${who} (${step.level}).${late}${couldNot}` };
}

/** "Escalates to on-call for secondary (L2) at 10:57", or why it will not. */
export function escalationLine(alert: Alert): string {
  if (alert.suppressedBy)
    return `:construction: suppressed: maintenance ${escapedWithin(alert.suppressedBy.title, 150)} (recorded, nobody paged until it ends)`;
  if (!alert.paging) return "Not paging: this severity is posted only.";
  if (alert.state !== "open") return "Escalation stopped.";
  const next = plannedStep(alert.policy, escalationStart(alert), alert.nextStep);
  if (!next || !alert.nextDueAt) return "No further escalation: every level has been paged.";
  const targets = next.targets.map(targetMrkdwn).join(", ");
  return `:alarm_clock: Escalates to ${targets} (${levelName(next)}) at ${slackDateToken(alert.nextDueAt)}`;
}

function pagedLine(alert: Alert): string | undefined {
  const last = alert.fired.at(-1);
  if (!last) return undefined;
  const step = plannedStep(alert.policy, escalationStart(alert), last.step);
  const who =
    last.paged.length > 0 ? last.paged.map((id) => `<@${id}>`).join(", ") : "nobody (no one on call)";
  const late = last.lateMs ? ` — ${humanDuration(last.lateMs)} late: the bot was unavailable` : "";
  const manual = last.manualBy ? ` — escalated now by <@${last.manualBy}>` : "";
  return `Paged ${who}${step ? ` (${levelName(step)})` : ""} at ${slackDateToken(last.at)}${manual}${late}`;
}

function outcomeLine(alert: Alert): string | undefined {
  if (alert.state === "acknowledged" && alert.acknowledgedAt) {
    return `:white_check_mark: Acknowledged by <@${alert.acknowledgedBy}> at ${slackDateToken(alert.acknowledgedAt)}`;
  }
  if (alert.state === "resolved" && alert.resolvedAt) {
    const by = alert.resolvedBy?.startsWith("U")
      ? `<@${alert.resolvedBy}>`
      : escapedWithin(alert.resolvedBy ?? "the source", 80);
    return `:large_green_circle: Resolved by ${by} at ${slackDateToken(alert.resolvedAt)}`;
  }
  return undefined;
}

/** The buttons that still apply: none once resolved, no Acknowledge once acknowledged. */
function actions(alert: Alert): KnownBlock[] {
  if (alert.state === "resolved") return [];
  const buttons = [
    ...(alert.state === "open"
      ? [button("Acknowledge", ALERT_ACTIONS.acknowledge, alert.id, "primary")]
      : []),
    ...(alert.paging && alert.state === "open" && alert.nextDueAt
      ? [button("Escalate now", ALERT_ACTIONS.escalateNow, alert.id)]
      : []),
    ...(alert.incidentNumber === undefined
      ? [button("Declare incident", ALERT_ACTIONS.declareIncident, alert.id)]
      : []),
    button("Resolve", ALERT_ACTIONS.resolve, alert.id, "danger"),
  ];
  return [{ type: "actions", block_id: "alert_actions", elements: buttons }];
}

/** The one message per alert, edited in place as it repeats, escalates, is acknowledged or resolved. */
export function alertMessage(alert: Alert): SlackMessage {
  const repeats =
    alert.fireCount > 1 ? ` · fired ${alert.fireCount} times, last ${slackDateToken(alert.lastFiredAt)}` : "";
  const links = alert.links
    .slice(0, 5)
    .map(
      (link) =>
        `<${link.url.replace(/[<>| ]/g, (c) => encodeURIComponent(c))}|${escapedWithin(link.title, 75).replace(/\|/g, "¦")}>`,
    )
    .join(" · ");
  const incident = alert.incidentNumber === undefined ? "" : ` · INC-${alert.incidentNumber}`;
  const blocks: KnownBlock[] = [
    section(
      `${SEVERITY_EMOJI[alert.severity]} *${escapedWithin(alert.title, 150)}*\n` +
        `${alert.severity.toUpperCase()} · ${escapedWithin(alert.service || "no service", 80)} · ${STATE_LABEL[alert.state]}${incident}${repeats}`,
    ),
    ...(alert.description ? [section(escapedWithin(alert.description, 2500))] : []),
    context(
      ...[links || undefined, pagedLine(alert), outcomeLine(alert), escalationLine(alert)].filter(
        (line): line is string => line !== undefined,
      ),
    ),
    ...actions(alert),
  ];
  return messageFromBlocks(blocks);
}

/**
 * The direct message a paged person gets: what, why them, and the buttons that act on it. An incident's
 * page carries the incident's own Acknowledge button, so acknowledging from the DM acknowledges the incident.
 */
export function pageMessage(alert: Alert, level: string, channelId: string | undefined): SlackMessage {
  const where = channelId ? ` in <#${channelId}>` : "";
  const what = alert.incidentId
    ? "an unacknowledged incident"
    : escapedWithin(alert.service || "no service", 80);
  const blocks: KnownBlock[] = [
    section(
      `:rotating_light: You are paged (${level}) for *${escapedWithin(alert.title, 150)}*${where}\n` +
        `${alert.severity.toUpperCase()} · ${what}`,
    ),
    ...(alert.incidentId
      ? [
          {
            type: "actions",
            block_id: "incident_page_actions",
            elements: [button("Acknowledge", INCIDENT_ACTIONS.acknowledge, alert.incidentId, "primary")],
          } satisfies KnownBlock,
        ]
      : actions(alert)),
  ];
  return messageFromBlocks(blocks);
}
