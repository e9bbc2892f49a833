import { type AlertSummary, type AlertTally, summarizeAlerts, sumTallies } from "./alert-tally.ts";
import { type Role, SEVERITIES, type Severity, type Status } from "./incident.ts";
import type { PostmortemsDue } from "./postmortem.ts";
import type { SeverityPolicyTable } from "./severity.ts";
import { type CountedName, topNames } from "./top-names.ts";

/**
 * The reports' figures, from roll-ups (docs/database.md, "Report roll-ups"), never from history: what an
 * incident looked like at its latest event, the alerts' counters by hour, and the open incidents of the
 * live set. Pure maths; the views decide how it reads.
 */

export const REPORT_KINDS = ["daily", "weekly", "monthly"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** An incident as the roll-ups keep it: enough for counts, MTTA, MTTR, breaches and a link. */
export interface IncidentSnapshot {
  id: string;
  number: number;
  title: string;
  severity: Severity;
  services: string[];
  declaredAt: Date;
  acknowledgedAt?: Date;
  resolvedAt?: Date;
  channelId?: string;
}

/** An open incident of the live set, as the report lists it. */
export interface OpenIncident {
  id: string;
  number: number;
  title: string;
  severity: Severity;
  status: Status;
  declaredAt: Date;
  roles: Partial<Record<Role, string>>;
  channelId?: string;
  nextUpdateDueAt?: Date;
}

/** [from, to). */
export interface Window {
  from: Date;
  to: Date;
}

export type SeverityCounts = Record<Severity, number>;

/** A mean time over a window against the window before it. */
export interface Trend {
  currentMs?: number;
  previousMs?: number;
  /** Rounded to a whole percent; absent when either side has nothing to compare. */
  changePercent?: number;
}

export interface Breach {
  incident: IncidentSnapshot;
  /** Declared → acknowledged (or resolved, or now while neither happened). */
  responseMs: number;
  targetMs: number;
}

export interface OpenLine {
  incident: OpenIncident;
  ageMs: number;
  /** Its status update is overdue (the severity's cadence has passed since the last one). */
  stale: boolean;
  /** Since the last status update (the next one's due time less the cadence); absent with no cadence. */
  sinceUpdateMs?: number;
}

export interface SloLine {
  severity: Severity;
  total: number;
  withinTarget: number;
  /** Whole percent; absent with no incidents. */
  percent?: number;
}

/** Who is on call at one level of the escalation policy: people by id, or a schedule nobody holds. */
export interface OnCallLevel {
  level: number;
  entries: ({ kind: "user"; userId: string; schedule?: string } | { kind: "usergroup"; groupId: string })[];
  /** Schedules of this level nobody is on call for (or that do not exist). */
  uncovered: string[];
}

export interface Report {
  kind: ReportKind;
  period: Window;
  /** The scheduled time, when the report goes out later than that (the bot was down). */
  lateFor?: Date;
  /** Nothing happened: no incident declared, resolved or open, and no alert. */
  quiet: boolean;
  declared: { bySeverity: SeverityCounts; incidents: IncidentSnapshot[] };
  resolved: { bySeverity: SeverityCounts; incidents: IncidentSnapshot[] };
  open: { total: number; stale: number; lines: OpenLine[] };
  mtta: { period?: number; trailing: Trend };
  mttr: { period?: number; trailing: Trend };
  /** How long the trailing window is (7 days for the daily report, the period itself otherwise). */
  trailingDays: number;
  breaches: Breach[];
  alerts: AlertSummary;
  /** Weekly and monthly: incidents declared in the period against the period before. */
  declaredTrend?: { current: number; previous: number; changePercent?: number };
  topServices: CountedName[];
  slo: SloLine[];
  onCall: OnCallLevel[];
  /** Daily: postmortems due or overdue and follow-ups overdue (src/domain/postmortem.ts). */
  postmortems?: PostmortemsDue;
  /** The channel holding every incident's announcement, where a list too long to show links out to. */
  incidentsChannel?: string;
}

const DAY_MS = 86_400_000;

export const inWindow = (at: Date | undefined, window: Window): at is Date =>
  at !== undefined && at >= window.from && at < window.to;

export function meanMs(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Mean declared → acknowledged over the incidents acknowledged in the window. */
export function meanTimeToAcknowledge(incidents: readonly IncidentSnapshot[], window: Window) {
  return meanMs(
    incidents
      .filter((i) => inWindow(i.acknowledgedAt, window))
      .map((i) => (i.acknowledgedAt as Date).getTime() - i.declaredAt.getTime()),
  );
}

/** Mean declared → resolved over the incidents resolved in the window. */
export function meanTimeToResolve(incidents: readonly IncidentSnapshot[], window: Window) {
  return meanMs(
    incidents
      .filter((i) => inWindow(i.resolvedAt, window))
      .map((i) => (i.resolvedAt as Date).getTime() - i.declaredAt.getTime()),
  );
}

/** (current − previous) / previous, in whole percent. */
export function changePercent(current: number | undefined, previous: number | undefined) {
  if (current === undefined || previous === undefined || previous === 0) return undefined;
  return Math.round(((current - previous) / previous) * 100);
}

function trend(current: number | undefined, previous: number | undefined): Trend {
  const change = changePercent(current, previous);
  return {
    ...(current !== undefined && { currentMs: current }),
    ...(previous !== undefined && { previousMs: previous }),
    ...(change !== undefined && { changePercent: change }),
  };
}

export function countBySeverity(incidents: readonly { severity: Severity }[]): SeverityCounts {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;
  for (const incident of incidents) counts[incident.severity] += 1;
  return counts;
}

const bySeverityThenTime = (
  a: { severity: Severity; declaredAt: Date },
  b: { severity: Severity; declaredAt: Date },
) =>
  SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
  a.declaredAt.getTime() - b.declaredAt.getTime();

/**
 * Incidents declared in the window whose response (acknowledgement, else resolution, else still none at
 * `now`) took longer than their severity's response time.
 */
export function responseBreaches(
  incidents: readonly IncidentSnapshot[],
  window: Window,
  policies: SeverityPolicyTable,
  now: Date,
): Breach[] {
  return incidents
    .filter((i) => inWindow(i.declaredAt, window))
    .map((incident) => {
      const answeredAt = incident.acknowledgedAt ?? incident.resolvedAt ?? now;
      return {
        incident,
        responseMs: answeredAt.getTime() - incident.declaredAt.getTime(),
        targetMs: policies[incident.severity].responseMinutes * 60_000,
      };
    })
    .filter((b) => b.responseMs > b.targetMs)
    .sort((a, b) => bySeverityThenTime(a.incident, b.incident));
}

/** Share of the incidents declared in the window that were acknowledged within their response time. */
export function sloCompliance(
  incidents: readonly IncidentSnapshot[],
  window: Window,
  policies: SeverityPolicyTable,
  now: Date,
): SloLine[] {
  const declared = incidents.filter((i) => inWindow(i.declaredAt, window));
  const breached = new Set(responseBreaches(declared, window, policies, now).map((b) => b.incident.id));
  return SEVERITIES.map((severity) => {
    const ofSeverity = declared.filter((i) => i.severity === severity);
    const withinTarget = ofSeverity.filter((i) => !breached.has(i.id)).length;
    return {
      severity,
      total: ofSeverity.length,
      withinTarget,
      ...(ofSeverity.length > 0 && { percent: Math.round((withinTarget / ofSeverity.length) * 100) }),
    };
  });
}

/** Open incidents, stale ones first, then by severity and age. */
export function openLines(
  open: readonly OpenIncident[],
  now: Date,
  policies: SeverityPolicyTable,
): OpenLine[] {
  return open
    .map((incident) => {
      const cadence = policies[incident.severity].updateCadenceMinutes;
      const lastUpdate =
        incident.nextUpdateDueAt && cadence !== null
          ? Math.max(incident.declaredAt.getTime(), incident.nextUpdateDueAt.getTime() - cadence * 60_000)
          : undefined;
      return {
        incident,
        ageMs: now.getTime() - incident.declaredAt.getTime(),
        stale: incident.nextUpdateDueAt !== undefined && incident.nextUpdateDueAt <= now,
        ...(lastUpdate !== undefined && { sinceUpdateMs: Math.max(0, now.getTime() - lastUpdate) }),
      };
    })
    .sort((a, b) => Number(b.stale) - Number(a.stale) || bySeverityThenTime(a.incident, b.incident));
}

/** The period a report covers, ending at `end` (its scheduled time): 24 hours, 7 days, or 30 days. */
export function reportPeriod(kind: ReportKind, end: Date): Window {
  const days = kind === "daily" ? 1 : kind === "weekly" ? 7 : 30;
  return { from: new Date(end.getTime() - days * DAY_MS), to: end };
}

/** How far back a report reads roll-ups: its period and the period before it (the trailing weeks, daily). */
export function reportReach(kind: ReportKind, end: Date): Window {
  const days = kind === "daily" ? 14 : kind === "weekly" ? 14 : 60;
  return { from: new Date(end.getTime() - days * DAY_MS), to: end };
}

export interface ReportInput {
  kind: ReportKind;
  /** The end of the period: the scheduled time, or now for a report on request. */
  end: Date;
  now: Date;
  lateFor?: Date;
  /** The latest snapshot of each incident with an event in `reportReach` (one per incident). */
  incidents: readonly IncidentSnapshot[];
  /** Alert counters of the period's hours. */
  alerts: readonly AlertTally[];
  /** The open incidents to list (the live set's stale ones first), and how many there are in all. */
  open: { total: number; stale: number; incidents: readonly OpenIncident[] };
  onCall: OnCallLevel[];
  policies: SeverityPolicyTable;
}

/** Every figure of a report, from the roll-ups of its reach. */
export function buildReport(input: ReportInput): Report {
  const { kind, end, now, incidents, policies } = input;
  const period = reportPeriod(kind, end);
  const trailingDays = kind === "daily" ? 7 : kind === "weekly" ? 7 : 30;
  const trailing = { from: new Date(end.getTime() - trailingDays * DAY_MS), to: end };
  const previous = { from: new Date(trailing.from.getTime() - trailingDays * DAY_MS), to: trailing.from };
  const declared = incidents.filter((i) => inWindow(i.declaredAt, period)).sort(bySeverityThenTime);
  const resolved = incidents.filter((i) => inWindow(i.resolvedAt, period)).sort(bySeverityThenTime);
  const lines = openLines(input.open.incidents, now, policies);
  const alerts = summarizeAlerts(sumTallies(input.alerts));
  const services: Record<string, number> = {};
  for (const incident of declared)
    for (const service of incident.services) services[service] = (services[service] ?? 0) + 1;
  const previousDeclared = incidents.filter((i) => inWindow(i.declaredAt, previous)).length;
  const mttaPeriod = meanTimeToAcknowledge(incidents, period);
  const mttrPeriod = meanTimeToResolve(incidents, period);
  return {
    kind,
    period,
    ...(input.lateFor && { lateFor: input.lateFor }),
    quiet: declared.length === 0 && resolved.length === 0 && input.open.total === 0 && alerts.received === 0,
    declared: { bySeverity: countBySeverity(declared), incidents: declared },
    resolved: { bySeverity: countBySeverity(resolved), incidents: resolved },
    open: { total: input.open.total, stale: input.open.stale, lines },
    mtta: {
      ...(mttaPeriod !== undefined && { period: mttaPeriod }),
      trailing: trend(meanTimeToAcknowledge(incidents, trailing), meanTimeToAcknowledge(incidents, previous)),
    },
    mttr: {
      ...(mttrPeriod !== undefined && { period: mttrPeriod }),
      trailing: trend(meanTimeToResolve(incidents, trailing), meanTimeToResolve(incidents, previous)),
    },
    trailingDays,
    breaches: responseBreaches(incidents, period, policies, now),
    alerts,
    ...(kind !== "daily" && {
      declaredTrend: {
        current: declared.length,
        previous: previousDeclared,
        ...(changePercent(declared.length, previousDeclared) !== undefined && {
          changePercent: changePercent(declared.length, previousDeclared),
        }),
      },
    }),
    topServices: kind === "daily" ? [] : topNames(services),
    slo: kind === "daily" ? [] : sloCompliance(incidents, period, policies, now),
    onCall: input.onCall,
  };
}
