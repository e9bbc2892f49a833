import { z } from "zod";
import { oneLine, truncate } from "./text.ts";

/**
 * What the slash-command parsers (`/incident`, `/oncall`) share: the command as the edge hands it over (plain
 * text and words, people already picked out by user ID), the result type, the one-error-with-usage failure,
 * quoting what was typed, and the zod pieces that read single words such as a mentioned person.
 */

/**
 * One word of a command: its text as typed, and for a person picked from the chat's suggestions, their user
 * ID. `reference`: something else picked the same way (a channel, a link, a group), which no plain word is.
 */
export interface Word {
  text: string;
  userId?: string;
  reference?: boolean;
}

/** A command's text, the chat platform's escapes undone, and its words. */
export interface CommandText {
  text: string;
  words: Word[];
}

export type ArgsResult<T> = { ok: true; value: T } | { ok: false; error: string };

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

/** A mentioned person → their user ID; the error quotes what was typed with `quote`. */
export const personWord = z
  .object({ text: z.string(), userId: z.string().optional(), reference: z.boolean().optional() })
  .transform((word, ctx) => {
    if (word.userId) return word.userId;
    ctx.addIssue({
      code: "custom",
      message:
        word.text.startsWith("@") && !word.reference
          ? `${quote(word.text)} came through as plain text; pick the person from Slack's @-suggestions so it becomes a mention.`
          : `${quote(word.text)} is not a person; mention one, like @alice.`,
    });
    return z.NEVER;
  });

/** Whether a word names a person, or was meant to ("@bob" typed as plain text). */
export const looksLikePerson = (word: Word) => word.userId !== undefined || word.text.startsWith("@");

/** Splits off the first whitespace-separated token, keeping the rest's inner spacing and newlines. */
export function splitFirst(text: string): [string, string] {
  const match = /^(\S+)\s*([\s\S]*)$/.exec(text.trim());
  return match ? [match[1] ?? "", match[2] ?? ""] : ["", ""];
}
