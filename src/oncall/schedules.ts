import type { AppContext } from "../context.ts";
import { isScheduledDuring, type Override, type Schedule } from "../domain/schedule.ts";
import { type LocalDateTime, zonedWallTimeToUtc } from "../domain/time-zone.ts";
import { addOverride, createSchedule, getScheduleByName, listSchedules } from "../store/schedules.ts";

/**
 * The on-call use cases behind `/oncall`: who is on call, making a weekly rotation, adding an override.
 * Each answers with data (schedules, refusals); the edge says it in words.
 */

/** No schedule by that name in the workspace; `known` lists the ones there are. */
export interface ScheduleNotFound {
  kind: "schedule_not_found";
  name: string;
  known: Schedule[];
}

/** Every schedule of the workspace, to show who is on call on each at `at`. */
export async function whoIsOnCall(
  ctx: AppContext,
  workspaceId: string,
): Promise<{ schedules: Schedule[]; at: Date }> {
  return { schedules: await listSchedules(ctx.store.models, workspaceId), at: ctx.clock.now() };
}

/** The schedule named, to show who is on call on it at `at`. */
export async function whoIsOnCallOn(
  ctx: AppContext,
  workspaceId: string,
  name: string,
): Promise<{ ok: true; schedule: Schedule; at: Date } | { ok: false; refusal: ScheduleNotFound }> {
  const found = await named(ctx, workspaceId, name);
  return "kind" in found ? { ok: false, refusal: found } : { ok: true, schedule: found, at: ctx.clock.now() };
}

async function named(
  ctx: AppContext,
  workspaceId: string,
  name: string,
): Promise<Schedule | ScheduleNotFound> {
  const schedule = await getScheduleByName(ctx.store.models, workspaceId, name);
  if (schedule) return schedule;
  return { kind: "schedule_not_found", name, known: await listSchedules(ctx.store.models, workspaceId) };
}

export interface NewRotation {
  workspaceId: string;
  createdBy: string;
  name: string;
  /** The hand-off's weekday (0 Sunday) and wall time ("09:00") in `timeZone`. */
  weekday: number;
  time: string;
  timeZone: string;
  /** In rotation order. */
  members: string[];
}

/** `problem`: a plain sentence, such as a name already taken. */
export type CreateRotationResult =
  | { ok: true; schedule: Schedule; at: Date }
  | { ok: false; problem: string };

/** A weekly rotation; its first member takes the shift running now, so someone is on call from the start. */
export async function createRotation(ctx: AppContext, input: NewRotation): Promise<CreateRotationResult> {
  const now = ctx.clock.now();
  const created = await createSchedule(ctx.store.models, {
    workspaceId: input.workspaceId,
    name: input.name,
    timeZone: input.timeZone,
    members: input.members,
    handoff: { weekday: input.weekday, time: input.time },
    startsAt: now,
    createdBy: input.createdBy,
    createdAt: now,
  });
  return created.ok
    ? { ok: true, schedule: created.schedule, at: now }
    : { ok: false, problem: created.error };
}

export interface NewOverride {
  workspaceId: string;
  /** The schedule's name. */
  name: string;
  /** Who is on call instead, and whom they cover for. */
  userId: string;
  coversUserId: string;
  /** Wall times in the schedule's time zone. */
  from: LocalDateTime;
  to: LocalDateTime;
}

export type OverrideRefusal =
  | ScheduleNotFound
  /** In the schedule's time zone, the end is not after the start (a DST change can do that). */
  | { kind: "ends_before_start" }
  | { kind: "already_passed" }
  /** `problem`: a plain sentence. */
  | { kind: "invalid"; problem: string };

/**
 * `coversOffRotation`: the covered person has no shift during the override, so the covering person is on
 * call for all of it anyway (worth telling whoever added it).
 */
export type OverrideResult =
  | { ok: true; schedule: Schedule; override: Override; coversOffRotation: boolean; at: Date }
  | { ok: false; refusal: OverrideRefusal };

/** Someone covers for someone else on a schedule for a while, from wall times in the schedule's zone. */
export async function overrideOnCall(ctx: AppContext, input: NewOverride): Promise<OverrideResult> {
  const schedule = await named(ctx, input.workspaceId, input.name);
  if ("kind" in schedule) return { ok: false, refusal: schedule };
  const now = ctx.clock.now();
  const from = zonedWallTimeToUtc(input.from, schedule.timeZone);
  const to = zonedWallTimeToUtc(input.to, schedule.timeZone);
  if (to.getTime() <= from.getTime()) return { ok: false, refusal: { kind: "ends_before_start" } };
  if (to.getTime() <= now.getTime()) return { ok: false, refusal: { kind: "already_passed" } };
  const added = await addOverride(ctx.store.models, schedule.id, {
    userId: input.userId,
    coversUserId: input.coversUserId,
    from,
    to,
  });
  if (!added.ok) return { ok: false, refusal: { kind: "invalid", problem: added.error } };
  return {
    ok: true,
    schedule: added.schedule,
    override: added.schedule.overrides.at(-1) ?? { userId: input.userId, from, to },
    coversOffRotation: !isScheduledDuring(schedule, input.coversUserId, from, to),
    at: now,
  };
}
