/**
 * A group commit: items bound for one target (a collection) that arrive while a write to it is in flight
 * wait for it, then go together in the next write, as do items added in the same turn of the event loop.
 * A lone item is written at once, so nothing waits on a timer; under load a stream of single writes, each its own round trip (and its own SQLite transaction on
 * FerretDB), becomes a few batched ones. Each caller settles on its own item's outcome.
 */
export class GroupCommit<Item> {
  private readonly waiting = new Map<object, Waiter<Item>[]>();
  private readonly writing = new Set<object>();

  /**
   * `send` writes a batch and returns, per item in order, the error that refused it (undefined: stored);
   * when it throws, the whole batch failed.
   */
  constructor(
    private readonly send: (target: object, items: Item[]) => Promise<(Error | undefined)[]>,
    private readonly maxBatch = 500,
  ) {}

  add(target: object, item: Item): Promise<void> {
    return new Promise((resolve, reject) => {
      let queue = this.waiting.get(target);
      if (!queue) {
        queue = [];
        this.waiting.set(target, queue);
      }
      queue.push({ item, resolve, reject });
      if (this.writing.has(target)) return;
      // Started after the current microtasks, so the items one caller adds together go in one write.
      this.writing.add(target);
      queueMicrotask(() => void this.drain(target));
    });
  }

  private async drain(target: object): Promise<void> {
    try {
      for (let batch = this.take(target); batch.length > 0; batch = this.take(target)) {
        try {
          const refused = await this.send(
            target,
            batch.map((waiter) => waiter.item),
          );
          for (const [index, waiter] of batch.entries()) {
            const error = refused[index];
            if (error) waiter.reject(error);
            else waiter.resolve();
          }
        } catch (error) {
          for (const waiter of batch) waiter.reject(error);
        }
      }
    } finally {
      this.writing.delete(target);
    }
  }

  private take(target: object): Waiter<Item>[] {
    const queue = this.waiting.get(target) ?? [];
    const batch = queue.splice(0, this.maxBatch);
    if (queue.length === 0) this.waiting.delete(target);
    return batch;
  }
}

interface Waiter<Item> {
  item: Item;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The items of an unordered bulk write the server refused, by index, each as an error of its own with the
 * server's code (11000 for a duplicate key). Throws `error` again when it is not such a partial refusal
 * (then nothing is known written).
 */
export function refusalsOf(error: unknown, count: number): (Error | undefined)[] {
  const writeErrors = (error as { writeErrors?: unknown } | null)?.writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  if (list.length === 0) throw error;
  const refused: (Error | undefined)[] = new Array(count).fill(undefined);
  for (const entry of list as { index: number; code?: number; errmsg?: string }[]) {
    refused[entry.index] = Object.assign(new Error(entry.errmsg ?? "write refused"), { code: entry.code });
  }
  return refused;
}
