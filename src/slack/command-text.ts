import type { CommandText, Word } from "../domain/args.ts";
import { decodeSlackEntities } from "./mrkdwn.ts";

/**
 * Slack's escaped slash-command text (`<@U123|alice>`, `<#C1|ops>`, `&amp;`) turned into what the domain's
 * command parsers read: the text as the person typed it, and its words, each mention with its user ID.
 */

/** `<@U123>` or `<@U123|name>` → "U123". */
export function parseUserMention(text: string): string | undefined {
  return /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(text.trim())?.[1];
}

/** A `<…>` token is a person, or some other reference (a channel, a link, `<!here>`) that no word may be. */
function wordOf(token: string): Word {
  const text = decodeSlackEntities(token);
  if (!token.startsWith("<")) return { text };
  const userId = parseUserMention(token);
  return userId ? { text, userId } : { text, reference: true };
}

export function commandText(raw: string): CommandText {
  // A `<…>` token counts as one word even when its label holds spaces.
  const words = (raw.match(/<[^>]*>|\S+/g) ?? []).map(wordOf);
  return { text: decodeSlackEntities(raw), words };
}
