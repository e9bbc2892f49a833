import type { ReportKind } from "../../domain/report.ts";
import type { PostRefusal } from "../../reports/posters.ts";
import { channelMention, groupMention, mention } from "./blocks.ts";

/** Who may be named in full; past this the answer says "and N others" (REPORT_POSTERS may be long). */
const NAMED = 10;

/** "a, b and c" */
function inWords(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** The answer to someone REPORT_POSTERS leaves out: who may post, and that a preview is still theirs. */
export function reportPostRefusalText(refusal: PostRefusal, kind: ReportKind, channelId: string): string {
  const preview = `You can still see it yourself with \`/incident report ${kind} preview\`.`;
  if (refusal.kind === "membership_unknown")
    return `I could not check who is in ${groupMention(refusal.groupId)}, so I did not post the report to ${channelMention(channelId)}. Please try again in a minute (ref ${refusal.ref}). ${preview}`;
  const { userIds, groupIds } = refusal.posters;
  const who = [...userIds.map(mention), ...groupIds.map((id) => `members of ${groupMention(id)}`)];
  const named = who.length > NAMED ? [...who.slice(0, NAMED), `${who.length - NAMED} others`] : who;
  return `Only ${inWords(named)} may post reports to ${channelMention(channelId)}. ${preview}`;
}
