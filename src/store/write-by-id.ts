import type { Model, mongo } from "mongoose";
import { GroupCommit, refusalsOf } from "./group-commit.ts";

/**
 * Replaces (upserting) or deletes one document by `_id` alone, for writes whose caller needs no count back:
 * a timer entry kept in step with its alert, finished work taken out of the delivery queue, a new alert's
 * pointer written once its Slack work is queued.
 * Group-committed per collection (src/store/group-commit.ts): writes that arrive while one is in flight go
 * together as one unordered bulk write, still one `_id` filter a statement (constant time on FerretDB, where
 * `$in` would scan). Two writes to one document are never in one batch when their caller serialises them
 * (src/store/serial.ts), as every caller here does or writes each document once.
 */
export type WriteById = { replace: Record<string, unknown> } | { delete: true };

export function writeById<T>(model: Model<T>, id: string, write: WriteById): Promise<void> {
  return writes.add(model.collection, { id, write });
}

/**
 * At most this many statements a bulk write. FerretDB runs a bulk write's statements one after another, each
 * a query and a write of its own, and SQLite has one write lock for the whole database: other writers (every
 * webhook's inserts) wait for it in SQLite's busy handler, sleeping 1, 2, 5, 10, 15 … ms between tries, and
 * kept losing it to the next statement. A storm's fold taking 1,000 delivered items out of the queue in one
 * bulk write stalled the webhook's writes for close to a second (880 ms a command; 84 to 137 ms at 64).
 */
const MAX_STATEMENTS = 64;

const writes = new GroupCommit<{ id: string; write: WriteById }>(async (target, items) => {
  const collection = target as mongo.Collection<{ _id: string }>;
  const operations = items.map(
    ({ id, write }): mongo.AnyBulkWriteOperation<{ _id: string }> =>
      "replace" in write
        ? { replaceOne: { filter: { _id: id }, replacement: write.replace, upsert: true } }
        : { deleteOne: { filter: { _id: id } } },
  );
  try {
    await collection.bulkWrite(operations, { ordered: false });
    return items.map(() => undefined);
  } catch (error) {
    return refusalsOf(error, items.length);
  }
}, MAX_STATEMENTS);
