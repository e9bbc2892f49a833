import type { Logger } from "../logger.ts";
import { newReference } from "../reference.ts";
import type { EmbeddedDb } from "./embedded-db.ts";
import type { SupervisionEvent } from "./supervised-process.ts";

/** The embedded database's deaths and restarts as log lines, each with a reference an operator can quote. */
export function logEmbeddedDbEvents(logger: Logger): (event: SupervisionEvent) => void {
  const log = logger.child({ component: "embedded-database" });
  return (event) => {
    const ref = newReference();
    if (event.kind === "exited")
      log.error(
        { ref, code: event.code, signal: event.signal, restartInMs: event.restartInMs },
        "the embedded database stopped unexpectedly; restarting it (webhooks answer 503 meanwhile)",
      );
    else if (event.kind === "restart-failed")
      log.error(
        { ref, err: event.error, restartInMs: event.restartInMs },
        "the embedded database could not be restarted; trying again",
      );
    else log.warn({ ref, pid: event.pid, downForMs: event.downForMs }, "the embedded database is back");
  };
}

/** Raised instead of waiting on a database known to be down, so a webhook answers 503 at once. */
export class DatabaseDownError extends Error {
  constructor() {
    super("the embedded database is restarting");
  }
}

/** Fails fast while an embedded database this process owns is down; otherwise runs `work`. */
export function whileDatabaseUp<T>(embedded: EmbeddedDb | undefined, work: () => Promise<T>): Promise<T> {
  return embedded && !embedded.isUp() ? Promise.reject(new DatabaseDownError()) : work();
}
