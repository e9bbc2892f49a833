import type { Config } from "../config.ts";
import type { Clock } from "../domain/clock.ts";
import type { Logger } from "../logger.ts";
import type { Store } from "../store/store.ts";

/** What every Slack surface's `register(app, deps)` may use. */
export interface SlackDeps {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
}
