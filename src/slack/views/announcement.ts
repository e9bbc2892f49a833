import type { KnownBlock } from "@slack/types";
import { type Incident, incidentKey } from "../../domain/incident.ts";
import type { SeverityPolicy } from "../../domain/severity.ts";
import { statusEmoji, statusLabel } from "../../domain/status.ts";
import { slackDateToken } from "../mrkdwn.ts";
import {
  channelMention,
  context,
  DRILL_LABEL,
  durationBetween,
  messageFromBlocks,
  roleHolder,
  type SlackMessage,
  section,
  titleMrkdwn,
} from "./blocks.ts";

/**
 * The incident's single message in the incidents channel, edited in place at every change (two blocks):
 * `:large_orange_circle: *INC-42* Checkout down` over `SEV2 · Investigating · Commander @alice · #inc-42`,
 * and when it was declared, last updated and, once resolved, how long it lasted.
 */
export function announcementMessage(incident: Incident, policy: SeverityPolicy, now: Date): SlackMessage {
  const resolved = incident.status === "resolved";
  const emoji = resolved ? statusEmoji("resolved") : policy.emoji;
  const facts = [
    policy.label,
    statusLabel(incident.status),
    `Commander ${roleHolder(incident.roles.commander)}`,
    ...(incident.channelId ? [channelMention(incident.channelId)] : []),
  ];
  const times = [`Declared ${slackDateToken(incident.declaredAt)}`, `updated ${slackDateToken(now)}`];
  if (resolved)
    times.push(`Resolved after ${durationBetween(incident.declaredAt, incident.resolvedAt ?? now)}`);
  const blocks: KnownBlock[] = [
    section(
      `${emoji} ${incident.drill ? `*${DRILL_LABEL}* ` : ""}*${incidentKey(incident.number)}* ${titleMrkdwn(incident.title)}\n${facts.join(" · ")}`,
    ),
    context(times.join(" · ")),
  ];
  return messageFromBlocks(blocks);
}
