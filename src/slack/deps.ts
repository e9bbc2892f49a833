import type { Config } from "../config.ts";
import type { Clock } from "../domain/clock.ts";
import type { Logger } from "../logger.ts";
import type { Store } from "../store/store.ts";

/** Finds who is on call now for a schedule by name (none: undefined), so escalation can page a rotation. */
export type OnCallLookup = (scheduleName: string, at: Date) => Promise<string | undefined>;

/** What every Slack surface's `register(app, deps)` may use. */
export interface SlackDeps {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
  onCall: OnCallLookup;
}
