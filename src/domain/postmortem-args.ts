import { z } from "zod";
import {
  type ArgsResult,
  type CommandText,
  failureWithUsage,
  looksLikePerson,
  personWord,
  quote,
} from "./args.ts";
import { parseFollowUpSeq } from "./postmortem.ts";
import { parseLocalDateTime } from "./schedule-args.ts";
import type { LocalDateTime } from "./time-zone.ts";

/**
 * Parsers for `/incident postmortem …` and `/incident followup …`, from the words the edge hands over. Each
 * returns a value or one friendly error in plain text with the right usage.
 */

export const POSTMORTEM_USAGE = {
  postmortem: "/incident postmortem [done <link>]",
  add: "/incident followup add <text> [@owner] [YYYY-MM-DD [HH:MM]]",
  list: "/incident followup list",
  done: "/incident followup done <F1>",
} as const;

export const MAX_FOLLOW_UP_LENGTH = 500;
/** A due date without a time is due at the end of that working day, in the configured time zone. */
export const DEFAULT_DUE_TIME = "17:00";

const fail = failureWithUsage(POSTMORTEM_USAGE);

export type PostmortemCommand = { kind: "regenerate" } | { kind: "done"; link: string };

const link = z.url({ protocol: /^https?$/, hostname: z.regexes.domain, error: "not a link" });

/** `postmortem` (a new draft) or `postmortem done <http(s) link>` (the finished document). */
export function parsePostmortemArgs({ words }: CommandText): ArgsResult<PostmortemCommand> {
  const [first, ...rest] = words;
  if (!first) return { ok: true, value: { kind: "regenerate" } };
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
  return { ok: true, value: { kind: "done", link: parsed.data } };
}

export type FollowUpCommand =
  | { kind: "add"; text: string; ownerId?: string; due?: LocalDateTime }
  | { kind: "list" }
  | { kind: "done"; seq: number };

/** `followup add <text> [@owner] [due]`, `followup list`, `followup done <id>`. */
export function parseFollowUpArgs({ words }: CommandText): ArgsResult<FollowUpCommand> {
  const [first, ...rest] = words;
  const action = first?.text.toLowerCase();
  if (action === "list") {
    if (rest.length > 0) return fail("list", "list takes nothing after it.");
    return { ok: true, value: { kind: "list" } };
  }
  if (action === "done") {
    const seq = rest.length === 1 && rest[0] ? parseFollowUpSeq(rest[0].text) : undefined;
    if (seq === undefined)
      return fail("done", "Name one follow-up by its id, like F1 (see /incident followup list).");
    return { ok: true, value: { kind: "done", seq } };
  }
  if (action !== "add")
    return fail("add", first ? `${quote(first.text)} is not add, list or done.` : "Say add, list or done.");
  return parseAdd(rest);
}

function parseAdd(words: CommandText["words"]): ArgsResult<FollowUpCommand> {
  const rest = [...words];
  let due: LocalDateTime | undefined;
  const last = rest.at(-1)?.text ?? "";
  const beforeLast = rest.at(-2)?.text ?? "";
  if (/^\d{1,2}:\d\d$/.test(last) && /^\d{4}-\d\d-\d\d$/.test(beforeLast)) {
    due = parseLocalDateTime(beforeLast, last);
    if (!due) return fail("add", `${quote(`${beforeLast} ${last}`)} is not a real date and time.`);
    rest.splice(-2);
  } else if (/^\d{4}-\d\d-\d\d$/.test(last)) {
    due = parseLocalDateTime(last, DEFAULT_DUE_TIME);
    if (!due) return fail("add", `${quote(last)} is not a real date; use YYYY-MM-DD, like 2026-12-01.`);
    rest.splice(-1);
  }
  let ownerId: string | undefined;
  const ownerWord = rest.at(-1);
  if (ownerWord && looksLikePerson(ownerWord)) {
    const owner = personWord.safeParse(ownerWord);
    if (!owner.success)
      return fail("add", owner.error.issues[0]?.message ?? "Mention the owner, like @alice.");
    ownerId = owner.data;
    rest.splice(-1);
  }
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
