import type { Incident } from "../../domain/incident.ts";
import { severityLabel } from "../../domain/severity.ts";
import { statusLabel } from "../../domain/status.ts";
import { truncate } from "../../domain/text.ts";
import { escapedWithin } from "./blocks.ts";

/** Channel topics hold at most 250 characters; the channel's header shows severity, status and commander. */
export function incidentTopic(incident: Incident): string {
  const commander = incident.roles.commander ? `<@${incident.roles.commander}>` : "unassigned";
  return truncate(
    `${severityLabel(incident.severity)} | ${statusLabel(incident.status)} | Commander: ${commander}`,
    250,
  );
}

/**
 * The purpose is the title. Slack formats a purpose like message text (links, mentions) and posts it in the
 * channel as "set the channel description", so the title is escaped like everywhere else.
 */
export function incidentPurpose(incident: Incident): string {
  const prefix = `INC-${incident.number}: `;
  return `${prefix}${escapedWithin(incident.title, 250 - prefix.length)}`;
}
