import { z } from "zod";
import {
  type ArgsResult,
  type CommandText,
  failureWithUsage,
  looksLikePerson,
  personWord,
  quote,
  splitFirst,
  token,
  type Word,
} from "./args.ts";
import type { Role, Severity } from "./incident.ts";
import { parseSeverity } from "./severity.ts";
import { oneLine } from "./text.ts";

/**
 * Parsers for the text after `/incident <sub-command>`, as the edge hands it over (see `CommandText`). Each
 * returns a value or one friendly error, in plain text, that says what was wrong and shows the right usage.
 * Sub-commands other than declare may name the incident first (`severity INC-42 sev1`); without it the
 * caller uses the incident of the channel the command was run in.
 */

export type { ArgsResult } from "./args.ts";

export const MAX_TITLE_LENGTH = 150;
export const MAX_NOTE_LENGTH = 3000;

export const COMMAND_USAGE = {
  declare: "/incident declare [--drill] [--type <type>] [sev1-4] [title]",
  severity: "/incident severity [INC-42] <sev1-4>",
  role: "/incident role [INC-42] <commander|comms|scribe> @person",
  note: "/incident note [INC-42] <text>",
} as const;

export interface DeclareArgs {
  severity?: Severity;
  title?: string;
  /** `--drill`: a practice incident. */
  drill?: boolean;
  /** `--type database`: the incident type, whose runbooks post their checklists (checked by the caller). */
  type?: string;
}

export interface SeverityArgs {
  severity: Severity;
  incident?: number;
}

export interface RoleArgs {
  role: Role;
  userId: string;
  incident?: number;
}

export interface NoteArgs {
  text: string;
  incident?: number;
}

/** "INC-42", "inc-42", "42" or "#42" → 42; anything else (0 included) → undefined. */
export function parseIncidentRef(text: string): number | undefined {
  const match = /^(?:inc-|#)?(\d{1,9})$/i.exec(text.trim());
  const number = match ? Number(match[1]) : 0;
  return number >= 1 ? number : undefined;
}

const ROLE_ALIASES: Record<string, Role> = {
  commander: "commander",
  ic: "commander",
  lead: "commander",
  comms: "comms",
  "comms-lead": "comms",
  scribe: "scribe",
};

/** "commander" (also "ic", "lead"), "comms" (also "comms-lead") or "scribe", any case. */
export function parseRole(text: string): Role | undefined {
  const key = text.trim().toLowerCase();
  return Object.hasOwn(ROLE_ALIASES, key) ? ROLE_ALIASES[key] : undefined;
}

const incidentRef = token(parseIncidentRef, (t) => `${quote(t)} is not an incident; name one like INC-42.`);
const severity = token(parseSeverity, (t) => `${quote(t)} is not a severity; use sev1, sev2, sev3 or sev4.`);
const role = token(
  parseRole,
  (t) => `${quote(t)} is not a role; use commander (or ic, lead), comms (or comms-lead) or scribe.`,
);
const chars = (text: string) => Array.from(text).length;
const limited = (max: number, tooLong: (length: number) => string) =>
  z.string().superRefine((text, ctx) => {
    if (chars(text) > max) ctx.addIssue({ code: "custom", message: tooLong(chars(text)) });
  });
const title = limited(
  MAX_TITLE_LENGTH,
  (n) => `The title is ${n} characters; keep it to ${MAX_TITLE_LENGTH} and put details in the description.`,
);
const noteText = z
  .string()
  .min(1, "What should the note say?")
  .pipe(limited(MAX_NOTE_LENGTH, (n) => `The note is ${n} characters; keep it to ${MAX_NOTE_LENGTH}.`));

const schemas = {
  declare: z.object({
    severity: severity.optional(),
    title: title.optional(),
    drill: z.boolean().optional(),
    type: z
      .string()
      .min(1, { error: "Which type? Write it after --type, like `--type database`.", abort: true })
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "An incident type is one word of letters, digits, - or _.")
      .optional(),
  }),
  severity: z.object({ incident: incidentRef.optional(), severity }),
  role: z.object({ incident: incidentRef.optional(), role, userId: personWord }),
  note: z.object({ incident: incidentRef.optional(), text: noteText }),
};

type Sub = keyof typeof schemas;

const failure = failureWithUsage<Sub>(COMMAND_USAGE);

function run<S extends Sub>(
  sub: S,
  input: z.input<(typeof schemas)[S]>,
): ArgsResult<z.output<(typeof schemas)[S]>> {
  const parsed = schemas[sub].safeParse(input);
  if (parsed.success) {
    // Leave absent optional fields out rather than present as undefined.
    const value = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
    return { ok: true, value: value as z.output<(typeof schemas)[S]> };
  }
  return failure(sub, parsed.error.issues.map((issue) => issue.message).join("\n"));
}

/** `--drill`, or `—drill` as Slack clients' autocorrect turns a typed "--" into an em dash. */
const DRILL_FLAG = /^(?:--|\u2014)drill$/i;
/** `--type database` or `--type=database` (and the em dash form). */
const TYPE_FLAG = /^(?:--|\u2014)type(?:=(.*))?$/i;

/**
 * `[--drill] [--type <type>] [sev1-4] [title]`: leading tokens "--drill", "--type <type>" and "sevN", in any
 * order, mark a drill, give the incident type and the severity; the rest is the title (one line, at most 150
 * characters). A bare number is part of the title ("2 regions down"), and severity and title may be left
 * out for the form.
 */
export function parseDeclareArgs({ text }: CommandText): ArgsResult<DeclareArgs> {
  let sev: string | undefined;
  let drill = false;
  let type: string | undefined;
  let titleText = text;
  for (;;) {
    const [first, rest] = splitFirst(titleText);
    const typeFlag = type === undefined ? TYPE_FLAG.exec(first) : null;
    if (!drill && DRILL_FLAG.test(first)) drill = true;
    else if (typeFlag) {
      const inline = typeFlag[1];
      const [value, after] = inline === undefined ? splitFirst(rest) : [inline, rest];
      type = value.toLowerCase();
      titleText = after;
      continue;
    } else if (sev === undefined && /^sev\d+$/i.test(first)) sev = first;
    else break;
    titleText = rest;
  }
  const cleaned = oneLine(titleText);
  return run("declare", {
    severity: sev,
    title: cleaned === "" ? undefined : cleaned,
    drill: drill || undefined,
    type,
  });
}

/** `[INC-42] <sev1-4>`; the incident may also come second (`sev1 INC-42`). */
export function parseSeverityArgs({ text, words }: CommandText): ArgsResult<SeverityArgs> {
  const tokens = words.map((word) => word.text);
  const [a = "", b = ""] = tokens;
  if (tokens.length === 0)
    return failure("severity", "Which severity? Give one of sev1, sev2, sev3 or sev4.");
  if (tokens.length > 2) return failure("severity", `Too many words after \`severity\`: ${quote(text)}.`);
  if (tokens.length === 1) return run("severity", { severity: a });
  if (parseIncidentRef(a) === undefined && parseSeverity(a) && parseIncidentRef(b) !== undefined)
    return run("severity", { incident: b, severity: a });
  return run("severity", { incident: a, severity: b });
}

/** `[INC-42] <role> @person`; role and person may come in either order. */
export function parseRoleArgs({ text, words }: CommandText): ArgsResult<RoleArgs> {
  if (words.length < 2)
    return failure("role", "Tell me the role and the person, like `/incident role commander @alice`.");
  if (words.length > 3) return failure("role", `Too many words after \`role\`: ${quote(text)}.`);
  const none: Word = { text: "" };
  const [incident, x = none, y = none] = words.length === 3 ? words : [undefined, ...words];
  const personish = (word: Word) => looksLikePerson(word) || word.reference === true;
  const [roleWord, person] = personish(x) && !personish(y) ? [y, x] : [x, y];
  return run("role", { incident: incident?.text, role: roleWord.text, userId: person });
}

/**
 * `[INC-42] <text>`: the note keeps its line breaks, at most 3000 characters. Only the "INC-42" form names an
 * incident here; "42 servers rebooted" is a note.
 */
export function parseNoteArgs({ text }: CommandText): ArgsResult<NoteArgs> {
  const [first, rest] = splitFirst(text);
  const named = /^inc-\d+$/i.test(first);
  const body = (named ? rest : text).trim();
  return run("note", { incident: named ? first : undefined, text: body });
}
