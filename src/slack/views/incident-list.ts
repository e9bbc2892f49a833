import type { KnownBlock } from "@slack/types";
import { type Incident, incidentKey } from "../../domain/incident.ts";
import type { SeverityPolicyTable } from "../../domain/severity.ts";
import { statusLabel } from "../../domain/status.ts";
import {
  channelMention,
  context,
  durationBetween,
  messageFromBlocks,
  type SlackMessage,
  section,
  sections,
  titleMrkdwn,
} from "./blocks.ts";

/** The answer to `/incident list`: one line per incident, newest first, a page at a time. */

export interface IncidentListOptions {
  /** 1-based page shown. */
  page: number;
  pageCount: number;
  /** Incidents on all pages together. */
  total: number;
  now: Date;
  policies: SeverityPolicyTable;
}

/** `:large_orange_circle: *INC-42* Checkout down — SEV2 · Investigating · 3 h 12 min · #inc-42`. */
export function incidentLine(incident: Incident, policies: SeverityPolicyTable, now: Date): string {
  const policy = policies[incident.severity];
  const age =
    incident.status === "resolved"
      ? `resolved after ${durationBetween(incident.declaredAt, incident.resolvedAt ?? now)}`
      : durationBetween(incident.declaredAt, now);
  const facts = [
    policy.label,
    statusLabel(incident.status),
    age,
    ...(incident.channelId ? [channelMention(incident.channelId)] : []),
  ];
  return `${policy.emoji} *${incidentKey(incident.number)}* ${titleMrkdwn(incident.title)} — ${facts.join(" · ")}`;
}

function pageLine(page: number, pageCount: number): string {
  if (pageCount <= 1) return "";
  return page < pageCount
    ? `Page ${page} of ${pageCount} — \`/incident list ${page + 1}\` for more`
    : `Page ${page} of ${pageCount}`;
}

/**
 * One page of incidents (the caller pages them; they are shown newest first). Lines are packed into as few
 * sections as fit Slack's 3000 characters, so a page of 20 takes a handful of blocks.
 */
export function incidentListMessage(incidents: Incident[], options: IncidentListOptions): SlackMessage {
  const { page, pageCount, total, now, policies } = options;
  if (incidents.length === 0) {
    return messageFromBlocks([
      section(
        total === 0 ? "No incidents to show. :sunny:" : `Page ${page} is empty; there are ${pageCount}.`,
      ),
    ]);
  }
  const newestFirst = [...incidents].sort((a, b) => b.declaredAt.getTime() - a.declaredAt.getTime());
  const lines = newestFirst.map((incident) => incidentLine(incident, policies, now));
  const footer = pageLine(page, pageCount);
  const blocks: KnownBlock[] = [
    section(`*Incidents* (${total}), newest first`),
    ...sections(lines.join("\n")),
    ...(footer ? [context(footer)] : []),
  ];
  return messageFromBlocks(blocks);
}
