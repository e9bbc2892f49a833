import { type Connection, isObjectIdOrHexString, type Model, Schema, Types } from "mongoose";
import { type Handoff, type Override, type Schedule, scheduleNameKey } from "../domain/schedule.ts";
import { parseOverride, parseSchedule } from "../domain/schedule-parse.ts";
import { claimOnce, releaseClaim } from "./claims.ts";
import { isDuplicateKeyError } from "./errors.ts";
import type { Models } from "./store.ts";

/**
 * On-call schedules, one document each, with their overrides as an array on the schedule.
 *
 * Names are unique per workspace, case-insensitively, through a unique index on `nameKey` (the lower-cased
 * name): the one guard FerretDB v1 enforces atomically, so two concurrent creates of "Primary" make one.
 * Overrides are added with `$push`, which FerretDB v1 runs as a read and a whole-document write
 * (docs/database.md, note 2): two overrides added to one schedule at the same instant may lose one. People
 * add overrides by hand, one at a time, so this is accepted; the person who added the lost one sees it
 * missing from `/oncall` and adds it again. Past overrides stay on the schedule (the domain ignores them).
 */

/** What the store keeps about a schedule, besides the schedule itself. */
export interface StoredSchedule extends Schedule {
  workspaceId: string;
  createdBy: string;
  createdAt: Date;
}

interface ScheduleDoc extends Omit<StoredSchedule, "id"> {
  nameKey: string;
}

type ScheduleRecord = ScheduleDoc & { _id: Types.ObjectId };

const overrideSchema = new Schema<Override>(
  {
    userId: { type: String, required: true },
    coversUserId: String,
    from: { type: Date, required: true },
    to: { type: Date, required: true },
  },
  { _id: false },
);

const handoffSchema = new Schema<Handoff>(
  { weekday: { type: Number, required: true }, time: { type: String, required: true } },
  { _id: false },
);

const scheduleSchema = new Schema<ScheduleDoc>(
  {
    workspaceId: { type: String, required: true },
    name: { type: String, required: true },
    nameKey: { type: String, required: true },
    timeZone: { type: String, required: true },
    members: { type: [String], required: true },
    handoff: { type: handoffSchema, required: true },
    startsAt: { type: Date, required: true },
    overrides: { type: [overrideSchema], default: [] },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
scheduleSchema.index({ workspaceId: 1, nameKey: 1 }, { unique: true });

export function scheduleModel(connection: Connection): Model<ScheduleDoc> {
  return connection.model<ScheduleDoc>("Schedule", scheduleSchema, "schedules");
}

function toOverride({ userId, coversUserId, from, to }: Override): Override {
  return { userId, ...(coversUserId && { coversUserId }), from, to };
}

function toSchedule({ _id, nameKey: _nameKey, handoff, overrides, members, ...fields }: ScheduleRecord) {
  const schedule: StoredSchedule = {
    ...fields,
    id: _id.toString(),
    members: [...members],
    handoff: { weekday: handoff.weekday, time: handoff.time },
    overrides: (overrides ?? []).map(toOverride),
  };
  return schedule;
}

export type NewSchedule = Omit<Schedule, "id" | "overrides"> & {
  workspaceId: string;
  createdBy: string;
  createdAt: Date;
  overrides?: Override[];
};

export type CreateScheduleResult =
  | { ok: true; schedule: StoredSchedule }
  | { ok: false; reason: "duplicate_name" | "invalid"; error: string };

/** Validates and stores a new schedule; a name already used in the workspace (any case) is an error result. */
export async function createSchedule(models: Models, input: NewSchedule): Promise<CreateScheduleResult> {
  const _id = new Types.ObjectId();
  const { workspaceId, createdBy, createdAt, ...rest } = input;
  const parsed = parseSchedule({ ...rest, id: _id.toString(), overrides: rest.overrides ?? [] });
  if (!parsed.ok) return { ok: false, reason: "invalid", error: parsed.error };
  const { id: _ignored, ...schedule } = parsed.value;
  try {
    const doc = await models.schedules.create({
      _id,
      ...schedule,
      nameKey: scheduleNameKey(schedule.name),
      workspaceId,
      createdBy,
      createdAt,
    });
    return { ok: true, schedule: toSchedule(doc.toObject()) };
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return {
      ok: false,
      reason: "duplicate_name",
      error: `There is already a schedule named "${schedule.name}"; pick another name.`,
    };
  }
}

/** Undefined for an id that is not an ObjectId (it came from elsewhere) or a schedule that does not exist. */
export async function getSchedule(models: Models, id: string): Promise<StoredSchedule | undefined> {
  if (!isObjectIdOrHexString(id)) return undefined;
  const doc = await models.schedules.findById(id).lean();
  return doc ? toSchedule(doc) : undefined;
}

/** By name, any case and spacing. */
export async function getScheduleByName(
  models: Models,
  workspaceId: string,
  name: string,
): Promise<StoredSchedule | undefined> {
  const doc = await models.schedules.findOne({ workspaceId, nameKey: scheduleNameKey(name) }).lean();
  return doc ? toSchedule(doc) : undefined;
}

/** A workspace's schedules, by name. */
export async function listSchedules(models: Models, workspaceId: string): Promise<StoredSchedule[]> {
  const docs = await models.schedules.find({ workspaceId }).sort({ nameKey: 1 }).lean();
  return docs.map(toSchedule);
}

/** Every schedule of every workspace, for jobs such as hand-off announcements. */
export async function listAllSchedules(models: Models): Promise<StoredSchedule[]> {
  const docs = await models.schedules.find({}).sort({ workspaceId: 1, nameKey: 1 }).lean();
  return docs.map(toSchedule);
}

export type AddOverrideResult =
  | { ok: true; schedule: StoredSchedule }
  | { ok: false; reason: "not_found" | "invalid"; error: string };

/**
 * Appends an override (it wins over earlier ones where they overlap). Not race-safe on FerretDB v1: two
 * concurrent additions to one schedule may keep only one (see the top of this file).
 */
export async function addOverride(
  models: Models,
  scheduleId: string,
  override: Override,
): Promise<AddOverrideResult> {
  const parsed = parseOverride(override);
  if (!parsed.ok) return { ok: false, reason: "invalid", error: parsed.error };
  const notFound = { ok: false, reason: "not_found", error: "That schedule no longer exists." } as const;
  if (!isObjectIdOrHexString(scheduleId)) return notFound;
  const doc = await models.schedules
    .findOneAndUpdate(
      { _id: scheduleId },
      { $push: { overrides: parsed.value } },
      { returnDocument: "after", runValidators: true },
    )
    .lean();
  return doc ? { ok: true, schedule: toSchedule(doc) } : notFound;
}

const handoffKey = (scheduleId: string, shiftStart: Date) => `handoff:${scheduleId}:${shiftStart.getTime()}`;

/** True for exactly one caller per schedule and shift, across processes: that caller announces the hand-off. */
export function markHandoffAnnounced(models: Models, scheduleId: string, shiftStart: Date): Promise<boolean> {
  return claimOnce(models, handoffKey(scheduleId, shiftStart), { scheduleId });
}

/** Gives the announcement back after a failed post, so the next pass tries again. */
export function releaseHandoffAnnouncement(
  models: Models,
  scheduleId: string,
  shiftStart: Date,
): Promise<boolean> {
  return releaseClaim(models, handoffKey(scheduleId, shiftStart));
}
