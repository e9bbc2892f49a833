import { z } from "zod";
import type { AlertLink, AlertSeverity, IncomingAlert, Label } from "../alert.ts";
import { truncate } from "../text.ts";

/**
 * What the source adapters share: caps, label maps, timestamps, links, severity words, fingerprints and the
 * error text. Plain data in, plain data out; the HTTP side decides what a failure means for the sender.
 */

export const MAX_TITLE_LENGTH = 150;
export const MAX_DESCRIPTION_LENGTH = 3000;
/** Label and annotation values, services, fingerprints, link titles. */
export const MAX_VALUE_LENGTH = 1000;
/** A cut URL is a broken link, so longer URLs are dropped instead of capped. */
export const MAX_URL_LENGTH = 2000;

export type ParseResult = { ok: true; alerts: IncomingAlert[] } | { ok: false; error: string };
export type AlertParser = (body: unknown) => ParseResult;

/** Trims, then cuts to `max` characters ending with "…": long text is shortened, never a reason to refuse. */
export function clip(text: string, max: number = MAX_VALUE_LENGTH): string {
  return truncate(text.trim(), max);
}

function describeInput(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "array";
  return typeof input;
}

/**
 * A JSON object of string values (Prometheus/Grafana labels and annotations), read as `Label` pairs sorted by
 * name. Keys are kept exactly as sent: dots, slashes, `$` and even `__proto__` (a zod record would lose that
 * one, because it assigns the keys onto a fresh object). Values are left whole here; `capLabels` caps them.
 */
export const labelMap = z.unknown().transform((input, ctx): Label[] => {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    ctx.issues.push({ code: "custom", message: `expected object, received ${describeInput(input)}`, input });
    return z.NEVER;
  }
  const labels: Label[] = [];
  for (const [name, value] of Object.entries(input)) {
    if (typeof value === "string") labels.push({ name, value });
    else
      ctx.issues.push({
        code: "custom",
        message: `expected string, received ${describeInput(value)}`,
        input: value,
        path: [name],
      });
  }
  return labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
});

export function capLabels(labels: Label[]): Label[] {
  return labels.map(({ name, value }) => ({ name, value: clip(value) }));
}

/** The (untrimmed, uncapped) value of the first label with this name that has non-blank text. */
export function labelValue(labels: Label[], name: string): string | undefined {
  const value = labels.find((label) => label.name === name)?.value;
  return value?.trim() ? value : undefined;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * An RFC 3339 timestamp as Prometheus and Grafana write them (nanoseconds allowed). Go's zero time,
 * `0001-01-01T00:00:00Z`, is how both say "not set", so it reads as undefined.
 */
export const timestamp = z.string().transform((text, ctx): Date | undefined => {
  const ms = RFC3339.test(text.trim()) ? Date.parse(text.trim()) : Number.NaN;
  if (Number.isNaN(ms)) {
    ctx.issues.push({ code: "custom", message: "expected an RFC 3339 date-time", input: text });
    return z.NEVER;
  }
  const date = new Date(ms);
  return date.getUTCFullYear() <= 1 ? undefined : date;
});

/** A link worth showing: an http(s) URL of sensible length; anything else (empty, relative, javascript:) is skipped. */
export function link(title: string, url: string | undefined): AlertLink | undefined {
  const href = url?.trim();
  if (!href || href.length > MAX_URL_LENGTH || !URL.canParse(href)) return undefined;
  const { protocol } = new URL(href);
  if (protocol !== "http:" && protocol !== "https:") return undefined;
  return { title: clip(title, MAX_TITLE_LENGTH) || href.slice(0, MAX_TITLE_LENGTH), url: href };
}

/** Drops the links that were skipped and repeats of the same URL (first title wins). */
export function links(candidates: (AlertLink | undefined)[]): AlertLink[] {
  const seen = new Set<string>();
  return candidates.filter((candidate): candidate is AlertLink => {
    if (!candidate || seen.has(candidate.url)) return false;
    seen.add(candidate.url);
    return true;
  });
}

const SEVERITY_WORDS = new Map<string, AlertSeverity>([
  ["critical", "critical"],
  ["error", "high"],
  ["high", "high"],
  ["major", "high"],
  ["warning", "medium"],
  ["medium", "medium"],
  ["info", "low"],
  ["low", "low"],
  ["none", "low"],
]);

/** A `severity` label (any case) as a Firebreak severity; missing or unfamiliar words count as medium. */
export function severityFromLabel(value: string | undefined): AlertSeverity {
  return SEVERITY_WORDS.get(value?.trim().toLowerCase() ?? "") ?? "medium";
}

/** Labels that name the service, most specific first. */
const SERVICE_LABELS = ["service", "app.kubernetes.io/name", "job"];
export const UNKNOWN_SERVICE = "unknown";

export function serviceFromLabels(labels: Label[]): string {
  for (const name of SERVICE_LABELS) {
    const value = labelValue(labels, name);
    if (value) return clip(value);
  }
  return UNKNOWN_SERVICE;
}

/** "alertname: summary", or whichever of the two is there, or the fallback; capped to a title's length. */
export function titleFromLabels(labels: Label[], annotations: Label[], fallback: string): string {
  const parts = [labelValue(labels, "alertname"), labelValue(annotations, "summary")]
    .filter((part): part is string => part !== undefined)
    .map((part) => part.trim());
  return clip(parts.join(": ") || fallback, MAX_TITLE_LENGTH);
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = (1n << 64n) - 1n;
const SEPARATOR = 0xff;

/**
 * A stable 16-hex-digit fingerprint: 64-bit FNV-1a over the UTF-8 parts, each followed by a 0xFF byte (which
 * UTF-8 never contains, so ["a b", "c"] and ["a", "b c"] differ). Written out here so the domain needs no
 * crypto module; it identifies alerts, it is not a security measure.
 */
export function stableHash(parts: string[]): string {
  const encoder = new TextEncoder();
  let hash = FNV_OFFSET;
  const add = (byte: number) => {
    hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK_64;
  };
  for (const part of parts) {
    for (const byte of encoder.encode(part)) add(byte);
    add(SEPARATOR);
  }
  return hash.toString(16).padStart(16, "0");
}

/** For alerts sent without a fingerprint: the hash of the source and its (sorted) label names and values. */
export function labelsFingerprint(source: string, labels: Label[]): string {
  return stableHash([source, ...labels.flatMap(({ name, value }) => [name, value])]);
}

/** Shorter messages than zod's defaults, naming what was expected and what came. */
const errorMap: z.core.$ZodErrorMap = (issue) => {
  if ((issue.code === "invalid_type" || issue.code === "invalid_value") && issue.input === undefined)
    return "required";
  if (issue.code === "invalid_type")
    return `expected ${issue.expected}, received ${describeInput(issue.input)}`;
  if (issue.code === "invalid_value")
    return `expected ${issue.values.map((value) => JSON.stringify(value)).join(" or ")}`;
  return undefined;
};

/** Every issue on its own, with its path: `alerts.0.labels: expected object, received string; title: required`. */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join(".");
      return `${path || "body"}: ${issue.message}`;
    })
    .join("; ");
}

/** Validates `body` with `schema` and maps the result to alerts, or lists every problem with its path. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  body: unknown,
  toAlerts: (data: z.output<S>) => IncomingAlert[],
): ParseResult {
  const parsed = schema.safeParse(body, { error: errorMap });
  if (!parsed.success) return { ok: false, error: formatIssues(parsed.error) };
  return { ok: true, alerts: toAlerts(parsed.data) };
}

/** Status values shared by every source. */
export const alertStatus = z.enum(["firing", "resolved"]);

/**
 * `endsAt` is kept only for resolved alerts: on a firing alert Alertmanager sends the time it will consider
 * the alert stale (now + resolve timeout), which is not when the problem ended.
 */
export function endedAt(status: "firing" | "resolved", endsAt: Date | undefined): Date | undefined {
  return status === "resolved" ? endsAt : undefined;
}

/**
 * The fields of one alert that Alertmanager and Grafana both send; each source's alert schema spreads these
 * first and adds its own.
 */
export const labelledAlertFields = {
  status: alertStatus,
  labels: labelMap,
  annotations: labelMap.optional(),
  startsAt: timestamp.optional(),
  endsAt: timestamp.optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
};

/** The group fields around the alerts that both read: the group's status, its `externalURL` and the alerts. */
export function alertGroupFields<A extends z.ZodType>(alert: A) {
  return { status: alertStatus.optional(), externalURL: z.string().optional(), alerts: z.array(alert) };
}

/** One alert as Alertmanager and Grafana both send it, once its schema has read the labels and timestamps. */
export interface LabelledAlert {
  status: "firing" | "resolved";
  labels: Label[];
  annotations?: Label[] | undefined;
  startsAt?: Date | undefined;
  endsAt?: Date | undefined;
  fingerprint?: string | undefined;
}

/** What a source adds to `alertFromLabels`: its name, the title of an alert that names none, its links. */
export interface AlertSourceDetails {
  source: string;
  defaultTitle: string;
  /** In the order shown; skipped links and repeats are dropped. */
  links: (AlertLink | undefined)[];
}

/** The `runbook_url` annotation as a link, which both Prometheus-style sources offer. */
export function runbookLink(alert: LabelledAlert): AlertLink | undefined {
  return link("Runbook", labelValue(alert.annotations ?? [], "runbook_url"));
}

/**
 * A Prometheus-style alert (Alertmanager's or Grafana's) as an IncomingAlert. severity ← `severity` label
 * (critical; error/high/major → high; warning/medium; info/low/none → low; else medium). service ←
 * `service`, `app.kubernetes.io/name` or `job` label. title ← `alertname` label and `summary` annotation, else
 * the source's default. description ← `description` annotation. fingerprint ← the alert's own, else a hash of
 * the source and its labels, as Alertmanager identifies alerts by label set. links ← the source's own.
 */
export function alertFromLabels(alert: LabelledAlert, details: AlertSourceDetails): IncomingAlert {
  const { source } = details;
  const annotations = alert.annotations ?? [];
  return {
    source,
    fingerprint: alert.fingerprint?.trim()
      ? clip(alert.fingerprint)
      : labelsFingerprint(source, alert.labels),
    status: alert.status,
    title: titleFromLabels(alert.labels, annotations, details.defaultTitle),
    severity: severityFromLabel(labelValue(alert.labels, "severity")),
    service: serviceFromLabels(alert.labels),
    description: clip(labelValue(annotations, "description") ?? "", MAX_DESCRIPTION_LENGTH),
    links: links(details.links),
    labels: capLabels(alert.labels),
    annotations: capLabels(annotations),
    startsAt: alert.startsAt,
    endsAt: endedAt(alert.status, alert.endsAt),
  };
}

/** Validates an alert group with `schema`, then reads each of its alerts with `alertFromLabels`. */
export function parseAlertGroup<G extends { alerts: LabelledAlert[] }>(
  schema: z.ZodType<G>,
  body: unknown,
  details: (alert: G["alerts"][number], group: G) => AlertSourceDetails,
): ParseResult {
  return parseWith(schema, body, (group) =>
    group.alerts.map((alert) => alertFromLabels(alert, details(alert, group))),
  );
}
