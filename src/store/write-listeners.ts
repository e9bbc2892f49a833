import type { Models } from "./store.ts";

/**
 * Listeners to one kind of write this process makes on a store (`Models`), told once the write is done:
 * a job that keeps part of a collection in memory between its scans hears this process's own changes at
 * once, and another process's at its next scan.
 */
export class WriteListeners<Event> {
  private readonly byStore = new WeakMap<Models, Set<(event: Event) => void>>();

  /** Returns the way to stop listening. */
  listen(models: Models, listener: (event: Event) => void): () => void {
    let listeners = this.byStore.get(models);
    if (!listeners) {
      listeners = new Set();
      this.byStore.set(models, listeners);
    }
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  tell(models: Models, event: Event): void {
    for (const listener of this.byStore.get(models) ?? []) listener(event);
  }
}
