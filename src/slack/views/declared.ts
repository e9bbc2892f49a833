import { type Incident, incidentKey } from "../../domain/incident.ts";
import type { SendFailure } from "../../send-outcome.ts";
import { channelMention } from "./blocks.ts";
import { failureLine } from "./failure.ts";

/** The declarer's answer: where the incident lives, and what failed on the way if anything did. */
export function declaredMessage(declared: {
  incident: Incident;
  created: boolean;
  problems: readonly { step: string; failure: SendFailure; ref: string }[];
}): { text: string } {
  const { incident } = declared;
  const where = incident.channelId ? channelMention(incident.channelId) : "no channel yet";
  const lines = [
    declared.created
      ? `:rotating_light: ${incidentKey(incident.number)} declared: ${where}`
      : `${incidentKey(incident.number)} was already declared from this request: ${where}`,
    ...declared.problems.map((p) => failureLine(p.step, p.failure, p.ref)),
  ];
  return { text: lines.join("\n") };
}
