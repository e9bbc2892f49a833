import { type Connection, type Model, Schema } from "mongoose";
import type { MessageRef } from "../domain/incident.ts";
import { isDuplicateKeyError } from "./errors.ts";
import { insertRecord } from "./insert-record.ts";
import { sharedRead } from "./shared-reads.ts";
import type { Models } from "./store.ts";

/**
 * `_id`-keyed pointers that turn a hot secondary-key query into one `_id` lookup, the only query FerretDB v1
 * answers in constant time (docs/database.md, "Hot paths"). `ref` is the id of the document found, or a
 * number written as a string. The keys in use:
 * - `incident-channel:<channelId>` → incident id
 * - `incident-number:<workspaceId>:<number>` → incident id
 * - `event-key:<incidentId>:<key>` → timeline event id (an idempotency key of the timeline)
 * - `pinned:<incidentId>:<ts>` → the `message_pinned` event of that message
 * - `timeline-legacy:<incidentId>` → "1": the incident's events predate keyed timelines (read by query)
 * - `backfill:v1` → "done": the lookups of data written before they existed are in place
 * - `maint-request-message:<windowId>:<lane>`, `change-request-message:<changeId>:<userId>` → `<channel> <ts>`
 *   of an approval request sent, to edit it once decided
 * - `change-asked:<changeId>` → JSON list of the people asked to approve a change, and as which role
 * - `email-first:<incidentId>:<address>` → "1": the address got its first e-mail about the incident
 */
export interface Lookup {
  _id: string;
  ref: string;
}

const lookupSchema = new Schema<Lookup>(
  { _id: { type: String, required: true }, ref: { type: String, required: true } },
  { versionKey: false },
);

export function lookupModel(connection: Connection): Model<Lookup> {
  return connection.model<Lookup>("Lookup", lookupSchema, "lookups");
}

export async function getLookup(models: Models, key: string): Promise<string | undefined> {
  const found = await sharedRead(models.lookups, key, () => models.lookups.findById(key).lean());
  return found?.ref;
}

/** Points `key` at `ref`, replacing what it pointed at. */
export async function putLookup(models: Models, key: string, ref: string): Promise<void> {
  try {
    await insertRecord(models.lookups, { _id: key, ref });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    await models.lookups.updateOne({ _id: key }, { $set: { ref } });
  }
}

/** Inserts `key` → `ref` unless the key exists: true for the one caller that wrote it. */
export async function claimLookup(models: Models, key: string, ref: string): Promise<boolean> {
  try {
    await insertRecord(models.lookups, { _id: key, ref });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** Points `key` at a sent message, to edit it later. */
export function putMessageLookup(models: Models, key: string, ref: MessageRef): Promise<void> {
  return putLookup(models, key, `${ref.channelId} ${ref.ts}`);
}

export async function getMessageLookup(models: Models, key: string): Promise<MessageRef | undefined> {
  const [channelId, ts] = (await getLookup(models, key))?.split(" ") ?? [];
  return channelId && ts ? { channelId, ts } : undefined;
}

export async function dropLookup(models: Models, key: string): Promise<void> {
  await models.lookups.deleteOne({ _id: key });
}
