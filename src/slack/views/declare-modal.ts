import type { ModalView } from "@slack/types";
import { MAX_TITLE_LENGTH } from "../../domain/command-args.ts";
import type { Severity } from "../../domain/incident.ts";
import type { SeverityPolicyTable } from "../../domain/severity.ts";
import { oneLine, truncate } from "../../domain/text.ts";
import { INCIDENT_VIEWS } from "../ids.ts";
import {
  chars,
  checkboxesInput,
  checkedValues,
  type FormResult,
  MAX_LONG_TEXT,
  modalView,
  multilineInput,
  optionalText,
  parseForm,
  plainText,
  requiredSeverity,
  requiredText,
  selectedUser,
  selectedValue,
  selectInput,
  severityOptions,
  textInput,
  userInput,
} from "./forms.ts";

/** The "Declare an incident" modal and its submission parser. */

export const DECLARE_BLOCKS = {
  title: "declare_title",
  severity: "declare_severity",
  description: "declare_description",
  services: "declare_services",
  type: "declare_type",
  commander: "declare_commander",
  private: "declare_private",
  drill: "declare_drill",
  publish: "declare_publish",
} as const;

/** The value of the "Private incident" checkbox. */
export const PRIVATE_OPTION_VALUE = "private";
/** The value of the "Drill" checkbox. */
export const DRILL_OPTION_VALUE = "drill";
/** The value of the "Publish to status page" checkbox. */
export const PUBLISH_OPTION_VALUE = "publish";
export const MAX_SERVICES = 50;
export const MAX_SERVICE_LENGTH = 80;

export interface DeclarePrefill {
  title?: string;
  severity?: Severity;
  description?: string;
  services?: string[];
  commanderId?: string;
  isPrivate?: boolean;
  drill?: boolean;
  /** Opened from an alert: a real incident, so the form offers no Drill box. */
  fromAlert?: boolean;
  type?: string;
  /** The incident types the runbooks name; the Type menu is shown only when there are some. */
  types?: readonly string[];
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
  drill: boolean;
  /** The incident type chosen (its runbooks post their checklists), if any. */
  type?: string;
  publish: boolean;
}

const PRIVATE_OPTION = {
  text: { type: "plain_text" as const, text: "Private incident (private channel)" },
  description: { type: "plain_text" as const, text: "Only people invited can see the channel" },
  value: PRIVATE_OPTION_VALUE,
};

const DRILL_OPTION = {
  text: { type: "plain_text" as const, text: "Drill (practice incident)" },
  description: {
    type: "plain_text" as const,
    text: "A drill- channel, nobody paged, left out of reports",
  },
  value: DRILL_OPTION_VALUE,
};

const PUBLISH_OPTION = {
  text: { type: "plain_text" as const, text: "Publish to status page" },
  description: {
    type: "plain_text" as const,
    text: "SEV1 and SEV2 always are; it shows the services, never the title",
  },
  value: PUBLISH_OPTION_VALUE,
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

/** Prefilled text, trimmed and cut to the input's `max` characters ("" leaves the input empty). */
const initialValue = (text: string | undefined, max: number): string =>
  text?.trim() ? truncate(text.trim(), max) : "";

/**
 * The declare form, prefilled with whatever is already known (from `/incident declare sev2 …`, a message
 * shortcut, or a "Back" from the duplicate warning). Severity options carry the policy's descriptions.
 */
export function declareModal(prefill: DeclarePrefill, policies: SeverityPolicyTable): ModalView {
  return modalView({
    callbackId: INCIDENT_VIEWS.declare,
    title: "Declare an incident",
    submit: "Declare",
    privateMetadata: prefill.privateMetadata,
    blocks: [
      textInput(DECLARE_BLOCKS.title, {
        label: "Title",
        maxLength: MAX_TITLE_LENGTH,
        placeholder: "e.g. Checkout fails with 502 errors",
        initialValue: initialValue(prefill.title && oneLine(prefill.title), MAX_TITLE_LENGTH),
      }),
      selectInput(DECLARE_BLOCKS.severity, {
        label: "Severity",
        placeholder: "How bad is it?",
        options: severityOptions(policies),
        initialValue: prefill.severity,
      }),
      multilineInput(DECLARE_BLOCKS.description, {
        label: "Description",
        optional: true,
        hint: "What is happening, and who is affected?",
        maxLength: MAX_LONG_TEXT,
        initialValue: initialValue(prefill.description, MAX_LONG_TEXT),
      }),
      textInput(DECLARE_BLOCKS.services, {
        label: "Affected services",
        optional: true,
        hint: "Comma-separated, e.g. checkout, payments-api",
        maxLength: MAX_LONG_TEXT,
        initialValue: servicesInitialValue(prefill.services ?? []),
      }),
      ...typeInput(prefill),
      userInput(DECLARE_BLOCKS.commander, {
        label: "Incident commander",
        optional: true,
        placeholder: "Who leads the response?",
        initialUser: prefill.commanderId,
      }),
      checkboxesInput(DECLARE_BLOCKS.private, {
        label: "Visibility",
        optional: true,
        options: [PRIVATE_OPTION],
        initialOptions: prefill.isPrivate ? [PRIVATE_OPTION] : [],
      }),
      ...(prefill.fromAlert
        ? []
        : [
            checkboxesInput(DECLARE_BLOCKS.drill, {
              label: "Drill",
              optional: true,
              options: [DRILL_OPTION],
              initialOptions: prefill.drill ? [DRILL_OPTION] : [],
            }),
          ]),
      checkboxesInput(DECLARE_BLOCKS.publish, {
        label: "Status page",
        optional: true,
        options: [PUBLISH_OPTION],
        initialOptions: [],
      }),
    ],
  });
}

/** The optional Type menu, listing the runbooks' incident types (at most Slack's 100 options). */
function typeInput(prefill: DeclarePrefill) {
  const types = (prefill.types ?? []).slice(0, 100);
  if (types.length === 0) return [];
  return [
    selectInput(DECLARE_BLOCKS.type, {
      label: "Type",
      optional: true,
      placeholder: "Choose one to get its runbook checklist",
      options: types.map((type) => ({ text: { type: "plain_text", text: truncate(type, 75) }, value: type })),
      initialValue: prefill.type,
    }),
  ];
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

export const services = plainText.transform(splitServices).superRefine((names, ctx) => {
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
  drill: checkedValues.transform((values) => values.includes(DRILL_OPTION_VALUE)),
  type: selectedValue,
  publish: checkedValues.transform((values) => values.includes(PUBLISH_OPTION_VALUE)),
};

/** Reads a declare submission's `view.state.values`: the incident to declare, or errors by block id. */
export function parseDeclareSubmission(values: unknown): FormResult<DeclareSubmission> {
  const {
    title,
    severity,
    description,
    services,
    commander,
    private: isPrivate,
    drill,
    type,
    publish,
  } = DECLARE_BLOCKS;
  const blocks = {
    title,
    severity,
    description,
    services,
    commanderId: commander,
    isPrivate,
    drill,
    type,
    publish,
  };
  return parseForm(values, blocks, declareShape);
}
