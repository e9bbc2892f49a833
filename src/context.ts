import type { Config } from "./config.ts";
import type { Clock } from "./domain/clock.ts";
import type { Incident } from "./domain/incident.ts";
import type { SeverityPolicy } from "./domain/severity.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";
import type { Notifier } from "./notifier.ts";
import type { RunbookLibrary } from "./runbooks/library.ts";
import type { Store } from "./store/store.ts";

/** Finds who is on call now in an on-call schedule by name (none: undefined), so escalation can page it. */
export type OnCallLookup = (scheduleName: string, at: Date) => Promise<string | undefined>;

/** What every use case, job and listener may use: the app's parts, the chat platform only as a notifier. */
export interface AppContext {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
  notifier: Notifier;
  onCall: OnCallLookup;
  /** The runbooks loaded at start-up, whose checklists matching incidents get. */
  runbooks: RunbookLibrary;
  /** What is counted and timed for `GET /metrics` (the port; src/prometheus/ implements it). */
  metrics: Metrics;
}

export function policyOf(
  ctx: Pick<AppContext, "config">,
  incident: Pick<Incident, "severity">,
): SeverityPolicy {
  return ctx.config.incidents.severityPolicy[incident.severity];
}
