import type { ModalView, PlainTextOption } from "@slack/types";
import { z } from "zod";
import { type Incident, incidentKey } from "../../domain/incident.ts";
import { isOpen, OPEN_STATUSES, type OpenStatus, statusEmoji, statusLabel } from "../../domain/status.ts";
import { INCIDENT_VIEWS } from "../incidents/ids.ts";
import { type FormResult, MAX_LONG_TEXT, parseForm, requiredText, selectedValue } from "./declare-modal.ts";
import { section, titleMrkdwn } from "./kickoff.ts";

/**
 * "Post update": a status update, optionally moving the incident between its open statuses. Resolving has
 * its own modal, so "resolved" is not offered here.
 */

export const UPDATE_BLOCKS = {
  status: "update_status",
  message: "update_message",
} as const;

export interface UpdateSubmission {
  status: OpenStatus;
  message: string;
}

function statusOption(status: OpenStatus): PlainTextOption {
  return {
    text: { type: "plain_text", text: `${statusEmoji(status)} ${statusLabel(status)}`, emoji: true },
    value: status,
  };
}

/** The modal for the "Post update" button; the current status is preselected while the incident is open. */
export function updateModal(incident: Incident, privateMetadata: string): ModalView {
  const options = OPEN_STATUSES.map(statusOption);
  const current = isOpen(incident.status) ? options.find((o) => o.value === incident.status) : undefined;
  return {
    type: "modal",
    callback_id: INCIDENT_VIEWS.update,
    title: { type: "plain_text", text: "Post an update" },
    submit: { type: "plain_text", text: "Post update" },
    close: { type: "plain_text", text: "Cancel" },
    private_metadata: privateMetadata,
    blocks: [
      section(`*${incidentKey(incident.number)}* ${titleMrkdwn(incident.title)}`),
      {
        type: "input",
        block_id: UPDATE_BLOCKS.status,
        label: { type: "plain_text", text: "Status" },
        element: {
          type: "static_select",
          action_id: UPDATE_BLOCKS.status,
          options,
          ...(current ? { initial_option: current } : {}),
        },
      },
      {
        type: "input",
        block_id: UPDATE_BLOCKS.message,
        label: { type: "plain_text", text: "Update" },
        hint: { type: "plain_text", text: "What changed, what is being tried, what is next." },
        element: {
          type: "plain_text_input",
          action_id: UPDATE_BLOCKS.message,
          multiline: true,
          max_length: MAX_LONG_TEXT,
        },
      },
    ],
  };
}

const updateShape = {
  status: selectedValue.pipe(z.enum(OPEN_STATUSES, { error: "Choose the incident's current status." })),
  message: requiredText(
    MAX_LONG_TEXT,
    "Write the update, even if it is only “still investigating”.",
    `Keep the update to ${MAX_LONG_TEXT} characters.`,
  ),
};

/** Reads an update submission's `view.state.values`: the status and message, or errors by block id. */
export function parseUpdateSubmission(values: unknown): FormResult<UpdateSubmission> {
  return parseForm(values, UPDATE_BLOCKS, updateShape);
}
