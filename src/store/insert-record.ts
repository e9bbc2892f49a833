import type { Model, mongo } from "mongoose";
import { GroupCommit, refusalsOf } from "./group-commit.ts";

/**
 * Inserts one record this store built itself (a claim, a lookup, a queued delivery, a timer entry, a new
 * alert from a parsed webhook, a timeline event whose payload was already parsed) straight through the
 * driver: mongoose's hydration and validation of a document cost about half of an insert's CPU in this
 * process (measured), and every alert pays for several. Fields left undefined are left out, as `create`
 * leaves them. Throws the driver's error, a duplicate key included. Documents made from a person's input
 * keep `create` and its schema checks.
 *
 * Group-committed per collection (src/store/group-commit.ts): records that arrive while an insert into their
 * collection is in flight go together in one unordered `insertMany`, and each caller settles on its own
 * record (a duplicate key fails that caller only: unordered inserts store the rest and report each refusal
 * by index), so claims stay exact.
 */
export function insertRecord<T>(model: Model<T>, record: Record<string, unknown>): Promise<void> {
  return inserts.add(model.collection, record);
}

const inserts = new GroupCommit<Record<string, unknown>>(async (target, records) => {
  const collection = target as mongo.Collection;
  const [only] = records;
  if (records.length === 1 && only) {
    await collection.insertOne(only, { ignoreUndefined: true });
    return [undefined];
  }
  try {
    await collection.insertMany(records, { ordered: false, ignoreUndefined: true });
    return records.map(() => undefined);
  } catch (error) {
    return refusalsOf(error, records.length);
  }
});
