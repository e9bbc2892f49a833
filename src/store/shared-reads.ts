/**
 * Reads of one document by `_id` asked for in the same turn of the event loop go to the database once (a
 * DataLoader-style batch of one key). A burst about one thing (a channel full of people clicking
 * Acknowledge on one alert, `/incident status` typed by many in one incident's channel) resumes its
 * handlers together once their acks are sent, and each used to send the same read: its round trip, its
 * driver and BSON work on the event loop, and the database's own work on the same cores.
 *
 * The read is sent after the turn, so after every caller asked for it: each caller sees every write that
 * completed before it asked, exactly as a read of its own would. A read already sent is never joined.
 * Each caller gets its own copy of the document, so none sees another's changes to it.
 */

type Waiter = { resolve: (value: unknown) => void; reject: (error: unknown) => void };

/** Per collection (its model: one per connection), the reads asked for in this turn, by `_id`. */
const asked = new Map<object, Map<string, Waiter[]>>();

/** `read()` (a lean find by `id` in `collection`), shared with the same read asked for in this turn. */
export function sharedRead<T>(collection: object, id: string, read: () => PromiseLike<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let byId = asked.get(collection);
    if (!byId) {
      byId = new Map();
      asked.set(collection, byId);
    }
    const waiters = byId.get(id);
    const waiter = { resolve: resolve as (value: unknown) => void, reject };
    if (waiters) {
      waiters.push(waiter);
      return;
    }
    const batch = [waiter];
    byId.set(id, batch);
    // At the end of this turn of the event loop: the handlers resumed in it (together once a burst's acks
    // are sent, or by their timers) have all asked by then.
    setImmediate(async () => {
      byId.delete(id);
      if (byId.size === 0 && asked.get(collection) === byId) asked.delete(collection);
      try {
        const doc = await read();
        batch.forEach((w, i) => {
          w.resolve(i === 0 ? doc : copyDocument(doc));
        });
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    });
  });
}

/** A deep copy of a lean document's plain objects, arrays and dates; other values (ObjectIds) are shared. */
function copyDocument<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyDocument) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) copy[key] = copyDocument(field);
    return copy as T;
  }
  return value;
}
