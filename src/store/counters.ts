import { type Connection, type Model, Schema } from "mongoose";
import { isDuplicateKeyError } from "./errors.ts";

/**
 * Named sequences, such as a workspace's incident numbers (INC-1, INC-2, …).
 *
 * FerretDB v1 runs findAndModify and update as a read followed by a whole-document write, with nothing in
 * between to stop a concurrent writer, so `$inc` loses increments under concurrency (measured: 5 concurrent
 * increments returned 2,2,3,3,4). A unique index is the one guard both FerretDB and MongoDB enforce
 * atomically, so each number is claimed by inserting it; a duplicate key means another caller won it.
 */
export interface SequenceClaim {
  key: string;
  value: number;
}

const sequenceClaimSchema = new Schema<SequenceClaim>(
  { key: { type: String, required: true }, value: { type: Number, required: true } },
  { versionKey: false },
);
sequenceClaimSchema.index({ key: 1, value: -1 }, { unique: true });

export function sequenceClaimModel(connection: Connection): Model<SequenceClaim> {
  return connection.model<SequenceClaim>("SequenceClaim", sequenceClaimSchema, "sequence_claims");
}

/** Returns the next value of a sequence (1 for a new one), unique across concurrent callers and processes. */
export async function nextSequence(claims: Model<SequenceClaim>, key: string): Promise<number> {
  for (;;) {
    const last = await claims.findOne({ key }, { value: 1 }).sort({ value: -1 }).lean().exec();
    const candidate = (last?.value ?? 0) + 1;
    try {
      await claims.create({ key, value: candidate });
      return candidate;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
}
