import { type Connection, type Model, Schema } from "mongoose";
import type { MessageRef } from "../domain/incident.ts";
import type { IncidentChecklists, RunbookChecklist } from "../domain/runbook.ts";
import { isDuplicateKeyError } from "./errors.ts";
import { insertRecord } from "./insert-record.ts";
import { serialised } from "./serial.ts";
import type { Models } from "./store.ts";

/**
 * An incident's runbook checklists: `incident_checklists/<incidentId>`, read and written by `_id` only. It
 * holds a copy of each matching runbook's items (so editing a runbook file later changes no running
 * incident), who ticked each item and when, and the message each checklist was posted as.
 */

interface ItemDoc {
  id: string;
  text: string;
  doneBy?: string;
  doneAt?: Date;
}

interface RunbookDoc {
  runbookId: string;
  title: string;
  items: ItemDoc[];
  message?: MessageRef;
}

interface ChecklistDoc {
  _id: string;
  workspaceId: string;
  type?: string;
  runbooks: RunbookDoc[];
  createdAt: Date;
}

const itemSchema = new Schema<ItemDoc>(
  {
    id: { type: String, required: true },
    text: { type: String, required: true },
    doneBy: String,
    doneAt: Date,
  },
  { _id: false },
);

const checklistSchema = new Schema<ChecklistDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    type: String,
    runbooks: [
      new Schema<RunbookDoc>(
        {
          runbookId: { type: String, required: true },
          title: { type: String, required: true },
          items: [itemSchema],
          message: {
            type: new Schema<MessageRef>({ channelId: String, ts: String }, { _id: false }),
            default: undefined,
          },
        },
        { _id: false },
      ),
    ],
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export function checklistModel(connection: Connection): Model<ChecklistDoc> {
  return connection.model<ChecklistDoc>("IncidentChecklist", checklistSchema, "incident_checklists");
}

/** A checklist as stored: the domain's, plus the message each runbook's checklist was posted as. */
export interface StoredChecklists extends IncidentChecklists {
  messages: Partial<Record<string, MessageRef>>;
}

function toChecklists(doc: ChecklistDoc): StoredChecklists {
  const runbooks: RunbookChecklist[] = doc.runbooks.map(({ runbookId, title, items }) => ({
    runbookId,
    title,
    items: items.map(({ id, text, doneBy, doneAt }) => ({
      id,
      text,
      ...(doneBy !== undefined && { doneBy }),
      ...(doneAt !== undefined && { doneAt }),
    })),
  }));
  const messages = Object.fromEntries(
    doc.runbooks.flatMap(({ runbookId, message }) =>
      message?.ts ? [[runbookId, { channelId: message.channelId, ts: message.ts }] as const] : [],
    ),
  );
  return { incidentId: doc._id, ...(doc.type && { type: doc.type }), runbooks, messages };
}

const lockKey = (models: Models, incidentId: string) =>
  `checklists:${models.checklists.db.name}:${incidentId}`;

/** Creates the incident's checklists once (an insert under its id: a retry finds the first). */
export async function createChecklists(
  models: Models,
  input: { incidentId: string; workspaceId: string; type?: string | undefined; runbooks: RunbookChecklist[] },
  at: Date,
): Promise<{ checklists: StoredChecklists; created: boolean }> {
  try {
    await insertRecord(models.checklists, {
      _id: input.incidentId,
      workspaceId: input.workspaceId,
      type: input.type,
      runbooks: input.runbooks,
      createdAt: at,
    });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const existing = await getChecklists(models, input.incidentId);
    if (!existing) throw error;
    return { checklists: existing, created: false };
  }
  const { incidentId, type, runbooks } = input;
  return { checklists: { incidentId, ...(type && { type }), runbooks, messages: {} }, created: true };
}

export async function getChecklists(
  models: Models,
  incidentId: string,
): Promise<StoredChecklists | undefined> {
  const doc = await models.checklists.findById(incidentId).lean();
  return doc ? toChecklists(doc) : undefined;
}

export type ItemChange =
  | { ok: true; changed: boolean; runbook: RunbookChecklist; item: { id: string; text: string } }
  | { ok: false; reason: "no_item" };

/**
 * Ticks (`done` set) or unticks (`done` undefined) one item; `changed: false` when it already was so (a
 * retried or repeated click). Queued per incident in the process, and written as a `$set`/`$unset` of the
 * item's own fields, so two people ticking two items at once both count.
 */
export function setItemDone(
  models: Models,
  incidentId: string,
  ref: { runbookId: string; itemId: string },
  done: { by: string; at: Date } | undefined,
): Promise<ItemChange> {
  return serialised(lockKey(models, incidentId), async () => {
    const doc = await models.checklists.findById(incidentId).lean();
    const r = doc?.runbooks.findIndex((runbook) => runbook.runbookId === ref.runbookId) ?? -1;
    const runbook = doc?.runbooks[r];
    const i = runbook?.items.findIndex((item) => item.id === ref.itemId) ?? -1;
    const item = runbook?.items[i];
    if (!doc || !runbook || !item) return { ok: false, reason: "no_item" };
    const current = toChecklists(doc).runbooks[r] as RunbookChecklist;
    const summary = { id: item.id, text: item.text };
    if ((item.doneAt !== undefined) === (done !== undefined))
      return { ok: true, changed: false, runbook: current, item: summary };
    const path = `runbooks.${r}.items.${i}`;
    await models.checklists.updateOne(
      { _id: incidentId },
      done
        ? { $set: { [`${path}.doneBy`]: done.by, [`${path}.doneAt`]: done.at } }
        : { $unset: { [`${path}.doneBy`]: 1, [`${path}.doneAt`]: 1 } },
    );
    const items = current.items.map((it) =>
      it.id !== item.id ? it : done ? { ...summary, doneBy: done.by, doneAt: done.at } : summary,
    );
    return { ok: true, changed: true, runbook: { ...current, items }, item: summary };
  });
}

/** Notes the message a runbook's checklist was posted as, so later changes edit it in place. */
export function noteChecklistMessage(
  models: Models,
  incidentId: string,
  runbookId: string,
  message: MessageRef,
): Promise<void> {
  return serialised(lockKey(models, incidentId), async () => {
    const doc = await models.checklists.findById(incidentId, { runbooks: 1 }).lean();
    const r = doc?.runbooks.findIndex((runbook) => runbook.runbookId === runbookId) ?? -1;
    if (r < 0) return;
    await models.checklists.updateOne({ _id: incidentId }, { $set: { [`runbooks.${r}.message`]: message } });
  });
}
