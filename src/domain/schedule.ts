import { z } from "zod";
import { oneLine } from "./text.ts";

/**
 * On-call schedules: a weekly rotation through a list of people, with overrides on top. Plain data and
 * time arithmetic, no Slack or database.
 *
 * Hand-offs happen at a local wall-clock time (weekday + HH:MM) in the schedule's IANA time zone, so across a
 * daylight-saving change the hand-off stays at 09:00 local and its UTC instant moves by an hour. Local times
 * that do not exist (spring forward) hand off at the first valid instant after them (the transition itself:
 * 02:30 on a New York spring-forward day hands off at 03:00 EDT); local times that happen twice (fall back)
 * hand off at the first occurrence (01:30 on a New York fall-back day is 01:30 EDT, not EST). Offsets come
 * from `Intl.DateTimeFormat`, so the runtime's time-zone data decides when a zone changes offset.
 *
 * The rotation is anchored at `startsAt`: `members[0]` holds the shift that contains `startsAt` (the shift
 * from the last hand-off at or before it), `members[1]` the next one, and so on, wrapping around. The
 * rotation is extrapolated backwards before `startsAt` the same way, so every instant has someone on call.
 *
 * Overrides take precedence within [from, to). When overrides overlap, the one added later (later in the
 * `overrides` array) wins for the time they share.
 */

export const WEEKDAYS = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
] as const;

export const MAX_SCHEDULE_NAME_LENGTH = 80;
export const MAX_MEMBERS = 50;

export interface Handoff {
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** "HH:MM", 24-hour, local to the schedule's time zone. */
  time: string;
}

export interface Override {
  /** Who is on call instead. */
  userId: string;
  /** Whom they cover for, as the person who added the override said (shown as "covering for"). */
  coversUserId?: string;
  from: Date;
  /** Exclusive. */
  to: Date;
}

export interface Schedule {
  id: string;
  name: string;
  /** IANA name, such as Europe/London. */
  timeZone: string;
  /** Slack user ids, in rotation order (the same person may appear more than once). */
  members: string[];
  handoff: Handoff;
  /** `members[0]` is on call in the shift that contains this instant. */
  startsAt: Date;
  /** In the order they were added; a later one wins where two overlap. */
  overrides: Override[];
}

/** Who is on call at an instant. */
export interface OnCall {
  /** Who is on call, overrides applied. */
  userId: string;
  /** Whom the rotation puts on call (differs from userId while an override applies). */
  scheduledUserId: string;
  /** The rotation shift containing the instant: from one hand-off to the next. */
  shiftStart: Date;
  shiftEnd: Date;
  /** The override in effect, if any. */
  override?: Override;
  /**
   * When `userId` stops being on call: the next hand-off or override edge at which the person changes.
   * A schedule whose person never changes (one member, no overrides ahead) says `shiftEnd`.
   */
  until: Date;
}

/** The next person on call and when they take over. */
export interface NextShift extends OnCall {
  /** When the person changes: a hand-off, or the start or end of an override. */
  handoffAt: Date;
}

/** Wall-clock date and time in some time zone; month 1–12. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export type ScheduleResult<T> = { ok: true; value: T } | { ok: false; error: string };

// ——— Time zones ———

const DAY_MS = 86_400_000;

const mod = (n: number, m: number) => ((n % m) + m) % m;

/** Milliseconds since the epoch of a UTC date-time, for any year (Date.UTC maps years 0–99 to 19xx). */
function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year);
  return date.getTime();
}

const wallFormatters = new Map<string, Intl.DateTimeFormat>();

function wallFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = wallFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    wallFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True for a time zone name the runtime knows (IANA names such as Europe/London, and UTC). */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The runtime's canonical spelling of a known zone ("europe/london" → "Europe/London"). */
export function canonicalTimeZone(name: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
}

/** The wall clock at an instant, as epoch ms of the same date-time in UTC (seconds precision). */
function wallMs(epochMs: number, timeZone: string): number {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of wallFormatter(timeZone).formatToParts(new Date(epochMs))) parts[part.type] = part.value;
  const year = Number(parts.year) * (parts.era === "BC" || parts.era === "B" ? -1 : 1);
  return utcMs(
    year,
    Number(parts.month),
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetMs(epochMs: number, timeZone: string): number {
  const whole = Math.floor(epochMs / 1000) * 1000;
  return wallMs(whole, timeZone) - whole;
}

/** The local date and time of an instant in a time zone, with the weekday (0 = Sunday). */
export function zonedWallTime(date: Date, timeZone: string): LocalDateTime & { weekday: number } {
  const wall = new Date(wallMs(date.getTime(), timeZone));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    weekday: wall.getUTCDay(),
  };
}

/**
 * Hand-off instants are asked for again and again (every `/oncall`, every poller pass), and each costs a few
 * `Intl` calls, so recent answers are kept. Offsets only change with the runtime's time-zone data.
 */
const INSTANT_CACHE_SIZE = 10_000;
const instantCache = new Map<string, number>();

/**
 * The instant at which the clocks of `timeZone` show `wall`. A wall time skipped by a spring-forward gap
 * gives the first valid instant after it (the transition); one repeated by a fall-back overlap gives its
 * first occurrence. Throws RangeError for an unknown time zone.
 */
export function zonedWallTimeToUtc(wall: LocalDateTime, timeZone: string): Date {
  const target = utcMs(wall.year, wall.month, wall.day, wall.hour, wall.minute);
  const key = `${timeZone} ${target}`;
  const cached = instantCache.get(key);
  if (cached !== undefined) return new Date(cached);
  const instant = wallToInstant(target, timeZone);
  if (instantCache.size >= INSTANT_CACHE_SIZE) instantCache.clear();
  instantCache.set(key, instant);
  return new Date(instant);
}

function wallToInstant(target: number, timeZone: string): number {
  const offsets = [
    ...new Set([
      offsetMs(target - DAY_MS, timeZone),
      offsetMs(target, timeZone),
      offsetMs(target + DAY_MS, timeZone),
    ]),
  ];
  const matches = offsets
    .map((offset) => target - offset)
    .filter((instant) => wallMs(instant, timeZone) === target)
    .sort((a, b) => a - b);
  if (matches[0] !== undefined) return matches[0];
  // In a gap: the wall clock jumps from before `target` to after it. Find that jump, to the second.
  let before = target - Math.max(...offsets);
  let after = target - Math.min(...offsets);
  if (wallMs(before, timeZone) >= target || wallMs(after, timeZone) < target) {
    return target - offsetMs(target, timeZone);
  }
  while (after - before > 1000) {
    const middle = before + Math.floor((after - before) / 2000) * 1000;
    if (wallMs(middle, timeZone) >= target) after = middle;
    else before = middle;
  }
  return after;
}

// ——— Rotation ———

/** Local calendar days as whole numbers (0 = 1970-01-01), so weeks are plain arithmetic. */
function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(utcMs(year, month, day) / DAY_MS);
}

function dateOfDay(day: number): { year: number; month: number; day: number } {
  const date = new Date(day * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** "09:30" → { hour: 9, minute: 30 }; undefined unless a valid 24-hour HH:MM. */
export function parseHandoffTime(text: string): { hour: number; minute: number } | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? { hour: Number(match[1]), minute: Number(match[2]) } : undefined;
}

interface RotationShift {
  /** The local day of the hand-off that starts the shift. */
  day: number;
  start: Date;
  end: Date;
}

/** The schedule's rotation, with its anchor worked out once. */
function rotation(schedule: Schedule) {
  const time = parseHandoffTime(schedule.handoff.time) ?? { hour: 0, minute: 0 };
  const handoffOn = (day: number) => zonedWallTimeToUtc({ ...dateOfDay(day), ...time }, schedule.timeZone);

  const shiftAt = (at: Date): RotationShift => {
    const wall = zonedWallTime(at, schedule.timeZone);
    let day = dayNumber(wall.year, wall.month, wall.day) - mod(wall.weekday - schedule.handoff.weekday, 7);
    let start = handoffOn(day);
    if (start.getTime() > at.getTime()) {
      day -= 7;
      start = handoffOn(day);
    }
    return { day, start, end: handoffOn(day + 7) };
  };

  const anchorDay = shiftAt(schedule.startsAt).day;
  const memberOf = (shift: RotationShift): string => {
    const index = mod(Math.round((shift.day - anchorDay) / 7), schedule.members.length);
    return schedule.members[index] ?? "";
  };

  const assignmentAt = (at: Date): Omit<OnCall, "until"> => {
    const shift = shiftAt(at);
    const scheduledUserId = memberOf(shift);
    const override = activeOverride(schedule, at);
    return {
      userId: override?.userId ?? scheduledUserId,
      scheduledUserId,
      shiftStart: shift.start,
      shiftEnd: shift.end,
      ...(override && { override }),
    };
  };

  /** The first hand-off or override edge after `at` at which the person on call is no longer `userId`. */
  const nextChange = (at: Date, userId: string, shiftEnd: Date): Date | undefined => {
    const edges = [...new Set(schedule.overrides.flatMap((o) => [o.from.getTime(), o.to.getTime()]))]
      .filter((t) => t > at.getTime())
      .sort((a, b) => a - b);
    let nextEnd = shiftEnd.getTime();
    let edgeIndex = 0;
    let endsSinceLastEdge = 0;
    for (let step = 0; step < 1000; step++) {
      const edge = edges[edgeIndex];
      const useEdge = edge !== undefined && edge <= nextEnd;
      const candidate = useEdge ? edge : nextEnd;
      if (useEdge) {
        edgeIndex += 1;
        endsSinceLastEdge = 0;
      } else {
        // Past every override edge, the rotation repeats after one lap: no change in a lap means none ever.
        if (edge === undefined && endsSinceLastEdge >= schedule.members.length) return undefined;
        endsSinceLastEdge += 1;
      }
      const found = assignmentAt(new Date(candidate));
      if (found.userId !== userId) return new Date(candidate);
      if (!useEdge || edge === nextEnd) nextEnd = found.shiftEnd.getTime();
    }
    return undefined;
  };

  const onCallAt = (at: Date): OnCall => {
    const now = assignmentAt(at);
    return { ...now, until: nextChange(at, now.userId, now.shiftEnd) ?? now.shiftEnd };
  };

  return { shiftAt, onCallAt };
}

/** The override in effect at `at`: the latest-added one whose [from, to) contains it. */
export function activeOverride(schedule: Pick<Schedule, "overrides">, at: Date): Override | undefined {
  const t = at.getTime();
  for (let i = schedule.overrides.length - 1; i >= 0; i--) {
    const override = schedule.overrides[i];
    if (override && override.from.getTime() <= t && t < override.to.getTime()) return override;
  }
  return undefined;
}

/** The rotation shift (hand-off to hand-off) containing `at`, ignoring overrides. */
export function shiftAt(schedule: Schedule, at: Date): { start: Date; end: Date } {
  const { start, end } = rotation(schedule).shiftAt(at);
  return { start, end };
}

/** Who is on call at `at`, overrides applied, and until when. */
export function onCallAt(schedule: Schedule, at: Date): OnCall {
  return rotation(schedule).onCallAt(at);
}

/**
 * Who is on call next after `at`, and when they take over: the first hand-off or override edge after `at`
 * at which the person changes. A schedule whose person never changes gives the next hand-off.
 */
export function nextShift(schedule: Schedule, at: Date): NextShift {
  const r = rotation(schedule);
  const handoffAt = r.onCallAt(at).until;
  return { ...r.onCallAt(handoffAt), handoffAt };
}

/** The key schedule names are unique by, per workspace: trimmed, one line, lower case. */
export function scheduleNameKey(name: string): string {
  return oneLine(name).toLowerCase();
}

/** "Mondays at 09:00 (Europe/London)". */
export function describeHandoff(schedule: Pick<Schedule, "handoff" | "timeZone">): string {
  return `${WEEKDAYS[schedule.handoff.weekday] ?? "?"}s at ${schedule.handoff.time} (${schedule.timeZone})`;
}

// ——— Validation ———

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

/** Whether a local date exists in the calendar (2026-02-30 does not). */
export function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(utcMs(year, month, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() + 1 === month && date.getUTCDate() === day;
}
