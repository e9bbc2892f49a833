import { quote } from "./args.ts";
import { WEEKDAYS } from "./schedule.ts";
import { parseLocalDateTime, parseTime } from "./schedule-args.ts";
import { dateOfDay, dayNumber, type LocalDateTime, zonedWallTime, zonedWallTimeToUtc } from "./time-zone.ts";

/**
 * A follow-up's due date as people type it at the end of a command: `2026-12-01 [HH:MM]`, `today`,
 * `tomorrow`, a weekday (`friday`: the next one, never today), each with an optional time, or a span from
 * now (`in 3d`, `2w`, `in 4h`, `in 3 days`). Days without a time are due at the end of the working day.
 * Wall times are read in a time zone the caller gives (the one the reports are scheduled in).
 */

/** A due date without a time is due at the end of that working day. */
export const DEFAULT_DUE_TIME = "17:00";

export const DUE_FORMS = "tomorrow, friday, in 3d, 2w or YYYY-MM-DD [HH:MM]";

interface Time {
  hour: number;
  minute: number;
}

export type DueSpec =
  | { kind: "date"; at: LocalDateTime }
  /** `today` (0), `tomorrow` (1), `in 3d` (3), `2w` (14): days after today. */
  | { kind: "days"; days: number; time?: Time }
  /** The next such weekday after today (0 = Sunday). */
  | { kind: "weekday"; weekday: number; time?: Time }
  | { kind: "hours"; hours: number };

/** How many of the words, from the end, named the due date, and what they said; or why they could not. */
export type DueRead = { ok: true; spec: DueSpec; words: number } | { ok: false; error: string };

const DATE = /^\d{4}-\d\d-\d\d$/;
const TIME = /^\d{1,2}:\d\d$/;
const SPAN = /^(\d{1,3})(h|hours?|d|days?|w|weeks?)$/i;
const MAX_DAYS = 366;

function parseClock(text: string): Time | undefined {
  const hhmm = parseTime(text);
  if (!hhmm) return undefined;
  const [hour = 0, minute = 0] = hhmm.split(":").map(Number);
  return { hour, minute };
}

/** today, tomorrow or a weekday's full name → a spec; undefined for anything else. */
function dayWord(text: string, time?: Time): DueSpec | undefined {
  const word = text.toLowerCase();
  const withTime = time ? { time } : {};
  if (word === "today") return { kind: "days", days: 0, ...withTime };
  if (word === "tomorrow") return { kind: "days", days: 1, ...withTime };
  const weekday = WEEKDAYS.findIndex((name) => name.toLowerCase() === word);
  return weekday >= 0 ? { kind: "weekday", weekday, ...withTime } : undefined;
}

function span(count: string, unit: string): DueRead {
  const n = Number(count);
  const u = unit.toLowerCase()[0];
  if (u === "h")
    return n > MAX_DAYS * 24 ? tooFar() : { ok: true, spec: { kind: "hours", hours: n }, words: 0 };
  const days = u === "w" ? n * 7 : n;
  return days > MAX_DAYS ? tooFar() : { ok: true, spec: { kind: "days", days }, words: 0 };
}

const tooFar = (): DueRead => ({ ok: false, error: "Give a due date within a year." });

/**
 * Reads a due date from the last words of `texts`; undefined when they hold none. "in 3 days" and
 * "friday 12:00" take several words, so the longest reading wins.
 */
export function readDue(texts: readonly string[]): DueRead | undefined {
  const [a = "", b = "", c = ""] = texts.slice(-3).reverse();
  const used = (read: DueRead, words: number): DueRead => (read.ok ? { ...read, words } : read);
  // in 3 days
  const unit = /^(h|hours?|d|days?|w|weeks?)$/i;
  if (c.toLowerCase() === "in" && /^\d{1,3}$/.test(b) && unit.test(a)) return used(span(b, a), 3);
  // in 3d
  const inSpan = SPAN.exec(a);
  if (inSpan) return used(span(inSpan[1] ?? "", inSpan[2] ?? ""), b.toLowerCase() === "in" ? 2 : 1);
  if (TIME.test(a)) {
    if (DATE.test(b)) {
      const at = parseLocalDateTime(b, a);
      if (!at) return { ok: false, error: `${quote(`${b} ${a}`)} is not a real date and time.` };
      return { ok: true, spec: { kind: "date", at }, words: 2 };
    }
    const time = parseClock(a);
    const day = time && dayWord(b, time);
    if (day) return { ok: true, spec: day, words: 2 };
    if (!time && dayWord(b)) return { ok: false, error: `${quote(a)} is not a time; use HH:MM, like 09:30.` };
  }
  if (DATE.test(a)) {
    const at = parseLocalDateTime(a, DEFAULT_DUE_TIME);
    if (!at) return { ok: false, error: `${quote(a)} is not a real date; use YYYY-MM-DD, like 2026-12-01.` };
    return { ok: true, spec: { kind: "date", at }, words: 1 };
  }
  const day = dayWord(a);
  return day && { ok: true, spec: day, words: 1 };
}

const DEFAULT_TIME = parseClock(DEFAULT_DUE_TIME) ?? { hour: 17, minute: 0 };

/** The instant a spec names, from `now`, with wall times read in `timeZone`. */
export function dueInstant(spec: DueSpec, now: Date, timeZone: string): Date {
  if (spec.kind === "hours") return new Date(now.getTime() + spec.hours * 3_600_000);
  if (spec.kind === "date") return zonedWallTimeToUtc(spec.at, timeZone);
  const today = zonedWallTime(now, timeZone);
  const todayNumber = dayNumber(today.year, today.month, today.day);
  // The next such weekday: 1 to 7 days ahead.
  const days = spec.kind === "days" ? spec.days : ((spec.weekday - today.weekday + 6) % 7) + 1;
  const date = dateOfDay(todayNumber + days);
  return zonedWallTimeToUtc({ ...date, ...(spec.time ?? DEFAULT_TIME) }, timeZone);
}

/** "2026-11-08 17:00" as the clocks of `timeZone` show it. */
export function wallText(at: Date, timeZone: string): string {
  const { year, month, day, hour, minute } = zonedWallTime(at, timeZone);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${year}-${two(month)}-${two(day)} ${two(hour)}:${two(minute)}`;
}

/** The due instant, or why it cannot be one: a due date must still be to come. */
export function resolveDue(
  spec: DueSpec,
  now: Date,
  timeZone: string,
): { ok: true; at: Date } | { ok: false; error: string } {
  const at = dueInstant(spec, now, timeZone);
  if (at.getTime() > now.getTime()) return { ok: true, at };
  return {
    ok: false,
    error: `That due date, ${wallText(at, timeZone)} (${timeZone}), has already passed: it is ${wallText(now, timeZone)} there now. Give one still to come, like tomorrow, friday or in 3d.`,
  };
}
