import type { Button, ContextBlock, KnownBlock, SectionBlock } from "@slack/types";
import { MAX_TITLE_LENGTH } from "../../domain/command-args.ts";
import { humanDuration } from "../../domain/duration.ts";
import type { Role } from "../../domain/incident.ts";
import { oneLine, truncate } from "../../domain/text.ts";
import { escapeMrkdwn } from "../mrkdwn.ts";

/**
 * The small Block Kit and mrkdwn helpers every view shares: mentions, escaped titles, splitting long mrkdwn
 * into sections, blocks and buttons, and a message with its plain-text fallback.
 */

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Slack's limits (https://docs.slack.dev/reference/block-kit). */
export const MAX_SECTION_TEXT = 3000;
export const MAX_FIELD_TEXT = 2000;
export const MAX_HEADER_TEXT = 150;
export const MAX_MESSAGE_TEXT = 40_000;

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  commander: "Commander",
  comms: "Comms lead",
  scribe: "Scribe",
};

export const UNASSIGNED = "_unassigned_";

/** `<@U123>`. */
export const mention = (userId: string): string => `<@${userId}>`;
/** `<!subteam^S123>`: a user group, shown by its handle. */
export const groupMention = (groupId: string): string => `<!subteam^${groupId}>`;
/** `<#C123>`. */
export const channelMention = (channelId: string): string => `<#${channelId}>`;
/** The role holder's mention, or "unassigned" in italics. */
export const roleHolder = (userId: string | undefined): string => (userId ? mention(userId) : UNASSIGNED);

/** The incident's title as mrkdwn: one line, at most 150 characters, escaped. */
export function titleMrkdwn(title: string): string {
  return escapeMrkdwn(truncate(oneLine(title), MAX_TITLE_LENGTH));
}

/**
 * User text escaped for Slack and cut so that the escaped form holds at most `max` UTF-16 units (escaping
 * lengthens text, so the raw text is cut, never the escaped: an entity is never split).
 */
export function escapedWithin(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let kept = "";
  for (const char of text) {
    const next = escapeMrkdwn(char);
    if (kept.length + next.length + 1 > max) break;
    kept += next;
  }
  return `${kept.trimEnd()}…`;
}

/** "1 h 12 min" from `from` to `to` (0 s if `to` is earlier). */
export function durationBetween(from: Date, to: Date): string {
  return humanDuration(Math.max(0, to.getTime() - from.getTime()));
}

/** " 3 min ago" before `now`, or nothing when the time is unknown. */
export const agoText = (at: Date | undefined, now: Date): string =>
  at ? ` ${durationBetween(at, now)} ago` : "";

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * The largest index ≤ `limit` at which mrkdwn can be cut without splitting a `<…>` token (mention, link,
 * date), an `&amp;`-style entity or a surrogate pair. Falls back to `limit` when a token fills the whole span.
 */
function safeCut(text: string, limit: number): number {
  let cut = Math.min(limit, text.length);
  const open = text.lastIndexOf("<", cut - 1);
  if (open !== -1) {
    const close = text.indexOf(">", open);
    if (close === -1 || close >= cut) cut = open;
  }
  const amp = text.lastIndexOf("&", cut - 1);
  if (amp !== -1 && cut - amp < 6) {
    const semi = text.indexOf(";", amp);
    if (semi === -1 || semi >= cut) cut = amp;
  }
  if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  return cut > 0 ? cut : Math.min(limit, text.length);
}

/** Cuts mrkdwn to at most `max` UTF-16 units, ending with "…" when cut, never inside a token or entity. */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, safeCut(text, max - 1)).trimEnd()}…`;
}

/** Breaks one over-long line into pieces of at most `max` units, at a space when one is near the end. */
function breakLine(line: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    let cut = safeCut(rest, max);
    const space = rest.lastIndexOf(" ", cut);
    const atSpace = space > cut / 2 && safeCut(rest, space) === space;
    if (atSpace) cut = space;
    pieces.push(rest.slice(0, cut));
    rest = atSpace ? rest.slice(cut + 1) : rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}

/**
 * Splits mrkdwn into chunks of at most `max` UTF-16 units (Slack counts characters; units are never fewer),
 * at line breaks where possible, never inside a token or entity. Blank edges are trimmed; no chunk is empty.
 */
export function splitMrkdwn(text: string, max = MAX_SECTION_TEXT): string[] {
  const chunks: string[] = [];
  let current: string | undefined;
  for (const line of text.split("\n")) {
    for (const piece of line.length > max ? breakLine(line, max) : [line]) {
      if (current === undefined) current = piece;
      else if (current.length + 1 + piece.length <= max) current = `${current}\n${piece}`;
      else {
        chunks.push(current);
        current = piece;
      }
    }
  }
  if (current !== undefined) chunks.push(current);
  return chunks.map((chunk) => chunk.replace(/^\n+|\n+$/g, "")).filter((chunk) => chunk.trim() !== "");
}

export function section(text: string): SectionBlock {
  return { type: "section", text: { type: "mrkdwn", text } };
}

/** As many sections as the mrkdwn needs, each within Slack's 3000 characters. */
export function sections(text: string): SectionBlock[] {
  return splitMrkdwn(text).map(section);
}

export function context(...texts: string[]): ContextBlock {
  return {
    type: "context",
    elements: texts.filter((t) => t !== "").map((text) => ({ type: "mrkdwn" as const, text })),
  };
}

export function button(text: string, actionId: string, value: string, style?: "primary" | "danger"): Button {
  return {
    type: "button",
    text: { type: "plain_text", text: truncate(text, 75), emoji: true },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

function blockText(block: KnownBlock): string[] {
  switch (block.type) {
    case "header":
      return [block.text.text];
    case "section":
      return [...(block.text ? [block.text.text] : []), ...(block.fields ?? []).map((field) => field.text)];
    case "context":
      return block.elements.flatMap((element) => ("text" in element ? [element.text] : []));
    default:
      return [];
  }
}

/** The message, with every text of its blocks repeated as the plain `text` fallback (notifications, search). */
export function messageFromBlocks(blocks: KnownBlock[]): SlackMessage {
  const text = blocks.flatMap(blockText).join("\n");
  return { text: truncateMrkdwn(text, MAX_MESSAGE_TEXT), blocks };
}

/** Marks a drill's messages, so nobody takes the practice for a real incident. */
export const DRILL_LABEL = ":test_tube: DRILL";
export const DRILL_NOTE = `${DRILL_LABEL}: this is a practice incident. Nobody is paged and it stays out of reports.`;
