import type { ModalView, PlainTextOption } from "@slack/types";
import { z } from "zod";
import type { Incident } from "../../domain/incident.ts";
import { isOpen, OPEN_STATUSES, type OpenStatus, statusEmoji, statusLabel } from "../../domain/status.ts";
import { DEFAULT_PUBLIC_UPDATE } from "../../domain/status-page.ts";
import { INCIDENT_VIEWS } from "../ids.ts";
import {
  checkboxesInput,
  type FormResult,
  incidentHeading,
  MAX_LONG_TEXT,
  modalView,
  multilineInput,
  optionalText,
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
  publish: "update_publish",
  publicText: "update_public_text",
} as const;

/** The value of the "Publish to status page" checkbox. */
export const PUBLISH_UPDATE_VALUE = "publish";

export interface UpdateSubmission {
  status: OpenStatus;
  message: string;
  /**
   * Whether the incident is to be on the public status page after this update; undefined when the form had
   * no such box (opened before the status page existed): nothing changes then.
   */
  publish: boolean | undefined;
  /** The text the public sees; empty keeps this update internal. */
  publicText: string;
}

const PUBLISH_OPTION = {
  text: { type: "plain_text" as const, text: "Publish to status page" },
  description: { type: "plain_text" as const, text: "Untick to take the incident off the page" },
  value: PUBLISH_UPDATE_VALUE,
};

function statusOption(status: OpenStatus): PlainTextOption {
  return {
    text: { type: "plain_text", text: `${statusEmoji(status)} ${statusLabel(status)}`, emoji: true },
    value: status,
  };
}

/**
 * The modal for the "Post update" button; the current status is preselected while the incident is open.
 * `published`: the incident is on the status page, so the box is ticked. The public text, pre-filled from the
 * status-page template, is separate, so the internal update never reaches the page.
 */
export function updateModal(incident: Incident, privateMetadata: string, published = false): ModalView {
  const publicText = isOpen(incident.status) ? DEFAULT_PUBLIC_UPDATE[incident.status] : "";
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
      checkboxesInput(UPDATE_BLOCKS.publish, {
        label: "Status page",
        optional: true,
        options: [PUBLISH_OPTION],
        initialOptions: published ? [PUBLISH_OPTION] : [],
      }),
      multilineInput(UPDATE_BLOCKS.publicText, {
        label: "Public update (status page)",
        optional: true,
        hint: "What the public reads, with the status and next update time. Empty: this update stays internal.",
        maxLength: MAX_LONG_TEXT,
        initialValue: publicText,
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
  // Slack sends every checkbox block, ticked or not: a missing one is a form from before the box existed.
  publish: z
    .object({ selected_options: z.array(z.object({ value: z.string() })).nullish() })
    .nullish()
    .catch(null)
    .transform((state) =>
      state ? (state.selected_options ?? []).some((o) => o.value === PUBLISH_UPDATE_VALUE) : undefined,
    ),
  publicText: optionalText(MAX_LONG_TEXT, `Keep the public update to ${MAX_LONG_TEXT} characters.`).transform(
    (text) => text ?? "",
  ),
};

/** Reads an update submission's `view.state.values`: the status and message, or errors by block id. */
export function parseUpdateSubmission(values: unknown): FormResult<UpdateSubmission> {
  return parseForm(values, UPDATE_BLOCKS, updateShape);
}
