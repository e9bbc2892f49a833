import type { Incident } from "../../domain/incident.ts";
import { severityLabel } from "../../domain/severity.ts";
import { statusLabel } from "../../domain/status.ts";
import { truncate } from "../../domain/text.ts";

/** Channel topics hold at most 250 characters; the channel's header shows severity, status and commander. */
export function incidentTopic(incident: Incident): string {
  const commander = incident.roles.commander ? `<@${incident.roles.commander}>` : "unassigned";
  return truncate(
    `${severityLabel(incident.severity)} | ${statusLabel(incident.status)} | Commander: ${commander}`,
    250,
  );
}

/** The purpose is the title, as people typed it; Slack shows it as plain text. */
export function incidentPurpose(incident: Incident): string {
  return truncate(`INC-${incident.number}: ${incident.title}`, 250);
}
