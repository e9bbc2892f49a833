import { humanDuration } from "./duration.ts";
import type { Severity, Status } from "./incident.ts";
import { severityLabel } from "./severity.ts";
import { statusLabel } from "./status.ts";

/**
 * The incident communication templates. Each one merges the manual's status-page and e-mail texts
 * (seed 001, "4.3 Communication Templates", lines 819–882); the manual's fixed "every 30 minutes" (lines
 * 837–838, 857) becomes `{update_cadence}`, taken from the severity policy.
 */

export const TEMPLATE_KINDS = ["initial", "update", "resolved"] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];
/** How a template marks text up for where it is shown: plain text, or a chat platform's markup. */
export interface TemplateMarkup {
  /** User text as it must be written to show as typed. */
  text(text: string): string;
  date(date: Date): string;
  bold(text: string): string;
}

/** No markup; times written out in `timeZone`. */
export function plainMarkup(timeZone = "UTC"): TemplateMarkup {
  return { text: (text) => text, date: (date) => formatPlainTime(date, timeZone), bold: (text) => text };
}

export interface TemplateValues {
  incidentTitle?: string;
  severity?: Severity;
  affectedServices?: readonly string[];
  impactDescription?: string;
  startTime?: Date;
  currentStatus?: Status;
  updateDescription?: string;
  nextUpdateTime?: Date;
  /** Milliseconds since the incident started. */
  incidentDuration?: number;
  resolutionDescription?: string;
  resolutionTime?: Date;
  rootCause?: string;
  /** Milliseconds from start to resolution. */
  totalDuration?: number;
  /** From the severity policy; null (or unset) means no scheduled updates. */
  updateCadenceMinutes?: number | null;
}

type ValueKind = "text" | "list" | "date" | "duration" | "severity" | "status" | "cadence";

const PLACEHOLDERS = {
  incident_title: { key: "incidentTitle", kind: "text" },
  severity: { key: "severity", kind: "severity" },
  affected_services: { key: "affectedServices", kind: "list" },
  impact_description: { key: "impactDescription", kind: "text" },
  start_time: { key: "startTime", kind: "date" },
  current_status: { key: "currentStatus", kind: "status" },
  update_description: { key: "updateDescription", kind: "text" },
  next_update_time: { key: "nextUpdateTime", kind: "date" },
  incident_duration: { key: "incidentDuration", kind: "duration" },
  resolution_description: { key: "resolutionDescription", kind: "text" },
  resolution_time: { key: "resolutionTime", kind: "date" },
  root_cause: { key: "rootCause", kind: "text" },
  total_duration: { key: "totalDuration", kind: "duration" },
  update_cadence: { key: "updateCadenceMinutes", kind: "cadence" },
} as const satisfies Record<string, { key: keyof TemplateValues; kind: ValueKind }>;

export type Placeholder = keyof typeof PLACEHOLDERS;
export const PLACEHOLDER_NAMES = Object.keys(PLACEHOLDERS) as Placeholder[];

/** A line of a template: free text, or a labelled field ("Impact: …", bold label in Slack). Empty: blank line. */
export type TemplateLine = string | { label: string; text: string };

export interface MessageTemplate {
  subject: string;
  lines: readonly TemplateLine[];
}

export const TEMPLATES: Readonly<Record<TemplateKind, MessageTemplate>> = {
  initial: {
    subject: "[INCIDENT] {severity}: {incident_title}",
    lines: [
      "We are aware of an issue and are currently investigating.",
      "",
      { label: "Affected services", text: "{affected_services}" },
      { label: "Impact", text: "{impact_description}" },
      { label: "Status", text: "Investigating" },
      { label: "Started", text: "{start_time}" },
      "",
      "We are working to resolve this as quickly as possible and will provide updates {update_cadence} until it is resolved.",
    ],
  },
  update: {
    subject: "[UPDATE] {severity}: {incident_title}",
    lines: [
      { label: "Update", text: "{update_description}" },
      "",
      { label: "Current status", text: "{current_status}" },
      { label: "Duration", text: "{incident_duration}" },
      { label: "Next update", text: "{next_update_time}" },
      "",
      "Updates {update_cadence} until resolved.",
    ],
  },
  resolved: {
    subject: "[RESOLVED] {severity}: {incident_title}",
    lines: [
      "This incident has been resolved.",
      "",
      { label: "Resolution", text: "{resolution_description}" },
      { label: "Root cause", text: "{root_cause}" },
      { label: "Resolved", text: "{resolution_time}" },
      { label: "Total duration", text: "{total_duration}" },
      "",
      "We apologize for any inconvenience this may have caused. If you continue to experience issues, please contact support.",
    ],
  },
};

export const NOT_YET_KNOWN = "not yet known";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      weekday: "short",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** "Mon 23 Nov 2026, 09:00 UTC" in the given IANA time zone (throws RangeError for an unknown zone). */
export function formatPlainTime(date: Date, timeZone = "UTC"): string {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatterFor(timeZone).formatToParts(date)) parts[part.type] = part.value;
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}

/** 30 → "every 30 minutes", 60 → "every hour", 120 → "every 2 hours"; null: no schedule. */
export function cadenceText(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return "as more information becomes available";
  if (minutes === 60) return "every hour";
  if (minutes % 60 === 0) return `every ${minutes / 60} hours`;
  if (minutes === 1) return "every minute";
  if (minutes < 60) return `every ${minutes} minutes`;
  return `every ${humanDuration(minutes * 60_000)}`;
}

function renderValue(name: Placeholder, values: TemplateValues, markup: TemplateMarkup): string {
  const { key, kind } = PLACEHOLDERS[name];
  const value = values[key];
  const text = markup.text;
  switch (kind) {
    case "cadence":
      return cadenceText(value as number | null | undefined);
    case "text": {
      const s = typeof value === "string" ? value.trim() : "";
      return s === "" ? NOT_YET_KNOWN : text(s);
    }
    case "list": {
      const items = ((value ?? []) as readonly string[]).map((s) => s.trim()).filter((s) => s !== "");
      return items.length === 0 ? NOT_YET_KNOWN : items.map(text).join(", ");
    }
    case "date": {
      const date = value as Date | undefined;
      if (!date || Number.isNaN(date.getTime())) return NOT_YET_KNOWN;
      return markup.date(date);
    }
    case "duration":
      return typeof value === "number" && Number.isFinite(value) && value >= 0
        ? humanDuration(value)
        : NOT_YET_KNOWN;
    case "severity":
      return value === undefined ? NOT_YET_KNOWN : severityLabel(value as Severity);
    case "status":
      return value === undefined ? NOT_YET_KNOWN : statusLabel(value as Status);
  }
}

function isPlaceholder(name: string): name is Placeholder {
  return Object.hasOwn(PLACEHOLDERS, name);
}

/** The `{placeholder}` names a template uses, in order of first use. */
export function templatePlaceholders(kind: TemplateKind): string[] {
  const { subject, lines } = TEMPLATES[kind];
  const all = [subject, ...lines.map((line) => (typeof line === "string" ? line : line.text))].join("\n");
  return [...new Set(Array.from(all.matchAll(/\{([a-z_]+)\}/g), (m) => m[1] ?? ""))];
}

/**
 * Renders a template. Values are substituted in one pass, so text a user typed (even "{root_cause}") is never
 * expanded again. `markup` says how user text, times and labels are written (plain text by default). An
 * unknown placeholder in a template is a programming error and throws.
 */
export function renderTemplate(
  kind: TemplateKind,
  values: TemplateValues,
  markup: TemplateMarkup = plainMarkup(),
): string {
  const fill = (template: string) =>
    template.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
      if (!isPlaceholder(name)) throw new Error(`Template "${kind}" uses an unknown placeholder {${name}}`);
      return renderValue(name, values, markup);
    });
  const { subject, lines } = TEMPLATES[kind];
  const { bold } = markup;
  return [
    bold(fill(subject)),
    ...lines.map((line) =>
      typeof line === "string" ? fill(line) : `${bold(`${line.label}:`)} ${fill(line.text)}`,
    ),
  ].join("\n");
}
