import { z } from "zod";
import { type ArgsResult, type CommandText, failureWithUsage, quote } from "./args.ts";
import { humanDuration } from "./duration.ts";
import { zonedWallTime } from "./time-zone.ts";

/**
 * Maintenance windows: planned (or unplanned) work on services, during which their alerts are recorded but
 * page nobody. The types and their policy are the maintenance manual's (seed 001, "5.1 Scheduled
 * Maintenance", `maintenanceTypes`): approval required, notice period in hours, preferred window.
 */

export const MAINTENANCE_TYPES = ["security", "performance", "feature", "infrastructure"] as const;
export type MaintenanceType = (typeof MAINTENANCE_TYPES)[number];
/** `/maint start`: work started at once, for an unplanned fix; no notice, no approval. */
export type WindowKind = MaintenanceType | "unplanned";

export const PREFERRED_WINDOWS = ["weekend", "off-peak", "business-hours", "any"] as const;
export type PreferredWindow = (typeof PREFERRED_WINDOWS)[number];

export interface MaintenanceTypePolicy {
  description: string;
  approvalRequired: boolean;
  noticeHours: number;
  preferredWindow: PreferredWindow;
}

export type MaintenancePolicyTable = Readonly<Record<MaintenanceType, Readonly<MaintenanceTypePolicy>>>;

export const DEFAULT_MAINTENANCE_POLICY: MaintenancePolicyTable = {
  security: {
    description: "Security patches and updates",
    approvalRequired: true,
    noticeHours: 72,
    preferredWindow: "weekend",
  },
  performance: {
    description: "Performance improvements and optimizations",
    approvalRequired: false,
    noticeHours: 24,
    preferredWindow: "off-peak",
  },
  feature: {
    description: "New feature deployments",
    approvalRequired: true,
    noticeHours: 48,
    preferredWindow: "business-hours",
  },
  infrastructure: {
    description: "Infrastructure updates and changes",
    approvalRequired: true,
    noticeHours: 168,
    preferredWindow: "weekend",
  },
};

const overrideSchema = z.strictObject({
  description: z.string().min(1).optional(),
  approvalRequired: z.boolean().optional(),
  noticeHours: z.number().min(0).optional(),
  preferredWindow: z.enum(PREFERRED_WINDOWS).optional(),
});
const overridesSchema = z.strictObject(
  Object.fromEntries(MAINTENANCE_TYPES.map((type) => [type, overrideSchema.optional()])) as Record<
    MaintenanceType,
    z.ZodOptional<typeof overrideSchema>
  >,
);

/** The policy table with `MAINT_TYPES`' JSON overrides merged in, or what is wrong with them. */
export function parseMaintenancePolicy(
  json: string | undefined,
): { ok: true; value: MaintenancePolicyTable } | { ok: false; problems: string[] } {
  if (json === undefined || json.trim() === "") return { ok: true, value: DEFAULT_MAINTENANCE_POLICY };
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ok: false, problems: ["is not valid JSON"] };
  }
  const parsed = overridesSchema.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map(
        (issue) => `${issue.path.join(".") || "(top level)"}: ${issue.message}`,
      ),
    };
  const table = { ...DEFAULT_MAINTENANCE_POLICY };
  for (const type of MAINTENANCE_TYPES) {
    const override = parsed.data[type];
    if (override)
      table[type] = {
        ...table[type],
        ...Object.fromEntries(Object.entries(override).filter(([, v]) => v !== undefined)),
      };
  }
  return { ok: true, value: table };
}

export const isMaintenanceType = (text: string): text is MaintenanceType =>
  (MAINTENANCE_TYPES as readonly string[]).includes(text);

/** Where a window is in its life. `pending`: waiting for an approver; `scheduled`: approved or needing none. */
export type WindowState = "pending" | "scheduled" | "active" | "ended" | "rejected";

const HOUR_MS = 3_600_000;

export type WindowTimesProblem =
  | { kind: "start_in_past" }
  | { kind: "end_before_start" }
  | { kind: "too_long"; maxDays: number }
  | { kind: "short_notice"; noticeHours: number; earliestStart: Date };

export const MAX_WINDOW_DAYS = 7;

/** Whether a planned window's times are allowed now: in the future, end after start, with the type's notice. */
export function checkWindowTimes(
  window: { startsAt: Date; endsAt: Date },
  policy: Pick<MaintenanceTypePolicy, "noticeHours">,
  now: Date,
): WindowTimesProblem | undefined {
  if (window.startsAt.getTime() < now.getTime()) return { kind: "start_in_past" };
  if (window.endsAt.getTime() <= window.startsAt.getTime()) return { kind: "end_before_start" };
  if (window.endsAt.getTime() - window.startsAt.getTime() > MAX_WINDOW_DAYS * 24 * HOUR_MS)
    return { kind: "too_long", maxDays: MAX_WINDOW_DAYS };
  const earliestStart = new Date(now.getTime() + policy.noticeHours * HOUR_MS);
  if (window.startsAt.getTime() < earliestStart.getTime())
    return { kind: "short_notice", noticeHours: policy.noticeHours, earliestStart };
  return undefined;
}

/** Whether a start falls in the type's preferred window, read in `timeZone` (advice only, never a refusal). */
export function inPreferredWindow(startsAt: Date, preferred: PreferredWindow, timeZone: string): boolean {
  const { weekday, hour } = zonedWallTime(startsAt, timeZone);
  const weekend = weekday === 0 || weekday === 6;
  switch (preferred) {
    case "any":
      return true;
    case "weekend":
      return weekend;
    case "off-peak":
      return hour >= 22 || hour < 6;
    case "business-hours":
      return !weekend && hour >= 9 && hour < 17;
  }
}

/** What is due next for a window: the reminder, the start or the end, and when. */
export type MaintenanceStep = "remind" | "start" | "end";

export function nextMaintenanceStep(
  window: { state: WindowState; startsAt: Date; endsAt: Date; remindedAt?: Date | undefined },
  remindBeforeMs: number,
): { step: MaintenanceStep; at: Date } | undefined {
  if (window.state === "active") return { step: "end", at: window.endsAt };
  if (window.state !== "scheduled") return undefined;
  const remindAt = new Date(window.startsAt.getTime() - remindBeforeMs);
  if (!window.remindedAt && remindBeforeMs > 0) return { step: "remind", at: remindAt };
  return { step: "start", at: window.startsAt };
}

/** The step to run at `now`, if any: a reminder whose start has already come is skipped for the start. */
export function dueMaintenanceStep(
  window: Parameters<typeof nextMaintenanceStep>[0],
  remindBeforeMs: number,
  now: Date,
): MaintenanceStep | undefined {
  const next = nextMaintenanceStep(window, remindBeforeMs);
  if (!next || next.at > now) return undefined;
  if (next.step === "remind" && window.startsAt <= now) return "start";
  return next.step;
}

/** Whether a window covers `service` at `now`: approved, started (by time) and not yet ended. */
export function coversService(
  window: { startsAt: Date; endsAt: Date; services: readonly string[] },
  service: string,
  now: Date,
): boolean {
  const name = service.trim().toLowerCase();
  return (
    name !== "" &&
    window.startsAt <= now &&
    now < window.endsAt &&
    window.services.some((s) => s.toLowerCase() === name)
  );
}

// ——— `/maint` ———

export const MAINT_USAGE = {
  help: "/maint help",
  list: "/maint list",
  schedule: "/maint schedule [security|performance|feature|infrastructure]",
  start: "/maint start <service> <duration, e.g. 30m or 2h> <reason>",
} as const;

export type MaintCommand =
  | { kind: "help" }
  | { kind: "list" }
  | { kind: "schedule"; type?: MaintenanceType }
  | { kind: "start"; service: string; durationMs: number; reason: string };

const fail = failureWithUsage(MAINT_USAGE);
const MAX_START_HOURS = 24;
export const MAX_REASON_LENGTH = 300;

/** "30m", "2h", "1h30m", "90min" → milliseconds; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const match = /^(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?$/i.exec(text.trim());
  if (!match || (match[1] === undefined && match[2] === undefined)) return undefined;
  const ms = (Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0)) * 60_000;
  return ms > 0 ? ms : undefined;
}

export function parseMaintCommand({ words }: CommandText): ArgsResult<MaintCommand> {
  const [first, ...rest] = words;
  const sub = first?.text.toLowerCase() ?? "help";
  if (sub === "help") return { ok: true, value: { kind: "help" } };
  if (sub === "list") {
    if (rest.length > 0) return fail("list", "`list` takes nothing after it.");
    return { ok: true, value: { kind: "list" } };
  }
  if (sub === "schedule") {
    const [type, ...more] = rest;
    if (more.length > 0)
      return fail("schedule", "`schedule` takes at most a type; the form asks for the rest.");
    if (!type) return { ok: true, value: { kind: "schedule" } };
    const name = type.text.toLowerCase();
    if (!isMaintenanceType(name))
      return fail(
        "schedule",
        `I don't know the maintenance type ${quote(type.text)}: use ${MAINTENANCE_TYPES.join(", ")}.`,
      );
    return { ok: true, value: { kind: "schedule", type: name } };
  }
  if (sub !== "start")
    return {
      ok: false,
      error: `I don't know ${quote(first?.text ?? "")}. Try \`/maint help\` for what /maint can do.`,
    };
  const [service, duration, ...reasonWords] = rest;
  if (!service || service.reference || service.userId)
    return fail("start", "Name the service to put under maintenance.");
  const durationMs = duration && parseDuration(duration.text);
  if (!durationMs)
    return fail("start", `${quote(duration?.text ?? "")} is not a duration such as 30m or 2h.`);
  if (durationMs > MAX_START_HOURS * HOUR_MS)
    return fail(
      "start",
      `Maintenance started at once lasts at most ${MAX_START_HOURS} h; plan longer work with \`/maint schedule\`.`,
    );
  const reason = reasonWords
    .map((word) => word.text)
    .join(" ")
    .trim();
  if (reason === "") return fail("start", "Say why, so the announcement tells people what is going on.");
  if (reason.length > MAX_REASON_LENGTH)
    return fail("start", `Keep the reason to ${MAX_REASON_LENGTH} characters.`);
  return { ok: true, value: { kind: "start", service: service.text, durationMs, reason } };
}

/** "72 h" or "1 week": how a notice period reads. */
export const noticeText = (hours: number) => (hours === 168 ? "1 week" : humanDuration(hours * HOUR_MS));
