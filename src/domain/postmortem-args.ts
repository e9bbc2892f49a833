import { z } from "zod";
import {
  type ArgsResult,
  type CommandText,
  failureWithUsage,
  looksLikePerson,
  personWord,
  quote,
  type Word,
} from "./args.ts";
import { parseIncidentRef } from "./command-args.ts";
import { DUE_FORMS, type DueSpec, readDue } from "./due-date.ts";
import { parseFollowUpSeq } from "./postmortem.ts";

/**
 * Parsers for `/incident postmortem …` and `/incident followup …`, from the words the edge hands over. Each
 * returns a value or one friendly error in plain text with the right usage. Either may name its incident
 * (INC-42 or #42) first, or right after its action, to be run outside the incident's channel.
 */

export const POSTMORTEM_USAGE = {
  postmortem: "/incident postmortem [INC-42] [done <link>]",
  add: `/incident followup [INC-42] add <text> [@owner] [${DUE_FORMS}]`,
  list: "/incident followup [INC-42] list",
  done: "/incident followup [INC-42] done <F1>",
} as const;

export const MAX_FOLLOW_UP_LENGTH = 500;

const fail = failureWithUsage(POSTMORTEM_USAGE);

/** The incident named, when one is (absent: the incident of the channel the command is typed in). */
type Named = { incident?: number };

export type PostmortemCommand = Named & ({ kind: "regenerate" } | { kind: "done"; link: string });

/** "INC-42" or "#42" (a bare number is not taken: it could be the start of a follow-up's text). */
function incidentWord(word: Word | undefined): number | undefined {
  if (!word || word.userId || word.reference || !/^(?:inc-|#)\d+$/i.test(word.text)) return undefined;
  return parseIncidentRef(word.text);
}

/** Takes an incident's name off the front of `words`, if one is there. */
function takeIncident(words: Word[]): Named {
  const incident = incidentWord(words[0]);
  if (incident === undefined) return {};
  words.shift();
  return { incident };
}

/** `[INC-42] <action> [INC-42] <rest…>`: the incident named before or after the action, and the rest. */
function split(all: readonly Word[]): { named: Named; action: Word | undefined; rest: Word[] } {
  const words = [...all];
  let named = takeIncident(words);
  const action = words.shift();
  if (named.incident === undefined) named = takeIncident(words);
  return { named, action, rest: words };
}

const link = z.url({ protocol: /^https?$/, hostname: z.regexes.domain, error: "not a link" });

/** `postmortem` (a new draft) or `postmortem done <http(s) link>` (the finished document). */
export function parsePostmortemArgs({ words }: CommandText): ArgsResult<PostmortemCommand> {
  const { named, action: first, rest } = split(words);
  if (!first) return { ok: true, value: { kind: "regenerate", ...named } };
  if (first.text.toLowerCase() !== "done")
    return fail("postmortem", `${quote(first.text)} is not something postmortem does; did you mean done?`);
  if (rest.length !== 1 || !rest[0])
    return fail("postmortem", "Give the link to the finished postmortem document, and nothing else.");
  // Slack wraps a pasted link as <https://…|label>: the edge has already taken that apart into its text.
  const typed = rest[0].text.replace(/^<([^|>]+)(?:\|[^>]*)?>$/, "$1");
  const parsed = link.safeParse(typed);
  if (!parsed.success)
    return fail(
      "postmortem",
      `${quote(typed)} is not a link; give the document's http:// or https:// address.`,
    );
  return { ok: true, value: { kind: "done", link: parsed.data, ...named } };
}

export type FollowUpCommand = Named &
  (
    | { kind: "add"; text: string; ownerId?: string; due?: DueSpec }
    | { kind: "list" }
    | { kind: "done"; seq: number }
  );

/** `followup add <text> [@owner] [due]`, `followup list`, `followup done <id>`. */
export function parseFollowUpArgs({ words }: CommandText): ArgsResult<FollowUpCommand> {
  const { named, action: first, rest } = split(words);
  const action = first?.text.toLowerCase();
  if (action === "list") {
    if (rest.length > 0) return fail("list", "list takes nothing after it.");
    return { ok: true, value: { kind: "list", ...named } };
  }
  if (action === "done") {
    const seq = rest.length === 1 && rest[0] ? parseFollowUpSeq(rest[0].text) : undefined;
    if (seq === undefined)
      return fail("done", "Name one follow-up by its id, like F1 (see /incident followup list).");
    return { ok: true, value: { kind: "done", seq, ...named } };
  }
  if (action !== "add")
    return fail("add", first ? `${quote(first.text)} is not add, list or done.` : "Say add, list or done.");
  const added = parseAdd(rest);
  return added.ok ? { ok: true, value: { ...added.value, ...named } } : added;
}

/** Reads a due date off the end of `rest` (plain words only: a person or a link is never a date). */
function takeDue(rest: Word[]): { ok: true; due?: DueSpec } | { ok: false; error: string } {
  const trailing: string[] = [];
  for (const word of rest.slice(-3).reverse()) {
    if (word.userId || word.reference) break;
    trailing.unshift(word.text);
  }
  const read = readDue(trailing);
  if (!read) return { ok: true };
  if (!read.ok) return read;
  rest.splice(-read.words);
  return { ok: true, due: read.spec };
}

/** `<text> [@owner] [due]`, the owner and the due date in either order. */
function parseAdd(words: readonly Word[]): ArgsResult<FollowUpCommand> {
  const rest = [...words];
  let read = takeDue(rest);
  if (!read.ok) return fail("add", read.error);
  let ownerId: string | undefined;
  const ownerWord = rest.at(-1);
  if (ownerWord && looksLikePerson(ownerWord)) {
    const owner = personWord.safeParse(ownerWord);
    if (!owner.success)
      return fail("add", owner.error.issues[0]?.message ?? "Mention the owner, like @alice.");
    ownerId = owner.data;
    rest.splice(-1);
    if (!read.due) read = takeDue(rest);
    if (!read.ok) return fail("add", read.error);
  }
  const { due } = read;
  const text = rest
    .map((w) => w.text)
    .join(" ")
    .trim();
  if (text === "") return fail("add", "Say what needs doing.");
  if (text.length > MAX_FOLLOW_UP_LENGTH)
    return fail("add", `Keep it under ${MAX_FOLLOW_UP_LENGTH} characters (it has ${text.length}).`);
  return {
    ok: true,
    value: { kind: "add", text, ...(ownerId && { ownerId }), ...(due && { due }) },
  };
}
