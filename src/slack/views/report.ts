import type { KnownBlock } from "@slack/types";
import type { AlertSummary } from "../../domain/alert-tally.ts";
import { humanDuration } from "../../domain/duration.ts";
import { incidentKey, SEVERITIES } from "../../domain/incident.ts";
import type {
  IncidentSnapshot,
  OnCallLevel,
  OpenLine,
  Report,
  SeverityCounts,
  Trend,
} from "../../domain/report.ts";
import type { SeverityPolicyTable } from "../../domain/severity.ts";
import { statusLabel } from "../../domain/status.ts";
import type { CountedName } from "../../domain/top-names.ts";
import { escapeMrkdwn, slackDateToken } from "../mrkdwn.ts";
import {
  channelMention,
  context,
  mention,
  messageFromBlocks,
  type SlackMessage,
  section,
  sections,
  titleMrkdwn,
} from "./blocks.ts";
import { postmortemSections } from "./report-postmortems.ts";

/**
 * The daily, weekly and monthly reports. Each section is left out when it has nothing to say; a quiet
 * period is one line. Lists show their first few entries and say how many more there are and where they
 * are (a period with a thousand incidents fits Slack's 50 blocks and 3,000 characters a section, and
 * nothing is cut silently).
 */

/** Entries listed per section; the rest are counted. */
export const LIST_LIMIT = 10;

const PERIOD_NAMES = { daily: "24 hours", weekly: "7 days", monthly: "30 days" } as const;
const TITLES = {
  daily: "Daily incident report",
  weekly: "Weekly incident review",
  monthly: "Monthly incident review",
};

const minutes = (ms: number) => humanDuration(Math.max(0, Math.round(ms / 1000) * 1000));

function severityCounts(counts: SeverityCounts, policies: SeverityPolicyTable): string {
  return SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${policies[s].label} ${counts[s]}`)
    .join(" · ");
}

function linked(incident: { number: number; channelId?: string | undefined }): string {
  const key = `*${incidentKey(incident.number)}*`;
  return incident.channelId ? `${key} ${channelMention(incident.channelId)}` : key;
}

/** The first LIST_LIMIT lines, then how many more there are and where to find them. */
export function capped(lines: string[], more: (n: number) => string): string {
  const shown = lines.slice(0, LIST_LIMIT);
  if (lines.length > LIST_LIMIT)
    shown.push(`_…and ${lines.length - LIST_LIMIT} more ${more(lines.length - LIST_LIMIT)}_`);
  return shown.join("\n");
}

/** Where the incidents a list leaves out are: every one has its announcement, and its own channel. */
const elsewhere = (report: Report) =>
  report.incidentsChannel
    ? `(counted above): every incident's announcement is in ${channelMention(report.incidentsChannel)}`
    : "(counted above; each has its channel, and `/incident status INC-42` shows any of them)";

function incidentList(
  heading: string,
  group: { bySeverity: SeverityCounts; incidents: IncidentSnapshot[] },
  report: Report,
  policies: SeverityPolicyTable,
  detail: (incident: IncidentSnapshot) => string,
): KnownBlock[] {
  if (group.incidents.length === 0) return [];
  const lines = group.incidents.map(
    (i) => `${policies[i.severity].emoji} ${linked(i)} ${titleMrkdwn(i.title)} — ${detail(i)}`,
  );
  return sections(
    `*${heading}: ${group.incidents.length}* (${severityCounts(group.bySeverity, policies)})\n${capped(
      lines,
      () => elsewhere(report),
    )}`,
  );
}

function openSection(report: Report, policies: SeverityPolicyTable): KnownBlock[] {
  const { total, stale, lines } = report.open;
  if (total === 0) return [];
  const line = ({ incident, ageMs, stale: isStale, sinceUpdateMs }: OpenLine) => {
    const facts = [
      policies[incident.severity].label,
      statusLabel(incident.status),
      `open ${minutes(ageMs)}`,
      incident.roles.commander ? `commander ${mention(incident.roles.commander)}` : "no commander",
      ...(sinceUpdateMs !== undefined ? [`last update ${minutes(sinceUpdateMs)} ago`] : []),
    ];
    const flag = isStale ? " :warning: *stale*" : "";
    return `${policies[incident.severity].emoji} ${linked(incident)} ${titleMrkdwn(incident.title)} — ${facts.join(" · ")}${flag}`;
  };
  const shown = lines.slice(0, LIST_LIMIT).map(line);
  const rest = total - shown.length;
  if (rest > 0) shown.push(`_…and ${rest} more open: \`/incident list\` shows them all_`);
  const staleNote = stale > 0 ? `, ${stale} stale (status update overdue)` : "";
  return sections(`*Open incidents: ${total}*${staleNote}\n${shown.join("\n")}`);
}

function trendText(trend: Trend, previousName: string): string {
  if (trend.currentMs === undefined) return "";
  const base = minutes(trend.currentMs);
  if (trend.changePercent === undefined || trend.previousMs === undefined) return base;
  const arrow = trend.changePercent > 0 ? "▲" : trend.changePercent < 0 ? "▼" : "=";
  return `${base} ${arrow} ${Math.abs(trend.changePercent)}% vs ${previousName} (${minutes(trend.previousMs)})`;
}

function timesSection(report: Report): KnownBlock[] {
  const period = PERIOD_NAMES[report.kind];
  const trailing = `${report.trailingDays} days`;
  const previous = `the ${trailing} before`;
  const line = (name: string, full: string, value: { period?: number; trailing: Trend }) => {
    const parts = [
      ...(report.kind === "daily" && value.period !== undefined
        ? [`last ${period} ${minutes(value.period)}`]
        : []),
      ...(value.trailing.currentMs !== undefined
        ? [`${trailing} ${trendText(value.trailing, previous)}`]
        : []),
    ];
    return parts.length > 0 ? `*${name}* (${full}): ${parts.join(" · ")}` : "";
  };
  const lines = [
    line("MTTA", "declared → acknowledged", report.mtta),
    line("MTTR", "declared → resolved", report.mttr),
  ].filter(Boolean);
  return lines.length > 0 ? [section(lines.join("\n"))] : [];
}

function breachSection(report: Report, policies: SeverityPolicyTable): KnownBlock[] {
  const { breaches } = report;
  if (breaches.length === 0) return [];
  const lines = breaches.map(({ incident, responseMs, targetMs }) => {
    const answered = incident.acknowledgedAt
      ? "acknowledged"
      : incident.resolvedAt
        ? "resolved"
        : "not acknowledged";
    const after =
      incident.acknowledgedAt || incident.resolvedAt
        ? `after ${minutes(responseMs)}`
        : `for ${minutes(responseMs)}`;
    return `${policies[incident.severity].emoji} ${linked(incident)} ${policies[incident.severity].label} ${answered} ${after} (target ${minutes(targetMs)})`;
  });
  return sections(`*Response-time breaches: ${breaches.length}*\n${capped(lines, () => elsewhere(report))}`);
}

const names = (counted: CountedName[]) =>
  counted.map((c) => `${escapeMrkdwn(c.name)} ${c.count}`).join(" · ");

function alertSection(alerts: AlertSummary, report: Report): KnownBlock[] {
  if (
    alerts.received === 0 &&
    alerts.acknowledged === 0 &&
    alerts.escalated === 0 &&
    alerts.autoResolved === 0
  )
    return [];
  const mean =
    alerts.meanAcknowledgeMs !== undefined
      ? ` (mean ${minutes(alerts.meanAcknowledgeMs)} to acknowledge)`
      : "";
  const lines = [
    `*Alerts, last ${PERIOD_NAMES[report.kind]}:* ${alerts.received} received · ${alerts.acknowledged} acknowledged${mean} · ${alerts.escalated} escalated · ${alerts.autoResolved} auto-resolved`,
    ...(alerts.topSources.length > 0 ? [`Noisiest sources: ${names(alerts.topSources)}`] : []),
    ...(alerts.topServices.length > 0 ? [`Noisiest services: ${names(alerts.topServices)}`] : []),
  ];
  return [section(lines.join("\n"))];
}

function reviewSection(report: Report, policies: SeverityPolicyTable): KnownBlock[] {
  const lines: string[] = [];
  const trend = report.declaredTrend;
  if (trend && (trend.current > 0 || trend.previous > 0)) {
    const change =
      trend.changePercent === undefined
        ? ""
        : ` ${trend.changePercent > 0 ? "▲" : trend.changePercent < 0 ? "▼" : "="} ${Math.abs(trend.changePercent)}%`;
    lines.push(
      `*Incidents declared:* ${trend.current}${change} vs ${trend.previous} the ${PERIOD_NAMES[report.kind]} before`,
    );
  }
  if (report.topServices.length > 0) lines.push(`*Top recurring services:* ${names(report.topServices)}`);
  const slo = report.slo.filter((line) => line.total > 0);
  if (slo.length > 0) {
    lines.push("*SLO compliance* (acknowledged within the response time):");
    for (const line of slo)
      lines.push(
        `${policies[line.severity].emoji} ${policies[line.severity].label}: ${line.withinTarget} of ${line.total} (${line.percent}%) within ${policies[line.severity].responseMinutes} min`,
      );
  }
  return lines.length > 0 ? sections(lines.join("\n")) : [];
}

function onCallSection(levels: OnCallLevel[]): KnownBlock[] {
  const lines = levels
    .map((level) => {
      const people = level.entries.map((entry) =>
        entry.kind === "user"
          ? `${mention(entry.userId)}${entry.schedule ? ` (${escapeMrkdwn(entry.schedule)})` : ""}`
          : `<!subteam^${entry.groupId}>`,
      );
      const uncovered = level.uncovered.map((name) => `nobody on ${escapeMrkdwn(name)}`);
      const all = [...people, ...uncovered];
      return all.length > 0 ? `L${level.level} ${all.join(", ")}` : "";
    })
    .filter(Boolean);
  return lines.length > 0 ? [context(`*On call today:* ${lines.join(" · ")}`)] : [];
}

export function reportMessage(report: Report, policies: SeverityPolicyTable): SlackMessage {
  const late = report.lateFor
    ? [
        context(
          `:hourglass: This report is late: it was due ${slackDateToken(report.lateFor)}, while Firebreak was not running.`,
        ),
      ]
    : [];
  const heading = section(
    `*${TITLES[report.kind]}* — ${slackDateToken(report.period.from)} to ${slackDateToken(report.period.to)}`,
  );
  if (report.quiet) {
    return messageFromBlocks([
      section(`:white_check_mark: No incidents in the last ${PERIOD_NAMES[report.kind]}.`),
      ...late,
    ]);
  }
  const noIncidents =
    report.declared.incidents.length === 0 &&
    report.resolved.incidents.length === 0 &&
    report.open.total === 0
      ? [section(`:white_check_mark: No incidents in the last ${PERIOD_NAMES[report.kind]}.`)]
      : [];
  return messageFromBlocks([
    heading,
    ...late,
    ...noIncidents,
    ...incidentList(
      "Declared",
      report.declared,
      report,
      policies,
      (i) => `declared ${slackDateToken(i.declaredAt)}`,
    ),
    ...incidentList("Resolved", report.resolved, report, policies, (i) =>
      i.resolvedAt
        ? `resolved after ${minutes(i.resolvedAt.getTime() - i.declaredAt.getTime())}`
        : "resolved",
    ),
    ...openSection(report, policies),
    ...timesSection(report),
    ...breachSection(report, policies),
    ...reviewSection(report, policies),
    ...alertSection(report.alerts, report),
    ...postmortemSections(report.postmortems),
    ...onCallSection(report.onCall),
  ]);
}
