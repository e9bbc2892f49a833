import type { KnownBlock } from "@slack/types";
import { incidentKey } from "../../domain/incident.ts";
import type { PostmortemsDue } from "../../domain/postmortem.ts";
import { slackDateToken } from "../mrkdwn.ts";
import { channelMention, escapedWithin, mention, sections } from "./blocks.ts";
import { capped } from "./report.ts";

/** The daily report's "Postmortems due or overdue" and "Follow-ups overdue", each left out when empty. */
export function postmortemSections(due: PostmortemsDue | undefined): KnownBlock[] {
  if (!due) return [];
  const blocks: KnownBlock[] = [];
  if (due.postmortems.length > 0) {
    const lines = due.postmortems.map((p) => {
      const where = p.channelId ? ` ${channelMention(p.channelId)}` : "";
      const when = p.overdue
        ? `:warning: overdue since ${slackDateToken(p.dueAt)}`
        : `due ${slackDateToken(p.dueAt)}`;
      return `*${incidentKey(p.number)}*${where} — ${mention(p.ownerId)}, ${when}`;
    });
    const overdue = due.postmortems.filter((p) => p.overdue).length;
    blocks.push(
      ...sections(
        `*Postmortems due or overdue: ${due.postmortems.length}* (${overdue} overdue)\n${capped(lines, () => "(counted above)")}`,
      ),
    );
  }
  if (due.overdueFollowUps.length > 0) {
    const lines = due.overdueFollowUps.map((f) => {
      const owner = f.ownerId ? mention(f.ownerId) : "no owner";
      return `*${incidentKey(f.number)} ${f.id}* ${escapedWithin(f.text, 200)} — ${owner}, due ${slackDateToken(f.dueAt)}`;
    });
    blocks.push(
      ...sections(
        `*Follow-ups overdue: ${due.overdueFollowUps.length}*\n${capped(lines, () => "(`/incident followup INC-42 list` shows an incident's)")}`,
      ),
    );
  }
  return blocks;
}
