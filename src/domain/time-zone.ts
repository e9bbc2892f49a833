/**
 * Wall-clock times in IANA time zones and the UTC instants they name. Plain time arithmetic, no Slack or
 * database.
 *
 * Local times that do not exist (spring forward) map to the first valid instant after them (the transition
 * itself: 02:30 on a New York spring-forward day is 03:00 EDT); local times that happen twice (fall back) map
 * to their first occurrence (01:30 on a New York fall-back day is 01:30 EDT, not EST). Offsets come from
 * `Intl.DateTimeFormat`, so the runtime's time-zone data decides when a zone changes offset.
 */

/** Wall-clock date and time in some time zone; month 1–12. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const DAY_MS = 86_400_000;

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

// ——— Calendar days ———

/** Local calendar days as whole numbers (0 = 1970-01-01), so weeks are plain arithmetic. */
export function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(utcMs(year, month, day) / DAY_MS);
}

/** The calendar date of a day number (the inverse of `dayNumber`). */
export function dateOfDay(day: number): { year: number; month: number; day: number } {
  const date = new Date(day * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** Whether a local date exists in the calendar (2026-02-30 does not). */
export function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(utcMs(year, month, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() + 1 === month && date.getUTCDate() === day;
}
