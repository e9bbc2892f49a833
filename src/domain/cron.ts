import { dateOfDay, dayNumber, zonedWallTime, zonedWallTimeToUtc } from "./time-zone.ts";

/**
 * A cron expression's fields as lists of the values they allow (node-cron's `parse` gives them), so the
 * report scheduler can find the occurrence a report belongs to without a cron library: node-cron only
 * triggers, and the period of what it triggered is worked out here from the clock.
 */
export interface CronFields {
  minute: readonly number[];
  hour: readonly number[];
  dayOfMonth: readonly number[];
  month: readonly number[];
  /** 0 = Sunday (7 is read as Sunday too). */
  dayOfWeek: readonly number[];
}

const MINUTE_MS = 60_000;

/** Classic cron: when both day fields are restricted, a day matching either runs; otherwise both must match. */
function dayMatches(fields: CronFields, date: { year: number; month: number; day: number }): boolean {
  if (!fields.month.includes(date.month)) return false;
  const weekday = (dayNumber(date.year, date.month, date.day) + 4) % 7; // 1970-01-01 was a Thursday
  const weekdays = fields.dayOfWeek.map((d) => d % 7);
  const byMonthDay = fields.dayOfMonth.includes(date.day);
  const byWeekday = weekdays.includes(weekday);
  const monthDayRestricted = fields.dayOfMonth.length < 31;
  const weekdayRestricted = new Set(weekdays).size < 7;
  if (monthDayRestricted && weekdayRestricted) return byMonthDay || byWeekday;
  return byMonthDay && byWeekday;
}

/**
 * The latest time at or before `at` (to the minute) that the expression names in `timeZone`, looking back
 * at most `lookbackDays` local days; undefined when none falls in that span.
 */
export function previousCronTime(
  fields: CronFields,
  timeZone: string,
  at: Date,
  lookbackDays = 40,
): Date | undefined {
  const limit = Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS;
  const today = zonedWallTime(at, timeZone);
  const first = dayNumber(today.year, today.month, today.day);
  const hours = [...fields.hour].sort((a, b) => b - a);
  const minutes = [...fields.minute].sort((a, b) => b - a);
  for (let day = first; day >= first - lookbackDays; day--) {
    const date = dateOfDay(day);
    if (!dayMatches(fields, date)) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        const instant = zonedWallTimeToUtc({ ...date, hour, minute }, timeZone);
        if (instant.getTime() <= limit) return instant;
      }
    }
  }
  return undefined;
}
