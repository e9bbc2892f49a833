import type { Severity } from "./incident.ts";
import { foldAccents } from "./text.ts";

/**
 * Incident channel names. Slack allows lowercase letters, digits, `-` and `_`, at most 80 characters; names
 * are built from an operator's template such as the default `inc-{number}-{slug}`. When the result is too
 * long only the slug (from the title) is cut, never the number that makes the name unique.
 */

export const DEFAULT_CHANNEL_NAME_TEMPLATE = "inc-{number}-{slug}";
export const MAX_CHANNEL_NAME_LENGTH = 80;
export const DRILL_CHANNEL_PREFIX = "drill-";
export const CHANNEL_NAME_PLACEHOLDERS = ["number", "slug", "date", "severity"] as const;

/** Room a template's fixed text may take, so any title, a long number and a "-99" suffix still fit. */
const MAX_FIXED_LENGTH = 60;

export interface ChannelNameInput {
  number: number;
  title: string;
  declaredAt: Date;
  /** For `{severity}`; a template that uses it without a severity gets nothing there. */
  severity?: Severity;
  /** A drill's channel name starts with `drill-`, ahead of the template's own text. */
  drill?: boolean;
}

export type ChannelTemplateCheck = { ok: true; value: string } | { ok: false; error: string };

/** Lowercase, `[a-z0-9_-]` only, accents folded, every other run of characters one `-`, no `-` at the ends. */
export function sanitizeChannelName(text: string): string {
  return foldAccents(text)
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** "Checkout: 500s in EU 🔥" → "checkout-500s-in-eu". */
export function slugify(title: string): string {
  return sanitizeChannelName(title);
}

function yyyymmdd(date: Date): string {
  return date.toISOString().slice(0, 10).replace(/-/g, "");
}

function render(template: string, input: ChannelNameInput, slug: string): string {
  const values: Record<string, string> = {
    number: String(input.number),
    slug,
    date: yyyymmdd(input.declaredAt),
    severity: input.severity ?? "",
  };
  return sanitizeChannelName(template.replace(/\{([a-z]+)\}/g, (_, name: string) => values[name] ?? ""));
}

/** Checks an operator's template; the error says what is wrong and what a good one looks like. */
export function validateChannelNameTemplate(template: string): ChannelTemplateCheck {
  const fail = (problem: string): ChannelTemplateCheck => ({
    ok: false,
    error: `The channel name template "${template}" ${problem}. Example: ${DEFAULT_CHANNEL_NAME_TEMPLATE} (placeholders: ${CHANNEL_NAME_PLACEHOLDERS.map((p) => `{${p}}`).join(", ")}).`,
  });
  const trimmed = template.trim();
  if (trimmed === "") return fail("is empty");
  const unknown = Array.from(trimmed.matchAll(/\{([^{}]*)\}/g), (m) => m[1] ?? "").filter(
    (name) => !(CHANNEL_NAME_PLACEHOLDERS as readonly string[]).includes(name),
  );
  if (unknown.length > 0) return fail(`has unknown placeholders ${unknown.map((u) => `{${u}}`).join(", ")}`);
  if (/[{}]/.test(trimmed.replace(/\{[a-z]+\}/g, "")))
    return fail("has a { or } that is not part of a placeholder");
  if (!trimmed.includes("{number}"))
    return fail("must contain {number}, so that every incident gets its own channel");
  const fixed = render(
    trimmed,
    { number: 9_999_999, title: "", declaredAt: new Date(0), severity: "sev4" },
    "",
  );
  if (fixed.length > MAX_FIXED_LENGTH)
    return fail(
      `leaves too little room for the title (at most ${MAX_FIXED_LENGTH} characters besides {slug})`,
    );
  return { ok: true, value: trimmed };
}

/** Cuts a slug to `length`, at a word boundary when one is in the second half. */
function cutSlug(slug: string, length: number): string {
  if (length <= 0) return "";
  if (slug.length <= length) return slug;
  let cut = slug.slice(0, length);
  const next = slug[length];
  if (next !== "-" && next !== "_") {
    const boundary = cut.lastIndexOf("-");
    if (boundary >= length / 2) cut = cut.slice(0, boundary);
  }
  return cut.replace(/[-_]+$/, "");
}

function suffix(attempt: number): string {
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new RangeError(`A collision attempt is a whole number ≥ 1, got ${attempt}`);
  return attempt === 1 ? "" : `-${attempt}`;
}

/**
 * The channel name for an incident. `attempt` > 1 adds "-2", "-3"… for when the name is taken, cutting the
 * slug (not the number) to make room. Throws on an invalid template: validate configuration at start-up.
 */
export function incidentChannelName(template: string, input: ChannelNameInput, attempt = 1): string {
  const check = validateChannelNameTemplate(template);
  if (!check.ok) throw new Error(check.error);
  if (!Number.isSafeInteger(input.number) || input.number < 1)
    throw new RangeError(`An incident number is a whole number ≥ 1, got ${input.number}`);
  const end = suffix(attempt);
  const prefix = input.drill ? DRILL_CHANNEL_PREFIX : "";
  const max = MAX_CHANNEL_NAME_LENGTH - end.length - prefix.length;
  let slug = slugify(input.title);
  let name = render(check.value, input, slug);
  while (name.length > max && slug !== "") {
    slug = cutSlug(slug, slug.length - (name.length - max));
    name = render(check.value, input, slug);
  }
  return `${prefix}${name.slice(0, max)}${end}`;
}

/**
 * "inc-42-db" → "inc-42-db-2" for attempt 2 (attempt 1 is the name itself), cutting the end of the name to
 * stay within 80 characters. For names from a template, prefer `incidentChannelName(…, attempt)`, which
 * cuts the slug wherever the template puts it.
 */
export function withCollisionSuffix(name: string, attempt: number): string {
  const end = suffix(attempt);
  if (end === "") return name;
  return `${name.slice(0, MAX_CHANNEL_NAME_LENGTH - end.length).replace(/[-_]+$/, "")}${end}`;
}
