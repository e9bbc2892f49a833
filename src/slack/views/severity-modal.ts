import type { ModalView } from "@slack/types";
import type { Incident, Severity } from "../../domain/incident.ts";
import type { SeverityPolicyTable } from "../../domain/severity.ts";
import { INCIDENT_VIEWS } from "../ids.ts";
import {
  type FormResult,
  incidentHeading,
  modalView,
  parseForm,
  requiredSeverity,
  selectInput,
  severityOptions,
} from "./forms.ts";

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
  return modalView({
    callbackId: INCIDENT_VIEWS.severity,
    title: "Change severity",
    submit: "Change",
    privateMetadata,
    blocks: [
      incidentHeading(incident),
      selectInput(SEVERITY_BLOCKS.severity, {
        label: "Severity",
        options: severityOptions(policies),
        initialValue: incident.severity,
      }),
    ],
  });
}

/** Reads a severity submission's `view.state.values`: the chosen severity, or errors by block id. */
export function parseSeveritySubmission(values: unknown): FormResult<SeveritySubmission> {
  return parseForm(values, SEVERITY_BLOCKS, { severity: requiredSeverity });
}
