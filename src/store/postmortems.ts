import { type Connection, type Model, Schema } from "mongoose";
import type { Postmortem, PostmortemReminderStage } from "../domain/postmortem.ts";
import { isDuplicateKeyError } from "./errors.ts";
import { insertRecord } from "./insert-record.ts";
import { serialised } from "./serial.ts";
import type { Models } from "./store.ts";

/**
 * Postmortems, one per incident: `postmortems/<incidentId>`, read and written by `_id` only. Those not yet
 * done also have an entry in the live set `open_postmortems` (the same `_id`, with the next reminder's time),
 * which the reminder job and the daily report scan instead of every postmortem ever written.
 */

type PostmortemDoc = Omit<Postmortem, "incidentId"> & { _id: string; lastReminder?: PostmortemReminderStage };

const postmortemSchema = new Schema<PostmortemDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    number: { type: Number, required: true },
    ownerId: { type: String, required: true },
    channelId: String,
    createdAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    draftVersion: { type: Number, required: true },
    link: String,
    doneAt: Date,
    doneBy: String,
    lastReminder: String,
  },
  { versionKey: false },
);

export function postmortemModel(connection: Connection): Model<PostmortemDoc> {
  return connection.model<PostmortemDoc>("Postmortem", postmortemSchema, "postmortems");
}

/** A postmortem still to write: what the reminders and the daily report need, and the next reminder. */
export interface OpenPostmortem {
  _id: string;
  workspaceId: string;
  number: number;
  ownerId: string;
  channelId?: string;
  dueAt: Date;
  /** When the next reminder is due; unset once every reminder went out. */
  remindAt?: Date;
}

const openPostmortemSchema = new Schema<OpenPostmortem>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    number: { type: Number, required: true },
    ownerId: { type: String, required: true },
    channelId: String,
    dueAt: { type: Date, required: true },
    remindAt: Date,
  },
  { versionKey: false },
);
openPostmortemSchema.index({ remindAt: 1 });

export function openPostmortemModel(connection: Connection): Model<OpenPostmortem> {
  return connection.model<OpenPostmortem>("OpenPostmortem", openPostmortemSchema, "open_postmortems");
}

const toPostmortem = ({ _id, lastReminder: _, ...rest }: PostmortemDoc): Postmortem => ({
  incidentId: _id,
  ...rest,
});

const lockKey = (models: Models, incidentId: string) =>
  `postmortem:${models.postmortems.db.name}:${incidentId}`;

export type NewPostmortem = Omit<Postmortem, "draftVersion" | "link" | "doneAt" | "doneBy">;

/**
 * The incident's postmortem, created once (an insert under its `_id`: a second resolve, a retry or another
 * process finds the first one). `remindAt` is the first reminder's time.
 */
export async function startPostmortem(
  models: Models,
  input: NewPostmortem,
  remindAt: Date,
): Promise<{ postmortem: Postmortem; created: boolean }> {
  const { incidentId, ...fields } = input;
  try {
    await insertRecord(models.postmortems, { _id: incidentId, ...fields, draftVersion: 0 });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const existing = await getPostmortem(models, incidentId);
    if (!existing) throw error;
    return { postmortem: existing, created: false };
  }
  const { workspaceId, number, ownerId, channelId, dueAt } = input;
  await models.openPostmortems.replaceOne(
    { _id: incidentId },
    { workspaceId, number, ownerId, ...(channelId && { channelId }), dueAt, remindAt },
    { upsert: true },
  );
  return { postmortem: { ...input, draftVersion: 0 }, created: true };
}

export async function getPostmortem(models: Models, incidentId: string): Promise<Postmortem | undefined> {
  const doc = await models.postmortems.findById(incidentId).lean();
  return doc ? toPostmortem(doc) : undefined;
}

/** Takes the next draft version (queued per postmortem in the process, so two requests get two versions). */
export function nextDraftVersion(models: Models, incidentId: string): Promise<number | undefined> {
  return serialised(lockKey(models, incidentId), async () => {
    const doc = await models.postmortems.findById(incidentId, { draftVersion: 1 }).lean();
    if (!doc) return undefined;
    const version = doc.draftVersion + 1;
    await models.postmortems.updateOne({ _id: incidentId }, { $set: { draftVersion: version } });
    return version;
  });
}

/** Records the finished document; the postmortem leaves the live set (no more reminders). */
export function completePostmortem(
  models: Models,
  incidentId: string,
  done: { link: string; doneAt: Date; doneBy: string },
): Promise<Postmortem | undefined> {
  return serialised(lockKey(models, incidentId), async () => {
    const doc = await models.postmortems
      .findOneAndUpdate({ _id: incidentId }, { $set: done }, { returnDocument: "after" })
      .lean();
    await models.openPostmortems.deleteOne({ _id: incidentId });
    return doc ? toPostmortem(doc) : undefined;
  });
}

/** Postmortems still to write (a scan of the small live set), soonest due first. */
export async function openPostmortems(models: Models, workspaceId?: string): Promise<OpenPostmortem[]> {
  const entries = await models.openPostmortems.find(workspaceId ? { workspaceId } : {}).lean();
  return entries.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/** Notes a reminder as sent and sets the next one's time (none: no more reminders). */
export function noteReminder(
  models: Models,
  incidentId: string,
  stage: PostmortemReminderStage,
  next: Date | undefined,
): Promise<void> {
  return serialised(lockKey(models, incidentId), async () => {
    await models.postmortems.updateOne({ _id: incidentId }, { $set: { lastReminder: stage } });
    await models.openPostmortems.updateOne(
      { _id: incidentId },
      next ? { $set: { remindAt: next } } : { $unset: { remindAt: 1 } },
    );
  });
}
