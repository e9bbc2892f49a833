import type { Model } from "mongoose";

/**
 * Inserts one record this store built itself (a claim, a lookup, a queued delivery, a timer entry, a new
 * alert from a parsed webhook, a timeline event whose payload was already parsed) straight through the
 * driver: mongoose's hydration and validation of a document cost about half of an insert's CPU in this
 * process (measured), and every alert pays for several. Fields left undefined are left out, as `create`
 * leaves them. Throws the driver's error, a duplicate key included. Documents made from a person's input
 * keep `create` and its schema checks.
 */
export async function insertRecord<T>(model: Model<T>, record: Record<string, unknown>): Promise<void> {
  await model.collection.insertOne(record, { ignoreUndefined: true });
}
