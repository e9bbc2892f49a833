import type {
  Checkboxes,
  InputBlock,
  ModalView,
  PlainTextElement,
  PlainTextInput,
  PlainTextOption,
  SectionBlock,
  StaticSelect,
  UsersSelect,
} from "@slack/types";
import { z } from "zod";
import { type Incident, incidentKey, SEVERITIES } from "../../domain/incident.ts";
import type { SeverityPolicy, SeverityPolicyTable } from "../../domain/severity.ts";
import { oneLine, truncate } from "../../domain/text.ts";
import { section, titleMrkdwn } from "./blocks.ts";

/**
 * What the incident modals share: the modal itself and its input blocks (each element's action id is its
 * block id, which `parseForm` relies on), reading `view.state.values` with zod into a value or per-block
 * errors (the map Slack's `response_action: "errors"` wants), and the severity menu options.
 */

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

export const MAX_LONG_TEXT = 3000;

/** Length in characters (code points), as Slack counts an input's `max_length`. */
export const chars = (text: string) => Array.from(text).length;

// ——— Building the modal ———

const plain = (text: string): PlainTextElement => ({ type: "plain_text", text });

export interface ModalOptions {
  callbackId: string;
  title: string;
  submit: string;
  /** The close button's text; "Cancel" unless given. */
  close?: string;
  privateMetadata: string;
  blocks: ModalView["blocks"];
}

export function modalView(options: ModalOptions): ModalView {
  return {
    type: "modal",
    callback_id: options.callbackId,
    title: plain(options.title),
    submit: plain(options.submit),
    close: plain(options.close ?? "Cancel"),
    private_metadata: options.privateMetadata,
    blocks: options.blocks,
  };
}

/** The incident a modal acts on: `*INC-42* Checkout fails with 502`. */
export function incidentHeading(incident: Pick<Incident, "number" | "title">): SectionBlock {
  return section(`*${incidentKey(incident.number)}* ${titleMrkdwn(incident.title)}`);
}

export interface FieldOptions {
  label: string;
  optional?: boolean;
  hint?: string;
}

function inputBlock(blockId: string, field: FieldOptions, element: InputBlock["element"]): InputBlock {
  return {
    type: "input",
    block_id: blockId,
    ...(field.optional ? { optional: true } : {}),
    label: plain(field.label),
    ...(field.hint ? { hint: plain(field.hint) } : {}),
    element,
  };
}

export interface TextFieldOptions extends FieldOptions {
  maxLength: number;
  placeholder?: string;
  /** Left out when empty. */
  initialValue?: string;
}

function plainTextInput(blockId: string, field: TextFieldOptions, multiline: boolean): InputBlock {
  const element: PlainTextInput = {
    type: "plain_text_input",
    action_id: blockId,
    ...(multiline ? { multiline: true } : {}),
    max_length: field.maxLength,
    ...(field.placeholder ? { placeholder: plain(field.placeholder) } : {}),
    ...(field.initialValue ? { initial_value: field.initialValue } : {}),
  };
  return inputBlock(blockId, field, element);
}

/** A one-line text input. */
export function textInput(blockId: string, field: TextFieldOptions): InputBlock {
  return plainTextInput(blockId, field, false);
}

/** A multi-line text input. */
export function multilineInput(blockId: string, field: TextFieldOptions): InputBlock {
  return plainTextInput(blockId, field, true);
}

export interface SelectFieldOptions extends FieldOptions {
  options: PlainTextOption[];
  placeholder?: string;
  /** The value of the option preselected; none when no option has it. */
  initialValue?: string;
}

/** A static select menu. */
export function selectInput(blockId: string, field: SelectFieldOptions): InputBlock {
  const initial = field.options.find((option) => option.value === field.initialValue);
  const element: StaticSelect = {
    type: "static_select",
    action_id: blockId,
    ...(field.placeholder ? { placeholder: plain(field.placeholder) } : {}),
    options: field.options,
    ...(initial ? { initial_option: initial } : {}),
  };
  return inputBlock(blockId, field, element);
}

export interface UserFieldOptions extends FieldOptions {
  placeholder?: string;
  initialUser?: string;
}

/** A menu of the workspace's people. */
export function userInput(blockId: string, field: UserFieldOptions): InputBlock {
  const element: UsersSelect = {
    type: "users_select",
    action_id: blockId,
    ...(field.placeholder ? { placeholder: plain(field.placeholder) } : {}),
    ...(field.initialUser ? { initial_user: field.initialUser } : {}),
  };
  return inputBlock(blockId, field, element);
}

export interface CheckboxFieldOptions extends FieldOptions {
  options: PlainTextOption[];
  /** The options checked at first; none when empty. */
  initialOptions?: PlainTextOption[];
}

/** Checkboxes. */
export function checkboxesInput(blockId: string, field: CheckboxFieldOptions): InputBlock {
  const element: Checkboxes = {
    type: "checkboxes",
    action_id: blockId,
    options: field.options,
    ...(field.initialOptions?.length ? { initial_options: field.initialOptions } : {}),
  };
  return inputBlock(blockId, field, element);
}

// ——— Reading the submission ———

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
export const plainText = z
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

// ——— The severity menu ———

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
