import type { InputBlock, ModalView, PlainTextOption } from "@slack/types";
import { z } from "zod";
import { MAX_TITLE_LENGTH } from "../../domain/command-args.ts";
import { SEVERITIES, type Severity } from "../../domain/incident.ts";
import type { SeverityPolicy, SeverityPolicyTable } from "../../domain/severity.ts";
import { oneLine, truncate } from "../../domain/text.ts";
import { INCIDENT_VIEWS } from "../incidents/ids.ts";

/**
 * The "Declare an incident" modal and its submission parser. This module also holds what the other incident
 * modals share: reading `view.state.values` with zod into a value or per-block errors (the map Slack's
 * `response_action: "errors"` wants), and the severity menu options.
 */

// ——— Shared by the incident modals ———

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

export const MAX_LONG_TEXT = 3000;

const chars = (text: string) => Array.from(text).length;

const stateValues = z.record(z.string(), z.record(z.string(), z.unknown())).catch({});

/**
 * Parses `view.state.values` (`{ [blockId]: { [actionId]: element state } }`). Each input block's element
 * uses the block id as its action id; `shape` holds one schema per field and `blocks` that field's block
 * id. On failure every invalid field's first message is returned under its block id.
 */
export function parseForm<Shape extends z.core.$ZodShape>(
  values: unknown,
  blocks: { readonly [K in keyof Shape]: string },
  shape: Shape,
): FormResult<z.output<z.ZodObject<Shape>>> {
  const state = stateValues.parse(values);
  const input: Record<string, unknown> = {};
  for (const [field, blockId] of Object.entries(blocks) as [string, string][]) {
    input[field] = state[blockId]?.[blockId];
  }
  const parsed = z.object(shape).safeParse(input);
  if (parsed.success) {
    const value = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
    return { ok: true, value: value as z.output<z.ZodObject<Shape>> };
  }
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "");
    const blockId = Object.hasOwn(blocks, field) ? blocks[field as keyof Shape] : undefined;
    if (blockId !== undefined && !(blockId in errors)) errors[blockId] = issue.message;
  }
  return { ok: false, errors };
}

/** A plain_text_input's value, trimmed; "" when empty or malformed. */
const plainText = z
  .object({ value: z.string().nullish() })
  .nullish()
  .catch(null)
  .transform((state) => state?.value?.trim() ?? "");

/** A required text input: `missing` when empty, `tooLong` past `max` characters. */
export function requiredText(max: number, missing: string, tooLong: string) {
  return plainText.pipe(
    z
      .string()
      .min(1, missing)
      .refine((text) => chars(text) <= max, tooLong),
  );
}

/** An optional text input: undefined when empty. */
export function optionalText(max: number, tooLong: string) {
  return plainText
    .pipe(z.string().refine((text) => chars(text) <= max, tooLong))
    .transform((text) => (text === "" ? undefined : text));
}

/** A static_select's selected value, or undefined. */
export const selectedValue = z
  .object({ selected_option: z.object({ value: z.string() }).nullish() })
  .nullish()
  .catch(null)
  .transform((state) => state?.selected_option?.value);

/** A users_select's selected user, or undefined. */
export const selectedUser = z
  .object({ selected_user: z.string().nullish() })
  .nullish()
  .catch(null)
  .transform((state) => state?.selected_user || undefined);

/** The values of a checkboxes element's selected options. */
export const checkedValues = z
  .object({ selected_options: z.array(z.object({ value: z.string() })).nullish() })
  .nullish()
  .catch(null)
  .transform((state) => (state?.selected_options ?? []).map((option) => option.value));

export const requiredSeverity = selectedValue.pipe(z.enum(SEVERITIES, { error: "Choose a severity." }));

/** `:red_circle: SEV1`, described by the policy ("Complete service outage affecting all users"). */
export function severityOption(policy: SeverityPolicy): PlainTextOption {
  return {
    text: { type: "plain_text", text: truncate(`${policy.emoji} ${policy.label}`, 75), emoji: true },
    value: policy.severity,
    description: { type: "plain_text", text: truncate(oneLine(policy.description), 75), emoji: true },
  };
}

export function severityOptions(policies: SeverityPolicyTable): PlainTextOption[] {
  return SEVERITIES.map((severity) => severityOption(policies[severity]));
}

// ——— The declare modal ———

export const DECLARE_BLOCKS = {
  title: "declare_title",
  severity: "declare_severity",
  description: "declare_description",
  services: "declare_services",
  commander: "declare_commander",
  private: "declare_private",
} as const;

/** The value of the "Private incident" checkbox. */
export const PRIVATE_OPTION_VALUE = "private";
export const MAX_SERVICES = 50;
export const MAX_SERVICE_LENGTH = 80;

export interface DeclarePrefill {
  title?: string;
  severity?: Severity;
  description?: string;
  services?: string[];
  commanderId?: string;
  isPrivate?: boolean;
  /** Round-trips to the submission (e.g. the channel and message the modal was opened from). */
  privateMetadata: string;
}

export interface DeclareSubmission {
  title: string;
  severity: Severity;
  description: string;
  services: string[];
  commanderId?: string;
  isPrivate: boolean;
}

const PRIVATE_OPTION = {
  text: { type: "plain_text" as const, text: "Private incident (private channel)" },
  description: { type: "plain_text" as const, text: "Only people invited can see the channel" },
  value: PRIVATE_OPTION_VALUE,
};

/** "a, b, c" for the services input: whole names only, within the input's 3000 characters. */
function servicesInitialValue(services: readonly string[]): string {
  let value = "";
  for (const service of services.map(oneLine).filter((s) => s !== "")) {
    const next = value === "" ? service : `${value}, ${service}`;
    if (chars(next) > MAX_LONG_TEXT) break;
    value = next;
  }
  return value;
}

const initialValue = (text: string | undefined, max: number) => {
  const value = text?.trim() ? truncate(text.trim(), max) : "";
  return value === "" ? {} : { initial_value: value };
};

/**
 * The declare form, prefilled with whatever is already known (from `/incident declare sev2 …`, a message
 * shortcut, or a "Back" from the duplicate warning). Severity options carry the policy's descriptions.
 */
export function declareModal(prefill: DeclarePrefill, policies: SeverityPolicyTable): ModalView {
  const options = severityOptions(policies);
  const initialSeverity = options.find((option) => option.value === prefill.severity);
  const services = servicesInitialValue(prefill.services ?? []);
  const blocks: InputBlock[] = [
    {
      type: "input",
      block_id: DECLARE_BLOCKS.title,
      label: { type: "plain_text", text: "Title" },
      element: {
        type: "plain_text_input",
        action_id: DECLARE_BLOCKS.title,
        max_length: MAX_TITLE_LENGTH,
        placeholder: { type: "plain_text", text: "e.g. Checkout fails with 502 errors" },
        ...initialValue(prefill.title && oneLine(prefill.title), MAX_TITLE_LENGTH),
      },
    },
    {
      type: "input",
      block_id: DECLARE_BLOCKS.severity,
      label: { type: "plain_text", text: "Severity" },
      element: {
        type: "static_select",
        action_id: DECLARE_BLOCKS.severity,
        placeholder: { type: "plain_text", text: "How bad is it?" },
        options,
        ...(initialSeverity ? { initial_option: initialSeverity } : {}),
      },
    },
    {
      type: "input",
      block_id: DECLARE_BLOCKS.description,
      optional: true,
      label: { type: "plain_text", text: "Description" },
      hint: { type: "plain_text", text: "What is happening, and who is affected?" },
      element: {
        type: "plain_text_input",
        action_id: DECLARE_BLOCKS.description,
        multiline: true,
        max_length: MAX_LONG_TEXT,
        ...initialValue(prefill.description, MAX_LONG_TEXT),
      },
    },
    {
      type: "input",
      block_id: DECLARE_BLOCKS.services,
      optional: true,
      label: { type: "plain_text", text: "Affected services" },
      hint: { type: "plain_text", text: "Comma-separated, e.g. checkout, payments-api" },
      element: {
        type: "plain_text_input",
        action_id: DECLARE_BLOCKS.services,
        max_length: MAX_LONG_TEXT,
        ...(services === "" ? {} : { initial_value: services }),
      },
    },
    {
      type: "input",
      block_id: DECLARE_BLOCKS.commander,
      optional: true,
      label: { type: "plain_text", text: "Incident commander" },
      element: {
        type: "users_select",
        action_id: DECLARE_BLOCKS.commander,
        placeholder: { type: "plain_text", text: "Who leads the response?" },
        ...(prefill.commanderId ? { initial_user: prefill.commanderId } : {}),
      },
    },
    {
      type: "input",
      block_id: DECLARE_BLOCKS.private,
      optional: true,
      label: { type: "plain_text", text: "Visibility" },
      element: {
        type: "checkboxes",
        action_id: DECLARE_BLOCKS.private,
        options: [PRIVATE_OPTION],
        ...(prefill.isPrivate ? { initial_options: [PRIVATE_OPTION] } : {}),
      },
    },
  ];
  return {
    type: "modal",
    callback_id: INCIDENT_VIEWS.declare,
    title: { type: "plain_text", text: "Declare an incident" },
    submit: { type: "plain_text", text: "Declare" },
    close: { type: "plain_text", text: "Cancel" },
    private_metadata: prefill.privateMetadata,
    blocks,
  };
}

/** Splits on commas and line breaks; trims, drops empty names and repeats (compared case-insensitively). */
export function splitServices(text: string): string[] {
  const seen = new Set<string>();
  const services: string[] = [];
  for (const part of text.split(/[,\n]/)) {
    const name = oneLine(part);
    const key = name.toLowerCase();
    if (name === "" || seen.has(key)) continue;
    seen.add(key);
    services.push(name);
  }
  return services;
}

const services = plainText.transform(splitServices).superRefine((names, ctx) => {
  const long = names.find((name) => chars(name) > MAX_SERVICE_LENGTH);
  if (long !== undefined) {
    ctx.addIssue({
      code: "custom",
      message: `Service names are at most ${MAX_SERVICE_LENGTH} characters; "${truncate(long, 30)}" is ${chars(long)}. Separate services with commas.`,
    });
  } else if (names.length > MAX_SERVICES) {
    ctx.addIssue({
      code: "custom",
      message: `List at most ${MAX_SERVICES} services (there are ${names.length}).`,
    });
  }
});

const declareShape = {
  title: requiredText(
    MAX_TITLE_LENGTH,
    "Give the incident a short title.",
    `Keep the title to ${MAX_TITLE_LENGTH} characters; put details in the description.`,
  ),
  severity: requiredSeverity,
  description: optionalText(MAX_LONG_TEXT, `Keep the description to ${MAX_LONG_TEXT} characters.`).transform(
    (text) => text ?? "",
  ),
  services,
  commanderId: selectedUser,
  isPrivate: checkedValues.transform((values) => values.includes(PRIVATE_OPTION_VALUE)),
};

/** Reads a declare submission's `view.state.values`: the incident to declare, or errors by block id. */
export function parseDeclareSubmission(values: unknown): FormResult<DeclareSubmission> {
  const { title, severity, description, services, commander, private: isPrivate } = DECLARE_BLOCKS;
  const blocks = { title, severity, description, services, commanderId: commander, isPrivate };
  return parseForm(values, blocks, declareShape);
}
