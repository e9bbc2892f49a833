import { ALERT_SEVERITIES, type AlertSeverity } from "./alert.ts";

/**
 * Alert storms: past a few new alerts in a channel within a window, the rest fold into one summary message
 * (edited in place as more arrive) instead of flooding the channel and running into Slack's rate limits.
 * Each alert is still stored, deduplicated and escalated on its own; only its channel post folds.
 */

export interface StormPolicy {
  /** New-alert posts a channel gets as their own messages within the window; the rest fold. */
  threshold: number;
  windowMs: number;
  /** How many alerts the summary lists by name. */
  topK: number;
}

export const DEFAULT_STORM_POLICY: StormPolicy = { threshold: 5, windowMs: 60_000, topK: 5 };

/** A channel's storm so far, as the delivery job keeps it. */
export interface StormWindow {
  /** When the channel's recent posts that went out as their own messages were sent. */
  recentPosts: number[];
  /** When the last alert folded into the channel's summary; the storm lasts a window after it. */
  lastFoldedAt?: number;
}

/** Posts still inside the window, for the next StormWindow. */
export function postsWithin(recentPosts: readonly number[], now: number, policy: StormPolicy): number[] {
  return recentPosts.filter((at) => at > now - policy.windowMs);
}

/**
 * What to do with a channel's pending new-alert posts now: send the first as its own message while the
 * channel is under its threshold and not in a storm, else fold every pending one into the storm summary.
 * So the first `threshold` alerts of a window go out on their own, in order, and everything after folds
 * until the channel has been quiet for a window.
 */
export function stormStep(
  window: StormWindow,
  now: number,
  policy: StormPolicy = DEFAULT_STORM_POLICY,
): "single" | "fold" {
  const sentRecently = postsWithin(window.recentPosts, now, policy).length;
  return inStorm(window, now, policy) || sentRecently >= policy.threshold ? "fold" : "single";
}

/** Whether the channel's storm goes on: something folded less than a window ago. */
export function inStorm(
  window: StormWindow,
  now: number,
  policy: StormPolicy = DEFAULT_STORM_POLICY,
): boolean {
  return window.lastFoldedAt !== undefined && window.lastFoldedAt > now - policy.windowMs;
}

export interface StormAlert {
  id: string;
  title: string;
  severity: AlertSeverity;
  service: string;
  firedAt: Date;
}

/**
 * A storm summary as data; a Slack view renders it. It is also the storm's running state: folding more
 * alerts in needs only the summary and the new alerts (`foldIntoStorm`), and it stays the same size however
 * long the storm lasts, so a storm of n alerts costs O(n) reads, not one read of every folded alert per edit.
 */
export interface StormSummary {
  total: number;
  bySeverity: { severity: AlertSeverity; count: number }[];
  /** Most alerts first; an alert without a service counts under "". At most MAX_STORM_SERVICES. */
  byService: { service: string; count: number }[];
  /** Alerts of services past the first MAX_STORM_SERVICES the storm met. */
  otherServices: number;
  /** Most severe first, then most recent. */
  top: StormAlert[];
  firstAt: Date;
  lastAt: Date;
}

/** Services a summary counts by name: a storm over more services counts the rest together, so it stays small. */
export const MAX_STORM_SERVICES = 50;

const rank = (severity: AlertSeverity) => ALERT_SEVERITIES.indexOf(severity);

const bySeverityThenRecent = (a: StormAlert, b: StormAlert) =>
  rank(a.severity) - rank(b.severity) || b.firedAt.getTime() - a.firedAt.getTime();

/** Summarises the alerts folded into a storm; undefined when there are none. */
export function summarizeStorm(alerts: readonly StormAlert[], topK: number): StormSummary | undefined {
  return foldIntoStorm(undefined, alerts, topK);
}

/** The summary with `alerts` folded in (the same as summarising all of them at once); undefined while empty. */
export function foldIntoStorm(
  summary: StormSummary | undefined,
  alerts: readonly StormAlert[],
  topK: number,
): StormSummary | undefined {
  if (alerts.length === 0) return summary;
  const severities = new Map((summary?.bySeverity ?? []).map(({ severity, count }) => [severity, count]));
  const services = new Map((summary?.byService ?? []).map(({ service, count }) => [service, count]));
  let otherServices = summary?.otherServices ?? 0;
  // Loops rather than Math.min(...times): a batch may be larger than the spread argument limit.
  let firstAt = summary?.firstAt.getTime() ?? Number.POSITIVE_INFINITY;
  let lastAt = summary?.lastAt.getTime() ?? Number.NEGATIVE_INFINITY;
  for (const alert of alerts) {
    severities.set(alert.severity, (severities.get(alert.severity) ?? 0) + 1);
    const counted = services.get(alert.service);
    if (counted !== undefined || services.size < MAX_STORM_SERVICES)
      services.set(alert.service, (counted ?? 0) + 1);
    else otherServices++;
    firstAt = Math.min(firstAt, alert.firedAt.getTime());
    lastAt = Math.max(lastAt, alert.firedAt.getTime());
  }
  return {
    total: (summary?.total ?? 0) + alerts.length,
    bySeverity: ALERT_SEVERITIES.filter((s) => severities.has(s)).map((severity) => ({
      severity,
      count: severities.get(severity) ?? 0,
    })),
    byService: [...services]
      .map(([service, count]) => ({ service, count }))
      .sort((a, b) => b.count - a.count || a.service.localeCompare(b.service)),
    otherServices,
    top: [...(summary?.top ?? []), ...alerts].sort(bySeverityThenRecent).slice(0, topK),
    firstAt: new Date(firstAt),
    lastAt: new Date(lastAt),
  };
}
