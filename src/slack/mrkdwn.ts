import { formatPlainTime, type TemplateMarkup } from "../domain/templates.ts";

/**
 * Slack reads `&`, `<` and `>` as control characters in message text: `<!channel>` pings everyone and
 * `<https://evil|bank>` disguises a link. Every piece of user text goes through this before it is shown.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&amp;": "&" };

/**
 * The inverse of `escapeMrkdwn`, in one pass (so `&amp;lt;` becomes `&lt;`, not `<`). Slack sends `&`, `<`
 * and `>` escaped in the text it hands us; free text is decoded once on the way in and escaped again on the
 * way out, so it is stored as the person typed it.
 */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&(?:lt|gt|amp);/g, (entity) => ENTITIES[entity] ?? entity);
}

/** A Slack date token: each reader sees their own time zone; clients that cannot render it show the UTC fallback. */
export function slackDateToken(date: Date): string {
  const unix = Math.floor(date.getTime() / 1000);
  return `<!date^${unix}^{date_short_pretty} at {time}|${formatPlainTime(date, "UTC")}>`;
}

/** Templates as mrkdwn: user text escaped, times as date tokens, labels in bold. */
export const MRKDWN_TEMPLATE: TemplateMarkup = {
  text: escapeMrkdwn,
  date: slackDateToken,
  bold: (text) => `*${text}*`,
};
