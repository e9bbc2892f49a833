import type { ModalView } from "@slack/types";
import type { Incident } from "../../domain/incident.ts";
import { INCIDENT_VIEWS } from "../ids.ts";
import {
  type FormResult,
  incidentHeading,
  MAX_LONG_TEXT,
  modalView,
  multilineInput,
  optionalText,
  parseForm,
  requiredText,
} from "./forms.ts";

/** "Resolve": how the incident was resolved and, when known, its root cause. */

export const RESOLVE_BLOCKS = {
  resolution: "resolve_resolution",
  rootCause: "resolve_root_cause",
} as const;

export interface ResolveSubmission {
  resolution: string;
  rootCause?: string;
}

/** The modal for the "Resolve" button. */
export function resolveModal(incident: Incident, privateMetadata: string): ModalView {
  return modalView({
    callbackId: INCIDENT_VIEWS.resolve,
    title: "Resolve incident",
    submit: "Resolve",
    privateMetadata,
    blocks: [
      incidentHeading(incident),
      multilineInput(RESOLVE_BLOCKS.resolution, {
        label: "Resolution",
        hint: "What fixed it? This is shared with everyone following the incident.",
        maxLength: MAX_LONG_TEXT,
      }),
      multilineInput(RESOLVE_BLOCKS.rootCause, {
        label: "Root cause",
        optional: true,
        hint: "Leave empty if it is not known yet; the postmortem can add it.",
        maxLength: MAX_LONG_TEXT,
      }),
    ],
  });
}

const resolveShape = {
  resolution: requiredText(
    MAX_LONG_TEXT,
    "Describe how the incident was resolved.",
    `Keep the resolution to ${MAX_LONG_TEXT} characters.`,
  ),
  rootCause: optionalText(MAX_LONG_TEXT, `Keep the root cause to ${MAX_LONG_TEXT} characters.`),
};

/** Reads a resolve submission's `view.state.values`: resolution and root cause, or errors by block id. */
export function parseResolveSubmission(values: unknown): FormResult<ResolveSubmission> {
  return parseForm(values, RESOLVE_BLOCKS, resolveShape);
}
