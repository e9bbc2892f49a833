import { parseHandoffTime } from "./schedule-parse.ts";
import { oneLine } from "./text.ts";
import { dateOfDay, dayNumber, zonedWallTime, zonedWallTimeToUtc } from "./time-zone.ts";

/**
 * On-call schedules: a weekly rotation through a list of people, with overrides on top. Plain data and
 * time arithmetic, no Slack or database.
 *
 * Hand-offs happen at a local wall-clock time (weekday + HH:MM) in the schedule's IANA time zone, so across a
 * daylight-saving change the hand-off stays at 09:00 local and its UTC instant moves by an hour. Local times
 * that do not exist (spring forward) hand off at the first valid instant after them (the transition itself:
 * 02:30 on a New York spring-forward day hands off at 03:00 EDT); local times that happen twice (fall back)
 * hand off at the first occurrence (01:30 on a New York fall-back day is 01:30 EDT, not EST). The wall-clock
 * arithmetic is in time-zone.ts; validating a schedule is in schedule-parse.ts.
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

const mod = (n: number, m: number) => ((n % m) + m) % m;

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

/** Whom the person on call covers for, when an override puts someone else on call than the rotation. */
export function coveredUser(onCall: Pick<OnCall, "userId" | "scheduledUserId" | "override">) {
  if (!onCall.override) return undefined;
  const covered = onCall.override.coversUserId ?? onCall.scheduledUserId;
  return covered === onCall.userId ? undefined : covered;
}

/** Whether `userId` has a rotation shift (overrides aside) at any time in [from, to). */
export function isScheduledDuring(schedule: Schedule, userId: string, from: Date, to: Date): boolean {
  const plain = { ...schedule, overrides: [] };
  // Past one lap of the rotation, every member has had a shift.
  let at = from;
  for (let lap = 0; lap <= schedule.members.length && at.getTime() < to.getTime(); lap++) {
    const shift = onCallAt(plain, at);
    if (shift.scheduledUserId === userId) return true;
    at = shift.shiftEnd;
  }
  return false;
}
