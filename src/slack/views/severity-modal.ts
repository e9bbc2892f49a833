import type { ModalView } from "@slack/types";
import { type Incident, incidentKey, type Severity } from "../../domain/incident.ts";
import type { SeverityPolicyTable } from "../../domain/severity.ts";
import { INCIDENT_VIEWS } from "../incidents/ids.ts";
import { type FormResult, parseForm, requiredSeverity, severityOptions } from "./declare-modal.ts";
import { section, titleMrkdwn } from "./kickoff.ts";

/** "Change severity": the severity menu, the current one preselected. */

export const SEVERITY_BLOCKS = {
  severity: "severity_select",
} as const;

export interface SeveritySubmission {
  severity: Severity;
}

/** The modal for the "Change severity" button; options carry the policy's descriptions. */
export function severityModal(
  incident: Incident,
  privateMetadata: string,
  policies: SeverityPolicyTable,
): ModalView {
  const options = severityOptions(policies);
  const current = options.find((option) => option.value === incident.severity);
  return {
    type: "modal",
    callback_id: INCIDENT_VIEWS.severity,
    title: { type: "plain_text", text: "Change severity" },
    submit: { type: "plain_text", text: "Change" },
    close: { type: "plain_text", text: "Cancel" },
    private_metadata: privateMetadata,
    blocks: [
      section(`*${incidentKey(incident.number)}* ${titleMrkdwn(incident.title)}`),
      {
        type: "input",
        block_id: SEVERITY_BLOCKS.severity,
        label: { type: "plain_text", text: "Severity" },
        element: {
          type: "static_select",
          action_id: SEVERITY_BLOCKS.severity,
          options,
          ...(current ? { initial_option: current } : {}),
        },
      },
    ],
  };
}

/** Reads a severity submission's `view.state.values`: the chosen severity, or errors by block id. */
export function parseSeveritySubmission(values: unknown): FormResult<SeveritySubmission> {
  return parseForm(values, SEVERITY_BLOCKS, { severity: requiredSeverity });
}
