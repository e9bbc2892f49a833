import { z } from "zod";
import { oneLine, truncate } from "./text.ts";

/**
 * What the slash-command parsers (`/incident`, `/oncall`) share: the result type, the one-error-with-usage
 * failure, quoting what was typed, and the zod pieces that read single tokens such as a mentioned person.
 */

export type ArgsResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** A Slack user mention as Slack escapes it in command text: `<@U123>` or `<@U123|name>` → "U123". */
export function parseUserMention(text: string): string | undefined {
  return /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(text.trim())?.[1];
}

/** For quoting what someone typed inside an error message: one line, at most 40 characters. */
export const quote = (text: string) => `"${truncate(oneLine(text), 40)}"`;

/**
 * The failure for a table of usages: the problem, then the usage of `key`, as plain text (the edge escapes it).
 */
export function failureWithUsage<K extends string>(usages: Record<K, string>) {
  return (key: K, problem: string): { ok: false; error: string } => ({
    ok: false,
    error: `${problem}\nUsage: \`${usages[key]}\``,
  });
}

/** A string read by `parse`; where that gives undefined, the issue `problem(text)`. */
export function token<T>(parse: (text: string) => T | undefined, problem: (text: string) => string) {
  return z.string().transform((text, ctx) => {
    const value = parse(text);
    if (value === undefined) {
      ctx.addIssue({ code: "custom", message: problem(text) });
      return z.NEVER;
    }
    return value;
  });
}

/** A mentioned person → their user ID; the error quotes what was typed with `quoteTyped`. */
export function personToken(quoteTyped: (text: string) => string) {
  return token(parseUserMention, (t) =>
    t.startsWith("@")
      ? `${quoteTyped(t)} came through as plain text; pick the person from Slack's @-suggestions so it becomes a mention.`
      : `${quoteTyped(t)} is not a person; mention one, like @alice.`,
  );
}
