import type { InputBlock, ModalView, PlainTextOption } from "@slack/types";
import { z } from "zod";
import {
  APPROVAL_MATRIX,
  CHANGE_RISKS,
  CHANGE_TYPES,
  type ChangeFields,
  type ChangeType,
} from "../../domain/change.ts";
import { MAX_TITLE_LENGTH } from "../../domain/command-args.ts";
import { truncate } from "../../domain/text.ts";
import { CHANGE_VIEWS } from "../ids.ts";
import { services } from "./declare-modal.ts";
import {
  type FormResult,
  MAX_LONG_TEXT,
  modalView,
  multilineInput,
  optionalText,
  parseForm,
  requiredText,
  selectedValue,
  selectInput,
  textInput,
} from "./forms.ts";

/** The "Request a change" modal and its submission parser. */

export const CHANGE_BLOCKS = {
  type: "change_type",
  title: "change_title",
  description: "change_description",
  risk: "change_risk",
  scheduledAt: "change_scheduled_at",
  services: "change_services",
  rollbackPlan: "change_rollback_plan",
  testingPlan: "change_testing_plan",
} as const;

/** A scheduled time this far in the past still counts as now (the picker has no seconds). */
const NOW_TOLERANCE_MS = 60_000;

const TYPE_HINTS: Record<ChangeType, string> = {
  emergency: "Critical fix or security patch",
  routine: "Maintenance, updates",
  standard: "Regular feature or bug fix",
  major: "Architecture change, migration",
};

function typeOption(type: ChangeType): PlainTextOption {
  const policy = APPROVAL_MATRIX[type];
  const who = policy.autoApprove ? "approved automatically" : `needs ${policy.required.join(", ")}`;
  return {
    text: { type: "plain_text", text: `${type.charAt(0).toUpperCase()}${type.slice(1)}` },
    value: type,
    description: { type: "plain_text", text: truncate(`${TYPE_HINTS[type]}; ${who}`, 75) },
  };
}

const riskOptions: PlainTextOption[] = CHANGE_RISKS.map((risk) => ({
  text: { type: "plain_text", text: `${risk.charAt(0).toUpperCase()}${risk.slice(1)} risk` },
  value: risk,
}));

function dateTimeInput(blockId: string, label: string, hint: string): InputBlock {
  return {
    type: "input",
    block_id: blockId,
    label: { type: "plain_text", text: label },
    hint: { type: "plain_text", text: hint },
    element: { type: "datetimepicker", action_id: blockId },
  };
}

export function changeRequestModal(privateMetadata: string): ModalView {
  return modalView({
    callbackId: CHANGE_VIEWS.request,
    title: "Request a change",
    submit: "Submit",
    privateMetadata,
    blocks: [
      selectInput(CHANGE_BLOCKS.type, {
        label: "Type",
        placeholder: "Which kind of change?",
        options: CHANGE_TYPES.map(typeOption),
      }),
      textInput(CHANGE_BLOCKS.title, {
        label: "Title",
        maxLength: MAX_TITLE_LENGTH,
        placeholder: "e.g. Upgrade the orders database to PostgreSQL 16",
      }),
      multilineInput(CHANGE_BLOCKS.description, {
        label: "Description",
        optional: true,
        maxLength: MAX_LONG_TEXT,
        hint: "What changes, and why?",
      }),
      selectInput(CHANGE_BLOCKS.risk, {
        label: "Risk",
        placeholder: "How risky is it?",
        options: riskOptions,
      }),
      dateTimeInput(CHANGE_BLOCKS.scheduledAt, "Scheduled for", "When the change is to be implemented"),
      textInput(CHANGE_BLOCKS.services, {
        label: "Affected services",
        hint: "Comma-separated, e.g. checkout, payments-api",
        maxLength: MAX_LONG_TEXT,
      }),
      multilineInput(CHANGE_BLOCKS.rollbackPlan, {
        label: "Rollback plan",
        maxLength: MAX_LONG_TEXT,
        hint: "How to undo it if it goes wrong",
      }),
      multilineInput(CHANGE_BLOCKS.testingPlan, {
        label: "Testing plan",
        maxLength: MAX_LONG_TEXT,
        hint: "How it was tested, and how you will check it worked",
      }),
    ],
  });
}

/** A datetimepicker's value (Unix seconds), not before `now`. */
function scheduledTime(now: Date) {
  return z
    .object({ selected_date_time: z.number().nullish() })
    .nullish()
    .catch(null)
    .transform((state, ctx) => {
      const seconds = state?.selected_date_time;
      if (typeof seconds !== "number") {
        ctx.addIssue({ code: "custom", message: "Choose when the change is scheduled." });
        return z.NEVER;
      }
      const at = new Date(seconds * 1000);
      if (at.getTime() < now.getTime() - NOW_TOLERANCE_MS) {
        ctx.addIssue({ code: "custom", message: "That time is in the past; choose now or later." });
        return z.NEVER;
      }
      return at;
    });
}

const longText = (field: string) =>
  requiredText(MAX_LONG_TEXT, `Write the ${field}.`, `Keep the ${field} to ${MAX_LONG_TEXT} characters.`);

function changeShape(now: Date) {
  return {
    type: selectedValue.pipe(
      z.enum(CHANGE_TYPES, { error: "Choose the type: emergency, routine, standard or major." }),
    ),
    title: requiredText(
      MAX_TITLE_LENGTH,
      "Give the change a short title.",
      `Keep the title to ${MAX_TITLE_LENGTH} characters; put details in the description.`,
    ),
    description: optionalText(
      MAX_LONG_TEXT,
      `Keep the description to ${MAX_LONG_TEXT} characters.`,
    ).transform((text) => text ?? ""),
    risk: selectedValue.pipe(z.enum(CHANGE_RISKS, { error: "Choose the risk: low, medium or high." })),
    scheduledAt: scheduledTime(now),
    affectedServices: services.refine((names) => names.length > 0, "Name at least one affected service."),
    rollbackPlan: longText("rollback plan"),
    testingPlan: longText("testing plan"),
  };
}

/** Reads a request form's `view.state.values` at `now`: the change's fields, or errors by block id. */
export function parseChangeSubmission(values: unknown, now: Date): FormResult<ChangeFields> {
  const { scheduledAt, services: affectedServices, rollbackPlan, testingPlan, ...rest } = CHANGE_BLOCKS;
  const blocks = { ...rest, scheduledAt, affectedServices, rollbackPlan, testingPlan };
  return parseForm(values, blocks, changeShape(now));
}
