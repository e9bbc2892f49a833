/**
 * Writes to one document, one at a time within this process. FerretDB v1 applies an update as a read and a
 * whole-document write, so two concurrent updates of one document lose one's fields (docs/database.md,
 * note 2). One process owns an embedded database, so queueing its writes per document is enough there; on
 * MongoDB the writes are atomic operators ($set of the changed fields, $inc, $push), safe across processes.
 */
const tails = new Map<string, Promise<void>>();

/** Runs `work` after every earlier call with the same key has settled (FIFO), and returns its result. */
export function serialised<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const result = previous.then(work);
  const tail = result.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return result;
}
