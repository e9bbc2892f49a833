import type { Model, mongo } from "mongoose";

/**
 * Inserts one record this store built itself (a claim, a lookup, a queued delivery, a timer entry, a new
 * alert from a parsed webhook, a timeline event whose payload was already parsed) straight through the
 * driver: mongoose's hydration and validation of a document cost about half of an insert's CPU in this
 * process (measured), and every alert pays for several. Fields left undefined are left out, as `create`
 * leaves them. Throws the driver's error, a duplicate key included. Documents made from a person's input
 * keep `create` and its schema checks.
 *
 * A group commit per collection: a record that arrives while an insert into its collection is in flight
 * waits for it and then goes with every other record that arrived meanwhile, in one unordered `insertMany`.
 * Each caller still settles on its own record alone (a duplicate key fails that caller only: unordered
 * inserts store the rest and report each refusal by index), so claims stay exact; a record that finds its
 * collection idle is inserted at once. Under load this turns a stream of single inserts, each its own
 * round trip and SQLite transaction on FerretDB, into a few batched ones (`npm run bench -- --ops`).
 */
export function insertRecord<T>(model: Model<T>, record: Record<string, unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    const collection = model.collection;
    let queue = waiting.get(collection);
    if (!queue) {
      queue = [];
      waiting.set(collection, queue);
    }
    queue.push({ record, resolve, reject });
    if (!writing.has(collection)) void drain(collection);
  });
}

interface Waiter {
  record: Record<string, unknown>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** The most records one batched insert carries; the rest go in the next. */
const MAX_BATCH = 500;

const waiting = new Map<mongo.Collection, Waiter[]>();
const writing = new Set<mongo.Collection>();

async function drain(collection: mongo.Collection): Promise<void> {
  writing.add(collection);
  try {
    for (let batch = take(collection); batch.length > 0; batch = take(collection)) {
      await insertBatch(collection, batch);
    }
  } finally {
    writing.delete(collection);
  }
}

function take(collection: mongo.Collection): Waiter[] {
  const queue = waiting.get(collection) ?? [];
  const batch = queue.splice(0, MAX_BATCH);
  if (queue.length === 0) waiting.delete(collection);
  return batch;
}

async function insertBatch(collection: mongo.Collection, batch: Waiter[]): Promise<void> {
  const [only] = batch;
  if (batch.length === 1 && only) {
    await collection
      .insertOne(only.record, { ignoreUndefined: true })
      .then(() => only.resolve(), only.reject);
    return;
  }
  try {
    await collection.insertMany(
      batch.map((waiter) => waiter.record),
      { ordered: false, ignoreUndefined: true },
    );
    for (const waiter of batch) waiter.resolve();
  } catch (error) {
    const refused = refusalsByIndex(error);
    for (const [index, waiter] of batch.entries()) {
      if (!refused) waiter.reject(error);
      else {
        const own = refused.get(index);
        if (own) waiter.reject(own);
        else waiter.resolve();
      }
    }
  }
}

/**
 * The records an unordered insert refused, by index, each as an error of its own with the server's code
 * (11000 for a duplicate key); undefined when the insert failed as a whole (then nothing is known stored).
 */
function refusalsByIndex(error: unknown): Map<number, Error> | undefined {
  const writeErrors = (error as { writeErrors?: unknown } | null)?.writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  if (list.length === 0) return undefined;
  const refused = new Map<number, Error>();
  for (const entry of list as { index: number; code?: number; errmsg?: string }[]) {
    refused.set(
      entry.index,
      Object.assign(new Error(entry.errmsg ?? "insert refused"), { code: entry.code }),
    );
  }
  return refused;
}
