/**
 * Counter increments to one document, merged while a write to it is in flight (a group commit). Each
 * caller's promise settles once a write that includes its increments has been applied (or failed), so
 * nothing is acknowledged before it is stored; a burst of concurrent counts costs a couple of writes
 * instead of one queued write each, which would otherwise cap every path that counts (alert intake) at
 * one write at a time.
 */
interface Batch {
  inc: Record<string, number>;
  waiters: { resolve: () => void; reject: (error: unknown) => void }[];
}

const waiting = new Map<string, Batch>();
const writing = new Set<string>();

/** Adds `inc` to what `key`'s next write applies; `write` applies one merged `$inc` to the document. */
export function addIncrements(
  key: string,
  inc: Readonly<Record<string, number>>,
  write: (inc: Record<string, number>) => Promise<void>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const batch = waiting.get(key) ?? { inc: {}, waiters: [] };
    for (const [field, n] of Object.entries(inc)) batch.inc[field] = (batch.inc[field] ?? 0) + n;
    batch.waiters.push({ resolve, reject });
    waiting.set(key, batch);
    if (writing.has(key)) return;
    // Started after the current microtasks, so the counts of alerts recorded side by side (a batch of
    // webhooks) go in one write, and their callers go on together to their next writes.
    writing.add(key);
    queueMicrotask(() => void drain(key, write));
  });
}

async function drain(key: string, write: (inc: Record<string, number>) => Promise<void>): Promise<void> {
  try {
    for (let batch = waiting.get(key); batch; batch = waiting.get(key)) {
      waiting.delete(key);
      try {
        await write(batch.inc);
        for (const waiter of batch.waiters) waiter.resolve();
      } catch (error) {
        for (const waiter of batch.waiters) waiter.reject(error);
      }
    }
  } finally {
    writing.delete(key);
  }
}
