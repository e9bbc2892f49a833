import { type Incident, incidentKey } from "../../domain/incident.ts";
import type { SeverityPolicy } from "../../domain/severity.ts";
import { cadenceText } from "../../domain/templates.ts";
import { INCIDENT_ACTIONS } from "../ids.ts";
import { button, messageFromBlocks, type SlackMessage, section } from "./blocks.ts";

/** The nudge posted in the incident channel when a status update is overdue, with the button to post one. */
export function updateReminderMessage(incident: Incident, policy: SeverityPolicy): SlackMessage {
  const who = incident.roles.comms ?? incident.roles.commander;
  const text =
    `:alarm_clock: ${who ? `<@${who}>, a` : "A"} status update for ${incidentKey(incident.number)} is due ` +
    `(${policy.label}: updates ${cadenceText(policy.updateCadenceMinutes)}).`;
  return messageFromBlocks([
    section(text),
    {
      type: "actions",
      block_id: "update_reminder",
      elements: [button("Post update", INCIDENT_ACTIONS.postUpdate, incident.id, "primary")],
    },
  ]);
}
