import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The correlation id of the work in progress: a Slack request, a webhook call, a due job's run. Every log
 * line written while it runs carries it (`correlationId`, added by the logger), however deep the code that
 * logs, so one id finds every line of one request. It is a reference (src/reference.ts), so the id shown
 * to a person with a failure can be this one.
 */
const current = new AsyncLocalStorage<string>();

/** Runs `work` (and everything it starts) under the correlation id `id`. */
export function withCorrelation<T>(id: string, work: () => T): T {
  return current.run(id, work);
}

/** The correlation id of the work in progress, if any. */
export function correlationId(): string | undefined {
  return current.getStore();
}
