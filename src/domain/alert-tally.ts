import { type CountedName, topNames } from "./top-names.ts";

/**
 * The alerts' figures of a report: counters kept per hour in the roll-ups (src/store/report-rollups.ts),
 * summed over the report's hours and summarised.
 */

/** Alerts counted in one hour (or summed over many). Sources and services by name. */
export interface AlertTally {
  received: number;
  acknowledged: number;
  /** Sum of first firing → acknowledgement over the acknowledged ones, for their mean. */
  acknowledgeMs: number;
  /** Escalated past the first level. */
  escalated: number;
  /** Resolved by their source (a `resolved` notification) rather than by a person. */
  autoResolved: number;
  sources: Record<string, number>;
  services: Record<string, number>;
}

export interface AlertSummary extends Omit<AlertTally, "sources" | "services" | "acknowledgeMs"> {
  meanAcknowledgeMs?: number;
  topSources: CountedName[];
  topServices: CountedName[];
}

export const emptyTally = (): AlertTally => ({
  received: 0,
  acknowledged: 0,
  acknowledgeMs: 0,
  escalated: 0,
  autoResolved: 0,
  sources: {},
  services: {},
});

export function sumTallies(tallies: readonly AlertTally[]): AlertTally {
  const total = emptyTally();
  for (const t of tallies) {
    total.received += t.received;
    total.acknowledged += t.acknowledged;
    total.acknowledgeMs += t.acknowledgeMs;
    total.escalated += t.escalated;
    total.autoResolved += t.autoResolved;
    for (const [name, n] of Object.entries(t.sources)) total.sources[name] = (total.sources[name] ?? 0) + n;
    for (const [name, n] of Object.entries(t.services))
      total.services[name] = (total.services[name] ?? 0) + n;
  }
  return total;
}

export function summarizeAlerts(tally: AlertTally): AlertSummary {
  const { sources, services, acknowledgeMs, ...counts } = tally;
  return {
    ...counts,
    ...(tally.acknowledged > 0 && { meanAcknowledgeMs: acknowledgeMs / tally.acknowledged }),
    topSources: topNames(sources),
    topServices: topNames(services),
  };
}
