import { type Connection, type Model, Schema } from "mongoose";
import { isDuplicateKeyError } from "./errors.ts";
import { insertRecord } from "./insert-record.ts";
import type { Models } from "./store.ts";

/**
 * Once-only claims: Firebreak's idempotency primitive for Slack's retries, double clicks and timer steps.
 * A claim is an insert under the natural unique `_id`, the one guard both FerretDB v1 and MongoDB enforce
 * atomically (see docs/database.md), so exactly one caller across all processes wins a key.
 */
export interface Claim {
  _id: string;
  at: Date;
  /** Free-form context for whoever inspects the collection (plain keys: no `.` and no leading `$`). */
  meta?: Record<string, unknown>;
}

const claimSchema = new Schema<Claim>(
  { _id: { type: String, required: true }, at: { type: Date, required: true }, meta: Schema.Types.Mixed },
  { versionKey: false },
);

export function claimModel(connection: Connection): Model<Claim> {
  return connection.model<Claim>("Claim", claimSchema, "claims");
}

/** True for exactly one caller of a key, across concurrent callers and processes; false for all others. */
export async function claimOnce(
  models: Models,
  key: string,
  meta?: Record<string, unknown>,
): Promise<boolean> {
  try {
    await insertRecord(models.claims, { _id: key, at: new Date(), ...(meta && { meta }) });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/**
 * Gives a key back so a claimed step that failed can be tried again. Returns true for the one caller whose
 * delete removed the claim (deleteOne's count is exact on both servers, even concurrently).
 */
export async function releaseClaim(models: Models, key: string): Promise<boolean> {
  const { deletedCount } = await models.claims.deleteOne({ _id: key });
  return deletedCount === 1;
}

/** A claim as stored, if taken: lets a process take over a step whose owner died mid-way (see its meta). */
export async function getClaim(models: Models, key: string): Promise<Claim | undefined> {
  const claim = await models.claims.findById(key).lean();
  return claim ?? undefined;
}
