import { humanDuration } from "./duration.ts";
import type { Severity, Status } from "./incident.ts";
import type { SeverityPolicy } from "./severity.ts";
import { statusLabel } from "./status.ts";
import { formatPlainTime } from "./templates.ts";

/**
 * The public status page's rules: what is public, the state each service is in (Statuspage's vocabulary,
 * so tools that read Atlassian Statuspage read ours), the 90-day history bars, and the public texts.
 */

export const COMPONENT_STATES = [
  "operational",
  "under_maintenance",
  "degraded_performance",
  "partial_outage",
  "major_outage",
] as const;
/** Ordered from best to worst: the worst of several is the one latest in this list. */
export type ComponentState = (typeof COMPONENT_STATES)[number];

export const COMPONENT_STATE_LABELS: Readonly<Record<ComponentState, string>> = {
  operational: "Operational",
  under_maintenance: "Under maintenance",
  degraded_performance: "Degraded performance",
  partial_outage: "Partial outage",
  major_outage: "Major outage",
};

/** What an open public incident does to the services it affects: SEV1 is everything down, SEV2 a major part. */
export function stateForSeverity(severity: Severity): ComponentState {
  if (severity === "sev1") return "major_outage";
  if (severity === "sev2") return "partial_outage";
  return "degraded_performance";
}

export function worstState(states: Iterable<ComponentState>): ComponentState {
  let worst: ComponentState = "operational";
  for (const state of states)
    if (COMPONENT_STATES.indexOf(state) > COMPONENT_STATES.indexOf(worst)) worst = state;
  return worst;
}

/** Statuspage's page indicator and incident impact for a state. */
export function indicatorOf(state: ComponentState): "none" | "minor" | "major" | "critical" | "maintenance" {
  switch (state) {
    case "operational":
      return "none";
    case "under_maintenance":
      return "maintenance";
    case "degraded_performance":
      return "minor";
    case "partial_outage":
      return "major";
    case "major_outage":
      return "critical";
  }
}

/** The overall line at the top of the page. */
export function overallDescription(state: ComponentState): string {
  switch (state) {
    case "operational":
      return "All Systems Operational";
    case "under_maintenance":
      return "Service Under Maintenance";
    case "degraded_performance":
      return "Minor Service Disruption";
    case "partial_outage":
      return "Partial System Outage";
    case "major_outage":
      return "Major System Outage";
  }
}

/** The severity policy says so when its communication includes the status page (SEV1 and SEV2 by default). */
export function publicByPolicy(policy: Pick<SeverityPolicy, "communication">): boolean {
  return policy.communication.includes("status-page");
}

/**
 * The name the public sees: made from the affected services and the state, never from the internal title
 * (which often names hosts, customers or causes).
 */
export function publicIncidentName(services: readonly string[], severity: Severity): string {
  const what = COMPONENT_STATE_LABELS[stateForSeverity(severity)];
  return services.length === 0 ? `${what}` : `${what}: ${services.join(", ")}`;
}

// --- Public texts: the seed manual's status-page templates (seed 001, lines 819–866) -------------------------

/** The sentence a public update starts from, by the status it reports (the modal pre-fills it). */
export const DEFAULT_PUBLIC_UPDATE: Readonly<Record<Exclude<Status, "resolved">, string>> = {
  investigating: "We are continuing to investigate this issue.",
  identified: "The cause has been identified and a fix is being worked on.",
  monitoring: "A fix has been put in place and we are monitoring the results.",
};

/** Seed 001's `initial.statusPage`: the issue is described by the services affected, not the internal title. */
export function initialPublicText(services: readonly string[], startedAt: Date): string {
  const what = services.length === 0 ? "a service disruption" : `problems with ${services.join(", ")}`;
  return [
    `We are currently investigating reports of ${what}. We will provide updates as more information becomes available.`,
    "",
    "Status: Investigating",
    `Started: ${formatPlainTime(startedAt)}`,
  ].join("\n");
}

/** Seed 001's `update.statusPage`; no next update when the severity has no cadence. */
export function updatePublicText(text: string, status: Status, nextUpdateAt: Date | undefined): string {
  return [
    `Update: ${text.trim()}`,
    "",
    `Status: ${statusLabel(status)}`,
    ...(nextUpdateAt ? [`Next update: ${formatPlainTime(nextUpdateAt)}`] : []),
  ].join("\n");
}

/**
 * Seed 001's `resolved.statusPage`, without its resolution line: the resolution and root cause are written
 * for responders and stay internal.
 */
export function resolvedPublicText(declaredAt: Date, resolvedAt: Date): string {
  return [
    "This incident has been resolved.",
    "",
    `Total duration: ${humanDuration(resolvedAt.getTime() - declaredAt.getTime())}`,
    `Resolved: ${formatPlainTime(resolvedAt)}`,
  ].join("\n");
}

// --- History ------------------------------------------------------------------------------------------------

/** A public incident as the history sees it: when it hurt which services, and how badly. */
export interface HistoryIncident {
  id: string;
  name: string;
  services: readonly string[];
  state: ComponentState;
  from: Date;
  /** Unset while open. */
  to?: Date | undefined;
}

export interface HistoryDay {
  /** "2026-11-29" (UTC). */
  date: string;
  state: ComponentState;
  incidents: { id: string; name: string; state: ComponentState }[];
}

export interface ServiceHistory {
  service: string;
  days: HistoryDay[];
  /** Share of the period up, in percent with two decimals (Statuspage's weighting, see `uptimePercent`). */
  uptime: number;
}

const DAY_MS = 86_400_000;

/** "2026-11-29" for the UTC day `at` falls in. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The UTC days from the one `from` falls in to the one `to` falls in, at most `max` (the latest ones). */
export function daysBetween(from: Date, to: Date, max = 90): string[] {
  const first = Date.parse(utcDay(from));
  const last = Date.parse(utcDay(to));
  const days: string[] = [];
  for (let day = Math.max(first, last - (max - 1) * DAY_MS); day <= last; day += DAY_MS)
    days.push(utcDay(new Date(day)));
  return days;
}

const affects = (incident: HistoryIncident, service: string) =>
  incident.services.some((name) => name.toLowerCase() === service.toLowerCase());

/**
 * Statuspage's uptime: a minute of major outage counts as down, a minute of partial outage as 30 % down,
 * degraded performance and maintenance as up. Overlapping incidents count their worst state, once.
 */
export function uptimePercent(incidents: readonly HistoryIncident[], start: Date, end: Date): number {
  const total = end.getTime() - start.getTime();
  if (total <= 0) return 100;
  const weight = (state: ComponentState) =>
    state === "major_outage" ? 1 : state === "partial_outage" ? 0.3 : 0;
  const edges = new Set<number>([start.getTime(), end.getTime()]);
  const clipped = incidents
    .map((i) => ({
      from: Math.max(i.from.getTime(), start.getTime()),
      to: Math.min((i.to ?? end).getTime(), end.getTime()),
      weight: weight(i.state),
    }))
    .filter((i) => i.to > i.from && i.weight > 0);
  for (const i of clipped) edges.add(i.from).add(i.to);
  const sorted = [...edges].sort((a, b) => a - b);
  let down = 0;
  for (let k = 0; k + 1 < sorted.length; k++) {
    const a = sorted[k] as number;
    const b = sorted[k + 1] as number;
    const w = Math.max(0, ...clipped.filter((i) => i.from <= a && i.to >= b).map((i) => i.weight));
    down += w * (b - a);
  }
  return Math.round((1 - down / total) * 10_000) / 100;
}

/**
 * Each service's last `days` UTC days up to `now`: the worst state of each day and the incidents in it
 * (one incident counts on every day it was open), and the uptime over the whole period.
 */
export function serviceHistory(
  services: readonly string[],
  incidents: readonly HistoryIncident[],
  now: Date,
  days = 90,
): ServiceHistory[] {
  const dates = daysBetween(new Date(now.getTime() - (days - 1) * DAY_MS), now, days);
  const start = new Date(Date.parse(dates[0] ?? utcDay(now)));
  return services.map((service) => {
    const mine = incidents.filter((incident) => affects(incident, service));
    const history = dates.map((date): HistoryDay => {
      const dayStart = Date.parse(date);
      const dayEnd = dayStart + DAY_MS;
      const that = mine.filter(
        (i) =>
          i.from.getTime() < dayEnd &&
          (i.to ?? now).getTime() >= dayStart &&
          i.from.getTime() <= now.getTime(),
      );
      return {
        date,
        state: worstState(that.map((i) => i.state)),
        incidents: that.map(({ id, name, state }) => ({ id, name, state })),
      };
    });
    return { service, days: history, uptime: uptimePercent(mine, start, now) };
  });
}
