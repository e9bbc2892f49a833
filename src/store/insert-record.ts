import type { Model } from "mongoose";

/**
 * Inserts one record this store built itself (a claim, a lookup, a queued delivery, a timeline event whose
 * payload was already parsed): a lean insert, which skips mongoose's hydration and validation of a document
 * (measured: about half of an insert's CPU in this process). Throws the driver's error, a duplicate key
 * included, like `create`. Documents made from outside input keep `create` and its schema checks.
 */
export async function insertRecord<T>(model: Model<T>, record: Record<string, unknown>): Promise<void> {
  await model.insertMany([record], { lean: true });
}
