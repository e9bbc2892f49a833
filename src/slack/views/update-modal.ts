import type { ModalView, PlainTextOption } from "@slack/types";
import { z } from "zod";
import type { Incident } from "../../domain/incident.ts";
import { isOpen, OPEN_STATUSES, type OpenStatus, statusEmoji, statusLabel } from "../../domain/status.ts";
import { INCIDENT_VIEWS } from "../ids.ts";
import {
  type FormResult,
  incidentHeading,
  MAX_LONG_TEXT,
  modalView,
  multilineInput,
  parseForm,
  requiredText,
  selectedValue,
  selectInput,
} from "./forms.ts";

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
  return modalView({
    callbackId: INCIDENT_VIEWS.update,
    title: "Post an update",
    submit: "Post update",
    privateMetadata,
    blocks: [
      incidentHeading(incident),
      selectInput(UPDATE_BLOCKS.status, {
        label: "Status",
        options: OPEN_STATUSES.map(statusOption),
        initialValue: isOpen(incident.status) ? incident.status : undefined,
      }),
      multilineInput(UPDATE_BLOCKS.message, {
        label: "Update",
        hint: "What changed, what is being tried, what is next.",
        maxLength: MAX_LONG_TEXT,
      }),
    ],
  });
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
