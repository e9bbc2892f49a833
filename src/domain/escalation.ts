import { z } from "zod";
import type { EscalationPolicy, PageTarget } from "./alert.ts";

/**
 * The seeds' escalation (seed 001, "2.2 Alerting Configuration"): level 1 the primary on-call at once,
 * level 2 the secondary after 15 minutes, level 3 the manager after 30. The targets are on-call schedules
 * by name, so an operator only has to create schedules called primary, secondary and manager.
 */
export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = {
  id: "default",
  name: "Default (primary → secondary → manager)",
  levels: [
    { afterMinutes: 0, targets: [{ kind: "schedule", scheduleName: "primary" }] },
    { afterMinutes: 15, targets: [{ kind: "schedule", scheduleName: "secondary" }] },
    { afterMinutes: 30, targets: [{ kind: "schedule", scheduleName: "manager" }] },
  ],
  repeat: 0,
  repeatAfterMinutes: 15,
};

/** "U123" a person, "S123" a user group, "schedule:primary" whoever is on call for that schedule. */
export function parsePageTarget(text: string): PageTarget | undefined {
  const trimmed = text.trim();
  if (/^[UW][A-Z0-9]{2,}$/.test(trimmed)) return { kind: "user", userId: trimmed };
  if (/^S[A-Z0-9]{2,}$/.test(trimmed)) return { kind: "usergroup", groupId: trimmed };
  const schedule = /^schedule:(.+)$/.exec(trimmed);
  if (schedule?.[1]) return { kind: "schedule", scheduleName: schedule[1].trim() };
  return undefined;
}

const targetSchema = z.string().transform((text, ctx) => {
  const target = parsePageTarget(text);
  if (!target) {
    ctx.addIssue({ code: "custom", message: `"${text}" is not a target: use U…, S… or schedule:<name>` });
    return z.NEVER;
  }
  return target;
});

export const escalationPolicySchema = z.object({
  name: z.string().min(1).max(80).default("Configured policy"),
  levels: z
    .array(
      z.object({ afterMinutes: z.number().int().min(0).max(10_080), targets: z.array(targetSchema).min(1) }),
    )
    .min(1)
    .max(10)
    .refine(
      (levels) => levels.every((l, i) => i === 0 || l.afterMinutes > (levels[i - 1]?.afterMinutes ?? -1)),
      {
        message: "levels must come later one after another (afterMinutes increasing)",
      },
    ),
  repeat: z.number().int().min(0).max(10).default(0),
  repeatAfterMinutes: z.number().int().min(1).max(1440).default(15),
});

export type PolicyResult = { ok: true; value: EscalationPolicy } | { ok: false; problems: string[] };

/** An operator's policy as JSON (ESCALATION_POLICY); unset means the seeds' default. */
export function parseEscalationPolicy(json: string | undefined): PolicyResult {
  if (json === undefined || json.trim() === "") return { ok: true, value: DEFAULT_ESCALATION_POLICY };
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    return { ok: false, problems: [`not valid JSON (${(error as Error).message})`] };
  }
  const parsed = escalationPolicySchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${i.path.join(".") || "(top level)"}: ${i.message}`),
    };
  }
  return { ok: true, value: { id: "configured", ...parsed.data } };
}

export interface PlannedStep {
  /** 0-based across rounds: step 3 of a 3-level policy is level 1 of the second round. */
  step: number;
  /** 0-based level within the policy. */
  level: number;
  round: number;
  dueAt: Date;
  targets: PageTarget[];
}

export function totalSteps(policy: EscalationPolicy): number {
  return policy.levels.length * (1 + policy.repeat);
}

/** When step `step` of an alert that first fired at `firedAt` is due, and whom it pages; undefined past the end. */
export function plannedStep(policy: EscalationPolicy, firedAt: Date, step: number): PlannedStep | undefined {
  if (step < 0 || step >= totalSteps(policy)) return undefined;
  const level = step % policy.levels.length;
  const round = Math.floor(step / policy.levels.length);
  const last = policy.levels[policy.levels.length - 1]?.afterMinutes ?? 0;
  const roundMinutes = last + policy.repeatAfterMinutes;
  const spec = policy.levels[level];
  if (!spec) return undefined;
  const minutes = round * roundMinutes + spec.afterMinutes;
  return { step, level, round, dueAt: new Date(firedAt.getTime() + minutes * 60_000), targets: spec.targets };
}

/** "L2" (and "L2, round 2" once the policy repeats). */
export function levelName(step: Pick<PlannedStep, "level" | "round">): string {
  return step.round === 0 ? `L${step.level + 1}` : `L${step.level + 1}, round ${step.round + 1}`;
}

/** How late a step fired, worth saying when the bot was down: more than a minute. */
export const LATE_AFTER_MS = 60_000;

export function lateness(dueAt: Date, firedAt: Date): number | undefined {
  const late = firedAt.getTime() - dueAt.getTime();
  return late > LATE_AFTER_MS ? late : undefined;
}
