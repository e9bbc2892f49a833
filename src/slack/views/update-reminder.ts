import type { KnownBlock } from "@slack/types";
import { type Incident, incidentKey } from "../../domain/incident.ts";
import type { SeverityPolicy } from "../../domain/severity.ts";
import { cadenceText } from "../../domain/templates.ts";
import { INCIDENT_ACTIONS } from "../incidents/ids.ts";

/** The nudge posted in the incident channel when a status update is overdue, with the button to post one. */
export function updateReminderMessage(
  incident: Incident,
  policy: SeverityPolicy,
): { text: string; blocks: KnownBlock[] } {
  const who = incident.roles.comms ?? incident.roles.commander;
  const text =
    `:alarm_clock: ${who ? `<@${who}>, a` : "A"} status update for ${incidentKey(incident.number)} is due ` +
    `(${policy.label}: updates ${cadenceText(policy.updateCadenceMinutes)}).`;
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text } },
      {
        type: "actions",
        block_id: "update_reminder",
        elements: [
          {
            type: "button",
            action_id: INCIDENT_ACTIONS.postUpdate,
            text: { type: "plain_text", text: "Post update" },
            value: incident.id,
            style: "primary",
          },
        ],
      },
    ],
  };
}
