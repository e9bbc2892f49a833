import { type Connection, type Model, Schema, type Types } from "mongoose";
import { isDuplicateKeyError } from "./errors.ts";
import { insertRecord } from "./insert-record.ts";
import { serialised } from "./serial.ts";

/**
 * Named sequences, such as a workspace's incident numbers (INC-1, INC-2, …).
 *
 * FerretDB v1 runs findAndModify and update as a read followed by a whole-document write, with nothing in
 * between to stop a concurrent writer, so `$inc` loses increments under concurrency (measured: 5 concurrent
 * increments returned 2,2,3,3,4). A unique index is the one guard both FerretDB and MongoDB enforce
 * atomically, so each number is claimed by inserting it, under the `_id` `<key>:<value>`; a duplicate key
 * means another caller won it. Where to start is read from a head document (`_id` `<key>#head`), a hint
 * written after each claim: it may lag behind under concurrency, which costs a failed insert, never a
 * duplicate number. No query but `_id` equality, so a claim costs the same at the 10,000th number as at
 * the first. Claims written before `_id`s were keyed have ObjectIds; their values still collide through
 * the unique index on `{ key, value }`, and openStore's backfill wrote their head.
 */
export interface SequenceClaim {
  _id: string | Types.ObjectId;
  key: string;
  value: number;
}

const sequenceClaimSchema = new Schema<SequenceClaim>(
  {
    _id: { type: Schema.Types.Mixed, required: true },
    key: { type: String, required: true },
    value: { type: Number, required: true },
  },
  { versionKey: false },
);
sequenceClaimSchema.index({ key: 1, value: -1 }, { unique: true });

export function sequenceClaimModel(connection: Connection): Model<SequenceClaim> {
  return connection.model<SequenceClaim>("SequenceClaim", sequenceClaimSchema, "sequence_claims");
}

export const sequenceHeadId = (key: string) => `${key}#head`;

/**
 * Returns the next value of a sequence (1 for a new one), unique across concurrent callers and processes.
 * `head` is where the sequence stood, read by the caller alongside its own earlier steps (readSequenceHead):
 * the claim then costs one insert on the caller's path. Stale (another claim came in between), it costs a
 * failed insert, never a duplicate. The head is written after the value is returned, still in this
 * process's queue for the sequence, so the next claim here starts from it.
 */
export function nextSequence(
  claims: Model<SequenceClaim>,
  key: string,
  head?: Promise<number | undefined>,
): Promise<number> {
  return new Promise((claimed, failed) => {
    // In this process one claim at a time per sequence, so concurrent declares do not fight over a number.
    void serialised(`sequence:${claims.db.name}:${key}`, async () => {
      let candidate: number;
      try {
        const from = (await head) ?? (await readHead(claims, key));
        candidate = await claimFrom(claims, key, from + 1);
      } catch (error) {
        failed(error);
        return;
      }
      claimed(candidate);
      // A hint only: when it fails, the next claim tries a taken value first.
      await writeHead(claims, key, candidate).catch(() => undefined);
    });
  });
}

/** Where a sequence stands (0 for a new one), for nextSequence's `head`; undefined when it could not be read. */
export function readSequenceHead(claims: Model<SequenceClaim>, key: string): Promise<number | undefined> {
  return readHead(claims, key).catch(() => undefined);
}

/** Inserts the claim of `candidate`, or of the first value after it no other caller has taken. */
async function claimFrom(claims: Model<SequenceClaim>, key: string, candidate: number): Promise<number> {
  for (;;) {
    try {
      await insertRecord(claims, { _id: `${key}:${candidate}`, key, value: candidate });
      return candidate;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      candidate = Math.max(candidate, await readHead(claims, key)) + 1;
    }
  }
}

async function readHead(claims: Model<SequenceClaim>, key: string): Promise<number> {
  const head = await claims.findById(sequenceHeadId(key), { value: 1 }).lean().exec();
  return head?.value ?? 0;
}

/** A hint only: a lost or late write just makes the next claim try a taken value first. */
export async function writeHead(claims: Model<SequenceClaim>, key: string, value: number): Promise<void> {
  const _id = sequenceHeadId(key);
  try {
    await claims.updateOne({ _id }, { $set: { key: _id, value } }, { upsert: true });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}
