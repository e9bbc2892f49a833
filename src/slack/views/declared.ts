import { type Incident, incidentKey } from "../../domain/incident.ts";
import type { FailedStep } from "../../domain/timeline.ts";
import { failedStepParts } from "../../domain/timeline-view.ts";
import type { SendFailure } from "../../send-outcome.ts";
import { channelMention } from "./blocks.ts";
import { failureLine, retryingLine } from "./failure.ts";
import { summaryMrkdwn } from "./timeline-message.ts";

/** The declarer's answer: where the incident lives, and what failed on the way if anything did. */
export function declaredMessage(declared: {
  incident: Incident;
  created: boolean;
  problems: readonly { step: FailedStep; failure: SendFailure; ref: string; retrying: boolean }[];
}): { text: string } {
  const { incident } = declared;
  const where = incident.channelId ? channelMention(incident.channelId) : "no channel yet";
  const lines = [
    declared.created
      ? `:rotating_light: ${incidentKey(incident.number)} declared: ${where}`
      : `${incidentKey(incident.number)} was already declared from this request: ${where}`,
    ...declared.problems.map((p) =>
      (p.retrying ? retryingLine : failureLine)(summaryMrkdwn(failedStepParts(p.step)), p.failure, p.ref),
    ),
  ];
  return { text: lines.join("\n") };
}
