import { incidentKey } from "../../domain/incident.ts";
import type { FollowUp } from "../../domain/postmortem.ts";
import type { FinishResult, PostmortemResult } from "../../postmortems/postmortems.ts";
import { slackDateToken } from "../mrkdwn.ts";
import { channelMention, escapedWithin, mention } from "./blocks.ts";

/** The answers to `/incident postmortem` and `/incident followup`, in words. */

/** A drill is practice and owes no postmortem (one would be listed as due in reports drills stay out of). */
const drillText = (key: string) =>
  `${key} is a drill, so it gets no postmortem: drills stay out of reports and owe nothing afterwards.`;

export function postmortemDraftedText(number: number, result: PostmortemResult): string {
  const key = incidentKey(number);
  if (!result.ok)
    return result.reason === "drill"
      ? drillText(key)
      : `${key} has no channel to share the postmortem draft in.`;
  const { postmortem, version } = result;
  const where = postmortem.channelId ? ` in ${channelMention(postmortem.channelId)}` : "";
  return (
    `:memo: Postmortem draft ${version} of ${key} is on its way${where}. ` +
    `Owner ${mention(postmortem.ownerId)}, due ${slackDateToken(postmortem.dueAt)}.`
  );
}

export function postmortemDoneText(number: number, result: FinishResult): string {
  const key = incidentKey(number);
  if (!result.ok && result.reason === "drill") return drillText(key);
  if (!result.ok)
    return `${key} has no postmortem yet: start one with \`/incident postmortem\`, then record the document.`;
  const link = escapedWithin(result.postmortem.link ?? "", 500);
  return result.changed
    ? `:white_check_mark: The postmortem of ${key} is recorded: ${link}`
    : `The postmortem of ${key} was already recorded with that link.`;
}

function followUpLine(followUp: FollowUp, now: Date): string {
  const owner = followUp.ownerId ? ` · ${mention(followUp.ownerId)}` : "";
  const overdue = !followUp.doneAt && followUp.dueAt && followUp.dueAt <= now ? " :warning: overdue" : "";
  const due = followUp.dueAt ? ` · due ${slackDateToken(followUp.dueAt)}${overdue}` : "";
  const box = followUp.doneAt ? ":white_check_mark:" : ":white_square:";
  return `${box} *${followUp.id}* ${escapedWithin(followUp.text, 300)}${owner}${due}`;
}

export function followUpAddedText(number: number, followUp: FollowUp | undefined, now: Date): string {
  if (!followUp) return `That follow-up was already added to ${incidentKey(number)}.`;
  return `Added to ${incidentKey(number)}: ${followUpLine(followUp, now)}`;
}

export function followUpListText(number: number, followUps: readonly FollowUp[], now: Date): string {
  const key = incidentKey(number);
  if (followUps.length === 0)
    return `${key} has no follow-ups yet. Add one with \`/incident followup add &lt;text&gt; [@owner] [due]\`, the due date like tomorrow, friday, in 3d or 2026-12-01.`;
  const open = followUps.filter((f) => !f.doneAt).length;
  return [
    `*Follow-ups of ${key}* (${open} open of ${followUps.length})`,
    ...followUps.map((f) => followUpLine(f, now)),
  ].join("\n");
}

export function followUpDoneText(number: number, followUp: FollowUp, changed: boolean): string {
  return changed
    ? `:white_check_mark: ${followUp.id} of ${incidentKey(number)} is done.`
    : `${followUp.id} of ${incidentKey(number)} was already done.`;
}

export const noSuchFollowUpText = (number: number, id: string) =>
  `${incidentKey(number)} has no follow-up ${id}; see \`/incident followup list\`.`;
