import { z } from "zod";
import { SEVERITIES, type Severity } from "./incident.ts";

/**
 * What each severity means and what it sets in motion. The defaults are the operations manual's table
 * (seed 001, "4.1 Incident Classification", `incidentDefinitions`, lines 631–684): descriptions, examples,
 * response times (5, 15, 60, 240 minutes), escalation chains and communication channels; post-mortems for
 * SEV1 and SEV2 (seed 001, `postMortemRequired`, line 717). The manual's update cadence is "every 30
 * minutes" (seed 001, lines 837–838 and 857, initial and update e-mail templates); it gives no cadence per
 * severity, so 30 min applies to SEV1 and SEV2, SEV3 gets hourly updates and SEV4 none (Firebreak's choice).
 */

/** Who is notified, in order (seed 001, `escalation`). */
export type EscalationTarget = "on-call" | "manager" | "director";
/** Where the incident is communicated (seed 001, `communication`). */
export type CommunicationChannel = "status-page" | "email" | "social-media" | "internal-slack";

export interface SeverityPolicy {
  severity: Severity;
  /** "SEV1". */
  label: string;
  /** A Slack emoji shortcode, e.g. ":red_circle:". */
  emoji: string;
  description: string;
  examples: readonly string[];
  /** How soon someone must respond (acknowledge), in minutes. */
  responseMinutes: number;
  /** How often a status update is due while open, in minutes; null: no scheduled updates. */
  updateCadenceMinutes: number | null;
  escalation: readonly EscalationTarget[];
  communication: readonly CommunicationChannel[];
  postmortemRequired: boolean;
}

export type SeverityPolicyTable = Readonly<Record<Severity, Readonly<SeverityPolicy>>>;

export const DEFAULT_SEVERITY_POLICY: SeverityPolicyTable = {
  sev1: {
    severity: "sev1",
    label: "SEV1",
    emoji: ":red_circle:",
    description: "Complete service outage affecting all users",
    examples: [
      "Website completely down",
      "Database unavailable",
      "Authentication system failure",
      "Major security breach",
    ],
    responseMinutes: 5,
    updateCadenceMinutes: 30,
    escalation: ["on-call", "manager", "director"],
    communication: ["status-page", "email", "social-media"],
    postmortemRequired: true,
  },
  sev2: {
    severity: "sev2",
    label: "SEV2",
    emoji: ":large_orange_circle:",
    description: "Major feature unavailable or severely degraded",
    examples: [
      "AI services down",
      "File upload not working",
      "Email notifications failing",
      "Performance severely degraded",
    ],
    responseMinutes: 15,
    updateCadenceMinutes: 30,
    escalation: ["on-call", "manager"],
    communication: ["status-page", "email"],
    postmortemRequired: true,
  },
  sev3: {
    severity: "sev3",
    label: "SEV3",
    emoji: ":large_yellow_circle:",
    description: "Minor feature impact or workaround available",
    examples: [
      "Search functionality slow",
      "Some images not loading",
      "Minor UI bugs",
      "Performance slightly degraded",
    ],
    responseMinutes: 60,
    updateCadenceMinutes: 60,
    escalation: ["on-call"],
    communication: ["internal-slack"],
    postmortemRequired: false,
  },
  sev4: {
    severity: "sev4",
    label: "SEV4",
    emoji: ":large_blue_circle:",
    description: "Minimal user impact, cosmetic issues",
    examples: ["Styling issues", "Typos in UI", "Minor performance issues", "Non-critical feature bugs"],
    responseMinutes: 240,
    updateCadenceMinutes: null,
    escalation: [],
    communication: ["internal-slack"],
    postmortemRequired: false,
  },
};

/** "sev2" → "SEV2". */
export function severityLabel(severity: Severity): string {
  return severity.toUpperCase();
}

/** Negative when `a` is more severe than `b` (sev1 first), for sorting. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

/** Accepts "sev2", "SEV2", "Sev2" and "2" (surrounding spaces ignored); anything else is undefined. */
export function parseSeverity(text: string): Severity | undefined {
  const match = /^(?:sev)?([1-4])$/i.exec(text.trim());
  return match ? (`sev${match[1]}` as Severity) : undefined;
}

const MINUTES_MESSAGE = "must be a whole number of minutes from 1 to 10080 (one week)";
const minutes = z
  .number({ error: MINUTES_MESSAGE })
  .int(MINUTES_MESSAGE)
  .min(1, MINUTES_MESSAGE)
  .max(10080, MINUTES_MESSAGE);

const overrideSchema = z.strictObject({
  responseMinutes: minutes.optional(),
  updateCadenceMinutes: z
    .union([minutes, z.null()], { error: `${MINUTES_MESSAGE}, or null for no scheduled updates` })
    .optional(),
  postmortemRequired: z.boolean({ error: "must be true or false" }).optional(),
  description: z
    .string({ error: "must be text" })
    .trim()
    .min(1, "must not be empty")
    .max(300, "must be at most 300 characters")
    .optional(),
});

const OVERRIDABLE = Object.keys(overrideSchema.shape);

const overridesSchema = z.strictObject(
  {
    sev1: overrideSchema.optional(),
    sev2: overrideSchema.optional(),
    sev3: overrideSchema.optional(),
    sev4: overrideSchema.optional(),
  },
  { error: "must be a JSON object keyed by severity (sev1 to sev4)" },
);

export type SeverityOverridesResult =
  | { ok: true; value: SeverityPolicyTable }
  | { ok: false; error: string; problems: string[] };

function describeIssue(issue: z.core.$ZodIssue): string[] {
  const path = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    const allowed = path === "" ? SEVERITIES.join(", ") : OVERRIDABLE.join(", ");
    return issue.keys.map(
      (key) => `${path === "" ? key : `${path}.${key}`}: unknown setting (allowed: ${allowed})`,
    );
  }
  if (issue.code === "invalid_type" && issue.path.length === 1)
    return [`${path}: must be an object with any of ${OVERRIDABLE.join(", ")}`];
  return [`${path === "" ? "(top level)" : path}: ${issue.message}`];
}

/**
 * Applies an operator's JSON overrides to the default table, e.g. `{"sev3":{"responseMinutes":30}}`.
 * Unset or blank means the defaults. On failure every problem is listed, each with its path and reason.
 */
export function parseSeverityOverrides(
  json: string | undefined,
  base: SeverityPolicyTable = DEFAULT_SEVERITY_POLICY,
): SeverityOverridesResult {
  if (json === undefined || json.trim() === "") return { ok: true, value: base };
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    const problems = [`(top level): not valid JSON (${(error as Error).message})`];
    return { ok: false, problems, error: formatProblems(problems) };
  }
  const parsed = overridesSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap(describeIssue);
    return { ok: false, problems, error: formatProblems(problems) };
  }
  const table = { ...base } as Record<Severity, SeverityPolicy>;
  for (const severity of SEVERITIES) {
    const override = parsed.data[severity];
    if (!override) continue;
    const merged: SeverityPolicy = { ...base[severity] };
    if (override.responseMinutes !== undefined) merged.responseMinutes = override.responseMinutes;
    if (override.updateCadenceMinutes !== undefined)
      merged.updateCadenceMinutes = override.updateCadenceMinutes;
    if (override.postmortemRequired !== undefined) merged.postmortemRequired = override.postmortemRequired;
    if (override.description !== undefined) merged.description = override.description;
    table[severity] = merged;
  }
  return { ok: true, value: table };
}

function formatProblems(problems: string[]): string {
  return [
    "The severity policy overrides are not valid:",
    ...problems.map((p) => `- ${p}`),
    'Expected JSON such as {"sev3":{"responseMinutes":30,"updateCadenceMinutes":60}}.',
  ].join("\n");
}
