import type { HomeView, KnownBlock } from "@slack/types";
import type { HomeFollowUp, HomeSummary } from "../../domain/home.ts";
import { type Incident, incidentKey } from "../../domain/incident.ts";
import type { OnCallLevel } from "../../domain/report.ts";
import type { SeverityPolicyTable } from "../../domain/severity.ts";
import { oneLine } from "../../domain/text.ts";
import { escapeMrkdwn, slackDateToken } from "../mrkdwn.ts";
import {
  button,
  channelMention,
  context,
  DRILL_LABEL,
  escapedWithin,
  groupMention,
  mention,
  ROLE_LABELS,
  sections,
} from "./blocks.ts";
import { incidentLine } from "./incident-list.ts";

/**
 * The App Home tab: a Declare button, the viewer's incidents and follow-ups, the open incidents by severity
 * (drills on their own, counted in no severity), and who is on call now. Every list shows its first
 * HOME_LIST_LIMIT lines and says how many more there are, so the view stays far inside Slack's 100 blocks
 * whatever is open: 100 open incidents take as many blocks as 10.
 */

export const HOME_DECLARE_ACTION = "home_declare_incident";
export const HOME_LIST_LIMIT = 10;

/** The first lines, then "…and N more" with where to find them: never cut silently. */
function capped(lines: string[], where: string): string {
  const shown = lines.slice(0, HOME_LIST_LIMIT);
  const more = lines.length - shown.length;
  if (more > 0) shown.push(`_…and ${more} more: ${where}_`);
  return shown.join("\n");
}

const drillLine = (line: string, incident: Incident) => (incident.drill ? `${DRILL_LABEL} ${line}` : line);

function mineSection(home: HomeSummary, policies: SeverityPolicyTable): KnownBlock[] {
  if (home.mine.length === 0) return sections("*Your incidents*\nYou hold no role in an open incident.");
  const lines = home.mine.map(({ incident, roles }) =>
    drillLine(
      `${incidentLine(incident, policies, home.at)} · you are ${roles.map((r) => `*${ROLE_LABELS[r]}*`).join(", ")}`,
      incident,
    ),
  );
  return sections(
    `*Your incidents: ${home.mine.length}*\n${capped(lines, "`/incident list` shows every open incident")}`,
  );
}

function followUpLine(followUp: HomeFollowUp, overdue: boolean): string {
  const where = followUp.channelId ? ` ${channelMention(followUp.channelId)}` : "";
  const when = !followUp.dueAt
    ? "no due date"
    : overdue
      ? `:warning: overdue since ${slackDateToken(followUp.dueAt)}`
      : `due ${slackDateToken(followUp.dueAt)}`;
  return `*${incidentKey(followUp.number)} ${followUp.id}*${where} ${escapedWithin(oneLine(followUp.text), 200)} — ${when}`;
}

function followUpSection(home: HomeSummary): KnownBlock[] {
  const { overdueFollowUps: overdue, openFollowUps: open } = home;
  if (overdue.length + open.length === 0) return sections("*Your follow-ups*\nNo open follow-up is yours.");
  const lines = [
    ...overdue.map((followUp) => followUpLine(followUp, true)),
    ...open.map((followUp) => followUpLine(followUp, false)),
  ];
  return sections(
    `*Your follow-ups: ${overdue.length + open.length}* (${overdue.length} overdue)\n${capped(
      lines,
      "`/incident followup list` in each incident's channel",
    )}`,
  );
}

function openSections(home: HomeSummary, policies: SeverityPolicyTable): KnownBlock[] {
  const total = home.open.reduce((sum, group) => sum + group.incidents.length, 0);
  if (total === 0) return sections(":white_check_mark: *No open incidents.*");
  const counts = home.open.map((group) => `${policies[group.severity].label} ${group.incidents.length}`);
  const blocks = sections(`*Open incidents: ${total}* (${counts.join(" · ")})`);
  for (const group of home.open) {
    const policy = policies[group.severity];
    const lines = group.incidents.map((incident) => incidentLine(incident, policies, home.at));
    blocks.push(
      ...sections(
        `${policy.emoji} *${policy.label}: ${group.incidents.length}*\n${capped(lines, "`/incident list` shows them all")}`,
      ),
    );
  }
  return blocks;
}

function drillSections(home: HomeSummary, policies: SeverityPolicyTable): KnownBlock[] {
  if (home.drills.length === 0) return [];
  const lines = home.drills.map((incident) => incidentLine(incident, policies, home.at));
  return sections(
    `${DRILL_LABEL} *Drills in progress: ${home.drills.length}* (practice, not counted above)\n${capped(
      lines,
      "`/incident list` shows them all",
    )}`,
  );
}

function onCallLine(level: OnCallLevel, viewerId: string): string {
  const people = level.entries.map((entry) => {
    if (entry.kind === "usergroup") return groupMention(entry.groupId);
    const schedule = entry.schedule ? ` (${escapeMrkdwn(entry.schedule)})` : "";
    return `${mention(entry.userId)}${schedule}${entry.userId === viewerId ? " — *you*" : ""}`;
  });
  const uncovered = level.uncovered.map((name) => `_nobody on ${escapeMrkdwn(name)}_`);
  return `*L${level.level}* ${[...people, ...uncovered].join(", ") || "_nobody_"}`;
}

function onCallSections(home: HomeSummary): KnownBlock[] {
  const you =
    home.viewerOnCallAt.length > 0
      ? `:pager: You are on call now (${home.viewerOnCallAt.map((level) => `L${level}`).join(", ")}).`
      : "You are not on call now.";
  const lines = home.onCall.map((level) => onCallLine(level, home.viewerId));
  return sections(`*On call now*\n${you}\n${lines.join("\n")}`);
}

export function homeView(home: HomeSummary, policies: SeverityPolicyTable): HomeView {
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: "Firebreak" } },
    {
      type: "actions",
      block_id: "home_actions",
      elements: [button("Declare incident", HOME_DECLARE_ACTION, "declare", "primary")],
    },
    context(
      `Updated ${slackDateToken(home.at)}, and whenever you open this tab. \`/incident help\` lists every command.`,
    ),
    { type: "divider" },
    ...mineSection(home, policies),
    ...followUpSection(home),
    { type: "divider" },
    ...openSections(home, policies),
    ...drillSections(home, policies),
    { type: "divider" },
    ...onCallSections(home),
  ];
  return { type: "home", blocks };
}
