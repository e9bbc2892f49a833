import type { ModalView, PlainTextOption } from "@slack/types";
import { z } from "zod";
import {
  MAINTENANCE_TYPES,
  type MaintenancePolicyTable,
  type MaintenanceType,
  noticeText,
} from "../../domain/maintenance.ts";
import { truncate } from "../../domain/text.ts";
import { isRealDate, zonedWallTimeToUtc } from "../../domain/time-zone.ts";
import { splitServices } from "./declare-modal.ts";
import {
  chars,
  type FormResult,
  MAX_LONG_TEXT,
  modalView,
  multilineInput,
  optionalText,
  parseForm,
  plainText,
  requiredText,
  selectedValue,
  selectInput,
  textInput,
} from "./forms.ts";

/** The "Schedule maintenance" modal and its submission parser. */

export const MAINT_VIEW = "maint_schedule";

export const MAINT_BLOCKS = {
  title: "maint_title",
  type: "maint_type",
  start: "maint_start",
  end: "maint_end",
  services: "maint_services",
  procedure: "maint_procedure",
  rollback: "maint_rollback",
} as const;

export const MAX_MAINT_TITLE = 150;

export interface MaintSubmission {
  title: string;
  type: MaintenanceType;
  startsAt: Date;
  endsAt: Date;
  services: string[];
  procedure: string;
  rollback: string;
}

function typeOption(type: MaintenanceType, types: MaintenancePolicyTable): PlainTextOption {
  const policy = types[type];
  const approval = policy.approvalRequired ? "approval" : "no approval";
  return {
    text: { type: "plain_text", text: type },
    value: type,
    description: {
      type: "plain_text",
      text: truncate(`${noticeText(policy.noticeHours)} notice, ${approval}, ${policy.preferredWindow}`, 75),
    },
  };
}

export function maintModal(
  options: { type?: MaintenanceType; timeZone: string; privateMetadata: string },
  types: MaintenancePolicyTable,
): ModalView {
  const when = `YYYY-MM-DD HH:MM, ${options.timeZone}`;
  return modalView({
    callbackId: MAINT_VIEW,
    title: "Schedule maintenance",
    submit: "Schedule",
    privateMetadata: options.privateMetadata,
    blocks: [
      textInput(MAINT_BLOCKS.title, {
        label: "Title",
        maxLength: MAX_MAINT_TITLE,
        placeholder: "e.g. Patch OpenSSL on the edge proxies",
      }),
      selectInput(MAINT_BLOCKS.type, {
        label: "Type",
        placeholder: "What kind of work?",
        options: MAINTENANCE_TYPES.map((type) => typeOption(type, types)),
        initialValue: options.type,
      }),
      textInput(MAINT_BLOCKS.start, { label: "Start", maxLength: 16, hint: when }),
      textInput(MAINT_BLOCKS.end, { label: "End", maxLength: 16, hint: when }),
      textInput(MAINT_BLOCKS.services, {
        label: "Affected services",
        maxLength: MAX_LONG_TEXT,
        hint: "Comma-separated, e.g. checkout, payments-api",
      }),
      multilineInput(MAINT_BLOCKS.procedure, {
        label: "Procedure",
        optional: true,
        maxLength: MAX_LONG_TEXT,
      }),
      multilineInput(MAINT_BLOCKS.rollback, { label: "Rollback", optional: true, maxLength: MAX_LONG_TEXT }),
    ],
  });
}

/** "2026-12-05 22:00" read as a wall time in `timeZone`. */
function wallTime(timeZone: string) {
  return plainText.transform((text, check) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/.exec(text);
    const [year, month, day, hour, minute] = (match?.slice(1) ?? []).map(Number) as number[];
    if (
      !match ||
      year === undefined ||
      month === undefined ||
      day === undefined ||
      hour === undefined ||
      minute === undefined ||
      !isRealDate(year, month, day) ||
      hour > 23 ||
      minute > 59
    ) {
      check.addIssue({
        code: "custom",
        message: `Write a date and time such as 2026-12-05 22:00 (${timeZone}).`,
      });
      return z.NEVER;
    }
    return zonedWallTimeToUtc({ year, month, day, hour, minute }, timeZone);
  });
}

const services = plainText
  .transform(splitServices)
  .refine((names) => names.length > 0, "Name at least one service.");

/** Reads a submission's `view.state.values`: the window asked for, or errors by block id. */
export function parseMaintSubmission(values: unknown, timeZone: string): FormResult<MaintSubmission> {
  const shape = {
    title: requiredText(
      MAX_MAINT_TITLE,
      "Give the window a short title.",
      `Keep the title to ${MAX_MAINT_TITLE} characters.`,
    ),
    type: selectedValue.pipe(
      z.enum(MAINTENANCE_TYPES, { error: `Choose a type: ${MAINTENANCE_TYPES.join(", ")}.` }),
    ),
    startsAt: wallTime(timeZone),
    endsAt: wallTime(timeZone),
    services: services.refine(
      (names) => names.every((n) => chars(n) <= 80),
      "Service names are at most 80 characters.",
    ),
    procedure: optionalText(MAX_LONG_TEXT, `Keep it to ${MAX_LONG_TEXT} characters.`).transform(
      (t) => t ?? "",
    ),
    rollback: optionalText(MAX_LONG_TEXT, `Keep it to ${MAX_LONG_TEXT} characters.`).transform(
      (t) => t ?? "",
    ),
  };
  const { title, type, start, end, procedure, rollback } = MAINT_BLOCKS;
  const blocks = {
    title,
    type,
    startsAt: start,
    endsAt: end,
    services: MAINT_BLOCKS.services,
    procedure,
    rollback,
  };
  return parseForm(values, blocks, shape);
}
