import { z } from "zod";
import type { Override, Schedule } from "./schedule.ts";
import { oneLine } from "./text.ts";
import { canonicalTimeZone, isTimeZone } from "./time-zone.ts";

/**
 * Validation of on-call schedules and overrides (from the store, a command or an API): zod schemas with one
 * friendly sentence per problem, and the limits they enforce.
 */

export const MAX_SCHEDULE_NAME_LENGTH = 80;
export const MAX_MEMBERS = 50;

export type ScheduleResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** "09:30" → { hour: 9, minute: 30 }; undefined unless a valid 24-hour HH:MM. */
export function parseHandoffTime(text: string): { hour: number; minute: number } | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? { hour: Number(match[1]), minute: Number(match[2]) } : undefined;
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
const MIN_YEAR = 2000;
const MAX_YEAR = 2200;

const userId = (what: string) =>
  z
    .string({ error: `${what} must be a Slack user id such as U0123ABCD.` })
    .regex(SLACK_USER_ID, `${what} must be a Slack user id such as U0123ABCD.`);

const instant = (what: string) =>
  z.coerce
    .date({ error: `${what} must be a date.` })
    .refine(
      (d) => d.getUTCFullYear() >= MIN_YEAR && d.getUTCFullYear() <= MAX_YEAR,
      `${what} must be between the years ${MIN_YEAR} and ${MAX_YEAR}.`,
    );

export const overrideSchema = z
  .object({
    userId: userId("The covering person"),
    coversUserId: userId("The covered person").optional(),
    from: instant("The override's start"),
    to: instant("The override's end"),
  })
  .refine((o) => o.from.getTime() < o.to.getTime(), "An override must end after it starts.");

export const scheduleSchema = z.object(
  {
    id: z.string({ error: "The schedule needs an id." }).min(1, "The schedule needs an id."),
    name: z
      .string({ error: "The schedule needs a name." })
      .transform(oneLine)
      .pipe(
        z
          .string()
          .min(1, "The schedule needs a name.")
          .refine(
            (name) => Array.from(name).length <= MAX_SCHEDULE_NAME_LENGTH,
            `Keep the schedule's name to ${MAX_SCHEDULE_NAME_LENGTH} characters.`,
          ),
      ),
    timeZone: z
      .string({ error: "The schedule needs a time zone." })
      .refine(isTimeZone, {
        error: (issue) =>
          `"${String(issue.input)}" is not a time zone; use an IANA name such as Europe/London or America/New_York.`,
      })
      .transform(canonicalTimeZone),
    members: z
      .array(userId("Each member"), { error: "The schedule needs a list of members." })
      .min(1, "A schedule needs at least one person.")
      .max(MAX_MEMBERS, `A schedule can rotate through at most ${MAX_MEMBERS} people.`),
    handoff: z.object(
      {
        weekday: z
          .number({ error: "The hand-off day must be a weekday number from 0 (Sunday) to 6 (Saturday)." })
          .int("The hand-off day must be a weekday number from 0 (Sunday) to 6 (Saturday).")
          .min(0, "The hand-off day must be a weekday number from 0 (Sunday) to 6 (Saturday).")
          .max(6, "The hand-off day must be a weekday number from 0 (Sunday) to 6 (Saturday)."),
        time: z
          .string({ error: "The hand-off time must be HH:MM (24-hour), such as 09:00." })
          .refine(
            (t) => parseHandoffTime(t) !== undefined,
            "The hand-off time must be HH:MM (24-hour), such as 09:00.",
          ),
      },
      { error: "The schedule needs a hand-off day and time." },
    ),
    startsAt: instant("The schedule's start"),
    overrides: z.array(overrideSchema, { error: "The overrides must be a list." }).default([]),
  },
  { error: "A schedule must be an object with a name, time zone, members and hand-off." },
);

function firstProblems(error: z.ZodError): string {
  const messages = error.issues.map((issue) => {
    const [first, index] = issue.path;
    return first === "overrides" && typeof index === "number"
      ? `Override ${index + 1}: ${issue.message}`
      : issue.message;
  });
  return [...new Set(messages)].join("\n");
}

/** Validates a schedule (from the store, a command or an API), with one friendly sentence per problem. */
export function parseSchedule(input: unknown): ScheduleResult<Schedule> {
  const parsed = scheduleSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: firstProblems(parsed.error) };
  const { overrides, ...rest } = parsed.data;
  return {
    ok: true,
    value: {
      ...rest,
      overrides: overrides.map(({ coversUserId, ...o }) => ({ ...o, ...(coversUserId && { coversUserId }) })),
    },
  };
}

/** Validates one override, as `parseSchedule` does. */
export function parseOverride(input: unknown): ScheduleResult<Override> {
  const parsed = overrideSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: firstProblems(parsed.error) };
  const { coversUserId, ...rest } = parsed.data;
  return { ok: true, value: { ...rest, ...(coversUserId && { coversUserId }) } };
}
