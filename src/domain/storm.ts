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

/** A storm summary as data; a Slack view renders it. */
export interface StormSummary {
  total: number;
  bySeverity: { severity: AlertSeverity; count: number }[];
  /** Most alerts first; an alert without a service counts under "". */
  byService: { service: string; count: number }[];
  /** Most severe first, then most recent. */
  top: StormAlert[];
  firstAt: Date;
  lastAt: Date;
}

function countBy<K extends string>(keys: readonly K[]): Map<K, number> {
  const counts = new Map<K, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

const rank = (severity: AlertSeverity) => ALERT_SEVERITIES.indexOf(severity);

/** Summarises the alerts folded into a storm; undefined when there are none. */
export function summarizeStorm(alerts: readonly StormAlert[], topK: number): StormSummary | undefined {
  if (alerts.length === 0) return undefined;
  const times = alerts.map((a) => a.firedAt.getTime());
  // A reduce rather than Math.min(...times): a storm may be larger than the spread argument limit.
  const firstAt = times.reduce((a, b) => Math.min(a, b));
  const lastAt = times.reduce((a, b) => Math.max(a, b));
  const severities = countBy(alerts.map((a) => a.severity));
  const services = countBy(alerts.map((a) => a.service));
  return {
    total: alerts.length,
    bySeverity: ALERT_SEVERITIES.filter((s) => severities.has(s)).map((severity) => ({
      severity,
      count: severities.get(severity) ?? 0,
    })),
    byService: [...services]
      .map(([service, count]) => ({ service, count }))
      .sort((a, b) => b.count - a.count || a.service.localeCompare(b.service)),
    top: [...alerts]
      .sort((a, b) => rank(a.severity) - rank(b.severity) || b.firedAt.getTime() - a.firedAt.getTime())
      .slice(0, topK),
    firstAt: new Date(firstAt),
    lastAt: new Date(lastAt),
  };
}
