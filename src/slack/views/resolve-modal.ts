import type { ModalView } from "@slack/types";
import { type Incident, incidentKey } from "../../domain/incident.ts";
import { INCIDENT_VIEWS } from "../incidents/ids.ts";
import { type FormResult, MAX_LONG_TEXT, optionalText, parseForm, requiredText } from "./declare-modal.ts";
import { section, titleMrkdwn } from "./kickoff.ts";

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
  return {
    type: "modal",
    callback_id: INCIDENT_VIEWS.resolve,
    title: { type: "plain_text", text: "Resolve incident" },
    submit: { type: "plain_text", text: "Resolve" },
    close: { type: "plain_text", text: "Cancel" },
    private_metadata: privateMetadata,
    blocks: [
      section(`*${incidentKey(incident.number)}* ${titleMrkdwn(incident.title)}`),
      {
        type: "input",
        block_id: RESOLVE_BLOCKS.resolution,
        label: { type: "plain_text", text: "Resolution" },
        hint: {
          type: "plain_text",
          text: "What fixed it? This is shared with everyone following the incident.",
        },
        element: {
          type: "plain_text_input",
          action_id: RESOLVE_BLOCKS.resolution,
          multiline: true,
          max_length: MAX_LONG_TEXT,
        },
      },
      {
        type: "input",
        block_id: RESOLVE_BLOCKS.rootCause,
        optional: true,
        label: { type: "plain_text", text: "Root cause" },
        hint: { type: "plain_text", text: "Leave empty if it is not known yet; the postmortem can add it." },
        element: {
          type: "plain_text_input",
          action_id: RESOLVE_BLOCKS.rootCause,
          multiline: true,
          max_length: MAX_LONG_TEXT,
        },
      },
    ],
  };
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
