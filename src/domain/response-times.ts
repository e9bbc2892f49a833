import { humanDuration } from "./duration.ts";
import { SEVERITIES } from "./incident.ts";
import { type IncidentSnapshot, meanTimeToAcknowledge, meanTimeToResolve, type Window } from "./report.ts";
import type { SeverityPolicyTable } from "./severity.ts";

/**
 * The report chart's figures: MTTA and MTTR for each of the last 30 days, and the words that carry the
 * same figures for people who cannot see the picture. Pure maths and plain text; the chart is drawn at
 * the edge (src/charts/).
 */

export const CHART_DAYS = 30;
const DAY_MS = 86_400_000;

/** One day of the chart: the 24 hours ending at `window.to`, like the daily report's own period. */
export interface DailyResponseTimes {
  window: Window;
  /** Mean declared → acknowledged over the incidents acknowledged that day; absent when none was. */
  mttaMs?: number;
  /** Mean declared → resolved over the incidents resolved that day; absent when none was. */
  mttrMs?: number;
}

/** The roll-up days the chart reads: the 30 days before `end`. */
export const chartReach = (end: Date, days = CHART_DAYS): Window => ({
  from: new Date(end.getTime() - days * DAY_MS),
  to: end,
});

/** MTTA and MTTR per 24 hours over the `days` before `end`, oldest first; the last is the daily report's day. */
export function dailyResponseTimes(
  incidents: readonly IncidentSnapshot[],
  end: Date,
  days = CHART_DAYS,
): DailyResponseTimes[] {
  return Array.from({ length: days }, (_, i) => {
    const to = new Date(end.getTime() - (days - 1 - i) * DAY_MS);
    const window = { from: new Date(to.getTime() - DAY_MS), to };
    const mttaMs = meanTimeToAcknowledge(incidents, window);
    const mttrMs = meanTimeToResolve(incidents, window);
    return {
      window,
      ...(mttaMs !== undefined && { mttaMs }),
      ...(mttrMs !== undefined && { mttrMs }),
    };
  });
}

/** Whether the chart has anything to show: an empty one is not posted. */
export const hasResponseTimes = (days: readonly DailyResponseTimes[]) =>
  days.some((d) => d.mttaMs !== undefined || d.mttrMs !== undefined);

/** "23 Nov": the day a 24-hour window ends on, in the report's time zone. */
export function dayLabel(day: DailyResponseTimes, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone }).format(day.window.to);
}

const rounded = (ms: number) => humanDuration(Math.round(ms / 1000) * 1000);

/** "SEV1 5 min · SEV2 15 min · SEV3 1 h · SEV4 4 h": the response targets the chart draws. */
export function targetsText(policies: SeverityPolicyTable): string {
  return SEVERITIES.map((s) => `${policies[s].label} ${rounded(policies[s].responseMinutes * 60_000)}`).join(
    " · ",
  );
}

function range(values: number[]): string {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? rounded(low) : `from ${rounded(low)} to ${rounded(high)}`;
}

/**
 * The chart's figures in words, plain text: `comment` lists every day with a figure (shown with the
 * picture), `altText` summarises it for a screen reader in a few hundred characters.
 */
export function describeResponseTimes(
  days: readonly DailyResponseTimes[],
  policies: SeverityPolicyTable,
  timeZone: string,
): { comment: string; altText: string } {
  const first = days[0];
  const last = days.at(-1);
  const span = first && last ? `${dayLabel(first, timeZone)} to ${dayLabel(last, timeZone)}` : "";
  const lines = days
    .filter((d) => d.mttaMs !== undefined || d.mttrMs !== undefined)
    .map(
      (d) =>
        `${dayLabel(d, timeZone)}: MTTA ${d.mttaMs === undefined ? "none" : rounded(d.mttaMs)}, MTTR ${d.mttrMs === undefined ? "none" : rounded(d.mttrMs)}`,
    );
  const mtta = days.flatMap((d) => (d.mttaMs === undefined ? [] : [d.mttaMs]));
  const mttr = days.flatMap((d) => (d.mttrMs === undefined ? [] : [d.mttrMs]));
  const comment = [
    `MTTA (declared → acknowledged) and MTTR (declared → resolved) per day, ${span}. Response targets: ${targetsText(policies)}.`,
    ...lines,
    `Days not listed had no incident acknowledged or resolved.`,
  ].join("\n");
  const summary = (name: string, values: number[]) =>
    values.length === 0
      ? `no ${name}`
      : `${name} on ${values.length} of ${days.length} days, ${range(values)}`;
  const altText =
    `Line chart of MTTA and MTTR per day, ${span}, in minutes on a log scale, with the response targets ` +
    `${targetsText(policies)} as dashed lines: ${summary("MTTA", mtta)}; ${summary("MTTR", mttr)}. ` +
    `The message lists each day's figures.`;
  return { comment, altText };
}
