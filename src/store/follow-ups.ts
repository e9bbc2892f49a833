import { type Connection, type Model, Schema } from "mongoose";
import { type FollowUp, followUpId } from "../domain/postmortem.ts";
import { isDuplicateKeyError } from "./errors.ts";
import { insertRecord } from "./insert-record.ts";
import { serialised } from "./serial.ts";
import type { Models } from "./store.ts";

/**
 * Follow-up actions: the n-th of an incident is `follow_ups/<incidentId>:F<n>` (n claimed by the insert, no
 * gaps, never deleted), so an incident's list is a run of `_id` reads and `F2` names the same action for
 * good. Open ones also sit in the live set `open_follow_ups` (same `_id`), which the reminder job and the
 * daily report scan instead of every follow-up ever added.
 */

type FollowUpDoc = Omit<FollowUp, "id"> & { _id: string; seq: number };

const followUpSchema = new Schema<FollowUpDoc>(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    incidentId: { type: String, required: true },
    workspaceId: { type: String, required: true },
    number: { type: Number, required: true },
    text: { type: String, required: true },
    ownerId: String,
    dueAt: Date,
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    doneAt: Date,
    doneBy: String,
    drill: Boolean,
  },
  { versionKey: false },
);

export function followUpModel(connection: Connection): Model<FollowUpDoc> {
  return connection.model<FollowUpDoc>("FollowUp", followUpSchema, "follow_ups");
}

/** An open follow-up, as the live set holds it; `reminded` once its overdue reminder was queued. */
export interface OpenFollowUp {
  _id: string;
  incidentId: string;
  workspaceId: string;
  number: number;
  seq: number;
  text: string;
  ownerId?: string;
  createdBy: string;
  dueAt?: Date;
  reminded?: boolean;
  drill?: boolean;
}

const openFollowUpSchema = new Schema<OpenFollowUp>(
  {
    _id: { type: String, required: true },
    incidentId: { type: String, required: true },
    workspaceId: { type: String, required: true },
    number: { type: Number, required: true },
    seq: { type: Number, required: true },
    text: { type: String, required: true },
    ownerId: String,
    createdBy: { type: String, required: true },
    dueAt: Date,
    reminded: Boolean,
    drill: Boolean,
  },
  { versionKey: false },
);
openFollowUpSchema.index({ dueAt: 1 });

export function openFollowUpModel(connection: Connection): Model<OpenFollowUp> {
  return connection.model<OpenFollowUp>("OpenFollowUp", openFollowUpSchema, "open_follow_ups");
}

const docId = (incidentId: string, seq: number) => `${incidentId}:${followUpId(seq)}`;

const toFollowUp = ({ _id: _, seq, ...rest }: FollowUpDoc): FollowUp => ({ id: followUpId(seq), ...rest });

export type NewFollowUp = Omit<FollowUp, "id" | "doneAt" | "doneBy">;

/** Adds a follow-up under the incident's next free number. */
export async function addFollowUp(models: Models, input: NewFollowUp): Promise<FollowUp> {
  for (let seq = (await countFollowUps(models, input.incidentId)) + 1; ; seq++) {
    const _id = docId(input.incidentId, seq);
    try {
      // Made from a person's input: through mongoose, which validates it.
      await models.followUps.create({ _id, seq, ...input });
    } catch (error) {
      if (isDuplicateKeyError(error)) continue;
      throw error;
    }
    const { incidentId, workspaceId, number, text, ownerId, createdBy, dueAt, drill } = input;
    await insertRecord(models.openFollowUps, {
      _id,
      incidentId,
      workspaceId,
      number,
      seq,
      text,
      ownerId,
      createdBy,
      dueAt,
      drill,
    });
    return { id: followUpId(seq), ...input };
  }
}

/** How many follow-ups the incident has: probes `_id`s F1, F2, … (an incident has a handful). */
async function countFollowUps(models: Models, incidentId: string): Promise<number> {
  let seq = 0;
  while (await models.followUps.exists({ _id: docId(incidentId, seq + 1) })) seq++;
  return seq;
}

/** Every follow-up of the incident, F1 first. */
export async function listFollowUps(models: Models, incidentId: string): Promise<FollowUp[]> {
  const found: FollowUp[] = [];
  for (let seq = 1; ; seq++) {
    const doc = await models.followUps.findById(docId(incidentId, seq)).lean();
    if (!doc) return found;
    found.push(toFollowUp(doc));
  }
}

export async function getFollowUp(
  models: Models,
  incidentId: string,
  seq: number,
): Promise<FollowUp | undefined> {
  const doc = await models.followUps.findById(docId(incidentId, seq)).lean();
  return doc ? toFollowUp(doc) : undefined;
}

/** Marks one done (once: a second call finds it done and changes nothing); undefined if there is none. */
export function completeFollowUp(
  models: Models,
  incidentId: string,
  seq: number,
  done: { doneAt: Date; doneBy: string },
): Promise<{ followUp: FollowUp; changed: boolean } | undefined> {
  const _id = docId(incidentId, seq);
  return serialised(`follow-up:${models.followUps.db.name}:${_id}`, async () => {
    const doc = await models.followUps.findById(_id).lean();
    if (!doc) return undefined;
    if (doc.doneAt) return { followUp: toFollowUp(doc), changed: false };
    await models.followUps.updateOne({ _id }, { $set: done });
    await models.openFollowUps.deleteOne({ _id });
    return { followUp: toFollowUp({ ...doc, ...done }), changed: true };
  });
}

/** Open follow-ups (a scan of the small live set), soonest due first, undated last. */
export async function openFollowUps(models: Models, workspaceId?: string): Promise<OpenFollowUp[]> {
  const entries = await models.openFollowUps.find(workspaceId ? { workspaceId } : {}).lean();
  const due = (entry: OpenFollowUp) => entry.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
  return entries.sort((a, b) => due(a) - due(b) || a.number - b.number || a.seq - b.seq);
}

export async function noteFollowUpReminded(models: Models, id: string): Promise<void> {
  await models.openFollowUps.updateOne({ _id: id }, { $set: { reminded: true } });
}
