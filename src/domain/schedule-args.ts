import { z } from "zod";
import {
  type ArgsResult,
  type CommandText,
  failureWithUsage,
  looksLikePerson,
  personWord,
  quote,
  token,
  type Word,
} from "./args.ts";
import { WEEKDAYS } from "./schedule.ts";
import { MAX_MEMBERS, MAX_SCHEDULE_NAME_LENGTH, parseHandoffTime } from "./schedule-parse.ts";
import { oneLine } from "./text.ts";
import { isRealDate, isTimeZone, type LocalDateTime } from "./time-zone.ts";

/**
 * Parses the text after `/oncall`, as the edge hands it over (see `CommandText`). Like the `/incident`
 * parsers, each problem comes back as one friendly error in plain text, with the right usage shown.
 * Override times are wall-clock times in the schedule's time zone; the caller converts them once it knows
 * the schedule (see `zonedWallTimeToUtc`).
 */

export const ONCALL_USAGE = {
  overview: "/oncall",
  show: "/oncall <schedule>",
  create: "/oncall schedule create <name> <weekday> <HH:MM> <time zone> @person1 @person2 …",
  override: "/oncall override <schedule> @covering covers @covered <YYYY-MM-DD HH:MM> to <YYYY-MM-DD HH:MM>",
  help: "/oncall help",
} as const;

export const ONCALL_SUMMARIES: Record<keyof typeof ONCALL_USAGE, string> = {
  overview: "who is on call now and next, on every schedule",
  show: "who is on call now and next on one schedule",
  create: "a weekly rotation that hands off on that day and time, in that order",
  override: "someone covers for someone else for a while (times in the schedule's time zone)",
  help: "this list",
};

/** Words `/oncall` reads as sub-commands, so no schedule name may start with one. */
const RESERVED = ["help", "schedule", "override"];

export type OnCallCommand =
  | { kind: "overview" }
  | { kind: "help" }
  | { kind: "show"; name: string }
  | {
      kind: "create";
      name: string;
      weekday: number;
      time: string;
      timeZone: string;
      members: string[];
    }
  | {
      kind: "override";
      name: string;
      userId: string;
      coversUserId: string;
      from: LocalDateTime;
      to: LocalDateTime;
    };

type Usage = keyof typeof ONCALL_USAGE;

const failure = failureWithUsage<Usage>(ONCALL_USAGE);

const WEEKDAY_ALIASES: Record<string, number> = Object.fromEntries(
  WEEKDAYS.flatMap((name, index) => {
    const lower = name.toLowerCase();
    return [
      lower,
      `${lower}s`,
      lower.slice(0, 3),
      ...(index === 2 ? ["tues"] : []),
      ...(index === 4 ? ["thur", "thurs"] : []),
    ].map((alias) => [alias, index] as const);
  }),
);

/** "monday", "Mon", "mondays" → 1; undefined otherwise. */
export function parseWeekday(text: string): number | undefined {
  const key = text.trim().toLowerCase();
  return Object.hasOwn(WEEKDAY_ALIASES, key) ? WEEKDAY_ALIASES[key] : undefined;
}

/** "9:00" or "09:00" → "09:00"; undefined unless a 24-hour time. */
export function parseTime(text: string): string | undefined {
  const padded = /^\d:\d\d$/.test(text) ? `0${text}` : text;
  return parseHandoffTime(padded) ? padded : undefined;
}

/** "2026-03-29" + "09:00" → a LocalDateTime; undefined unless both are real. */
export function parseLocalDateTime(date: string, time: string): LocalDateTime | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const hhmm = parseTime(time);
  if (!match || !hhmm) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (!isRealDate(year, month, day)) return undefined;
  const [hour, minute] = hhmm.split(":").map(Number);
  return { year, month, day, hour: hour ?? 0, minute: minute ?? 0 };
}

const weekday = token(parseWeekday, (t) => `${quote(t)} is not a weekday; use one like monday or mon.`);
const time = token(parseTime, (t) => `${quote(t)} is not a time; use 24-hour HH:MM, like 09:00.`);
const timeZone = token(
  (t: string) => (isTimeZone(t) ? t : undefined),
  (t) => `${quote(t)} is not a time zone; use an IANA name such as Europe/London or America/New_York.`,
);
const scheduleName = z.string().superRefine((name, ctx) => {
  if (name === "") ctx.addIssue({ code: "custom", message: "Which schedule? Give its name." });
  else if (Array.from(name).length > MAX_SCHEDULE_NAME_LENGTH)
    ctx.addIssue({
      code: "custom",
      message: `The name is ${Array.from(name).length} characters; keep it to ${MAX_SCHEDULE_NAME_LENGTH}.`,
    });
});
const newScheduleName = scheduleName.superRefine((name, ctx) => {
  const first = name.split(" ")[0]?.toLowerCase() ?? "";
  if (RESERVED.includes(first))
    ctx.addIssue({
      code: "custom",
      message: `A schedule's name cannot start with "${first}", which \`/oncall\` reads as a command.`,
    });
});
const localDateTime = (what: string) =>
  z.tuple([z.string(), z.string()]).transform(([date, hhmm], ctx) => {
    const value = parseLocalDateTime(date, hhmm);
    if (!value) {
      ctx.addIssue({
        code: "custom",
        message: `${quote(`${date} ${hhmm}`)} is not a ${what}; use YYYY-MM-DD HH:MM, like 2026-03-30 09:00.`,
      });
      return z.NEVER;
    }
    return value;
  });

const schemas = {
  create: z.object({
    name: newScheduleName,
    weekday,
    time,
    timeZone,
    members: z
      .array(personWord)
      .min(1, "Who is on the rotation? Mention them in order, like @alice @bob.")
      .max(MAX_MEMBERS, `A rotation can have at most ${MAX_MEMBERS} people.`),
  }),
  override: z
    .object({
      name: scheduleName,
      userId: personWord,
      coversUserId: personWord,
      from: localDateTime("start time"),
      to: localDateTime("end time"),
    })
    .refine((o) => wallOrder(o.from) < wallOrder(o.to), "The override must end after it starts."),
};

/** Compares wall times (time zone aside): enough to catch an end before the start as typed. */
function wallOrder(t: LocalDateTime): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
}

function run<S extends keyof typeof schemas>(
  sub: S,
  input: z.input<(typeof schemas)[S]>,
): ArgsResult<z.output<(typeof schemas)[S]>> {
  const parsed = schemas[sub].safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data as z.output<(typeof schemas)[S]> };
  return failure(sub, [...new Set(parsed.error.issues.map((issue) => issue.message))].join("\n"));
}

/** Words, with "→" a word of its own even when typed without spaces ("10:00→2026-11-26"). */
function wordsOf(words: Word[]): Word[] {
  return words.flatMap((word) =>
    word.userId || word.reference || !word.text.includes("→")
      ? [word]
      : word.text
          .replace(/→/g, " → ")
          .split(" ")
          .filter((text) => text !== "")
          .map((text) => ({ text })),
  );
}

/** Schedule name words back to the name as typed, one space between words. */
function nameFrom(words: Word[]): ArgsResult<string> {
  if (words.some((word) => word.userId || word.reference))
    return { ok: false, error: "A schedule's name cannot hold mentions, channels or links." };
  return { ok: true, value: oneLine(words.map((word) => word.text).join(" ")) };
}

function parseCreate(words: Word[]): ArgsResult<OnCallCommand> {
  const firstPerson = words.findIndex(looksLikePerson);
  const head = firstPerson === -1 ? words : words.slice(0, firstPerson);
  const members = firstPerson === -1 ? [] : words.slice(firstPerson);
  if (head.length < 4)
    return failure(
      "create",
      "Give the schedule's name, hand-off weekday, time and time zone, then the people in rotation order.",
    );
  const name = nameFrom(head.slice(0, -3));
  if (!name.ok) return failure("create", name.error);
  const [day = "", hhmm = "", zone = ""] = head.slice(-3).map((word) => word.text);
  const parsed = run("create", { name: name.value, weekday: day, time: hhmm, timeZone: zone, members });
  return parsed.ok ? { ok: true, value: { kind: "create", ...parsed.value } } : parsed;
}

function parseOverrideArgs(words: Word[]): ArgsResult<OnCallCommand> {
  const firstPerson = words.findIndex(looksLikePerson);
  if (firstPerson === -1)
    return failure("override", "Who covers for whom? Mention them, like `@bob covers @alice`.");
  const name = nameFrom(words.slice(0, firstPerson));
  if (!name.ok) return failure("override", name.error);
  const none: Word = { text: "" };
  const [covering = none, covers = none, covered = none, ...rest] = words.slice(firstPerson);
  const times = rest.map((word) => word.text);
  if (covers.text.toLowerCase() !== "covers")
    return failure("override", "Say who covers for whom, like `@bob covers @alice`.");
  const [fromDate = "", fromTime = "", separator = "", toDate = "", toTime = "", ...extra] = times;
  if (!["to", "→", "->", "until"].includes(separator.toLowerCase()) || toTime === "" || extra.length > 0)
    return failure("override", "Give the start and end as `YYYY-MM-DD HH:MM to YYYY-MM-DD HH:MM`.");
  const parsed = run("override", {
    name: name.value,
    userId: covering,
    coversUserId: covered,
    from: [fromDate, fromTime],
    to: [toDate, toTime],
  });
  return parsed.ok ? { ok: true, value: { kind: "override", ...parsed.value } } : parsed;
}

/**
 * `/oncall` text → a command: nothing (every schedule), `help`, `schedule create …`, `override …`, or a
 * schedule's name.
 */
export function parseOnCallCommand(command: CommandText): ArgsResult<OnCallCommand> {
  const words = wordsOf(command.words);
  const [first = "", second = ""] = words.map((word) => word.text);
  const word = first.toLowerCase();
  if (words.length === 0) return { ok: true, value: { kind: "overview" } };
  if (word === "help") return { ok: true, value: { kind: "help" } };
  if (word === "schedule") {
    if (second.toLowerCase() === "create") return parseCreate(words.slice(2));
    return failure("create", `I don't know \`schedule ${second}\`. To make a schedule:`);
  }
  if (word === "create") return failure("create", "To make a schedule, start with `schedule create`.");
  if (word === "override") return parseOverrideArgs(words.slice(1));
  const name = nameFrom(words);
  if (!name.ok) return failure("show", `${name.error} Name a schedule, like \`/oncall primary\`.`);
  return { ok: true, value: { kind: "show", name: name.value } };
}
