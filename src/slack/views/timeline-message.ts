import type { KnownBlock } from "@slack/types";
import { type Incident, incidentKey } from "../../domain/incident.ts";
import { SYSTEM_ACTOR } from "../../domain/timeline.ts";
import type { SummaryPart, TimelineEntry } from "../../domain/timeline-view.ts";
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
  truncateMrkdwn,
} from "./blocks.ts";

/** The answer to `/incident timeline`: one page of the incident's timeline, oldest first. */

export interface TimelineMessageOptions {
  /** 1-based page shown. */
  page: number;
  pageCount: number;
  /** mrkdwn shown under the entries, e.g. "Times are in your time zone." */
  timeZoneNote?: string;
}

/** Longest summary shown per entry (mrkdwn, cut without breaking a mention or an entity). */
export const MAX_ENTRY_SUMMARY = 400;

const actor = (actorId: string) => (actorId === SYSTEM_ACTOR ? "Firebreak" : mention(actorId));

/**
 * Words this edge recorded before failed steps were data ("invite <@U…>"): the mentions it wrote are kept,
 * everything else is escaped.
 */
function recordedMrkdwn(recorded: string): string {
  return recorded
    .split(/(<@[UW][A-Z0-9]+>)/)
    .map((piece) => (/^<@[UW][A-Z0-9]+>$/.test(piece) ? piece : escapeMrkdwn(piece)))
    .join("");
}

/** A summary's parts as mrkdwn: words escaped, people and channels as mentions. */
export function summaryMrkdwn(parts: readonly SummaryPart[]): string {
  return parts
    .map((part) => {
      if ("recorded" in part) return recordedMrkdwn(part.recorded);
      if ("user" in part) return mention(part.user);
      if ("channel" in part) return channelMention(part.channel);
      if ("icon" in part) return `:${part.icon}:`;
      if ("aside" in part) return `_${escapeMrkdwn(part.aside)}_`;
      return escapeMrkdwn(part.text);
    })
    .join("");
}

/** `<date> — Status: Investigating → Identified (@alice)`; a pinned message links to it. */
export function timelineLine(entry: TimelineEntry): string {
  const summary = truncateMrkdwn(summaryMrkdwn(entry.summary), MAX_ENTRY_SUMMARY);
  const pin = entry.pinned;
  const link =
    pin?.permalink && !pin.deleted ? ` <${escapeMrkdwn(pin.permalink).replace(/\|/g, "%7C")}|view>` : "";
  return `${slackDateToken(entry.at)} — ${summary}${link} (${actor(entry.actorId)})`;
}

/**
 * One page of timeline entries (from `timelineView` and `paginate`). Entries are packed into sections of at
 * most 3000 characters; 25 entries, even long pinned messages, take a handful of blocks.
 */
export function timelineMessage(
  incident: Incident,
  entries: readonly TimelineEntry[],
  options: TimelineMessageOptions,
): SlackMessage {
  const key = incidentKey(incident.number);
  const { page, pageCount } = options;
  const pageText =
    page < pageCount
      ? `Page ${page} of ${pageCount} — \`/incident timeline ${key} ${page + 1}\` for more`
      : pageCount > 1
        ? `Page ${page} of ${pageCount}`
        : "";
  const notes = [pageText, options.timeZoneNote ?? ""].filter((note) => note.trim() !== "");
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: `Timeline of ${key}` } },
    section(titleMrkdwn(incident.title)),
    ...(entries.length === 0
      ? [section("_Nothing on the timeline yet._")]
      : sections(entries.map(timelineLine).join("\n"))),
    ...(notes.length > 0 ? [context(...notes)] : []),
  ];
  return messageFromBlocks(blocks);
}
