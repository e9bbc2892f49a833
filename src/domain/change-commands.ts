import { type ArgsResult, failureWithUsage, quote, splitFirst } from "./args.ts";
import { type ChangeMove, changeKey, MOVE_NAMES, parseChangeKey } from "./change.ts";
import type { SubcommandInfo } from "./incident-commands.ts";
import { oneLine, truncate } from "./text.ts";

/** The `/change` sub-commands: the single source for help, usages and parsing. */
export const CHANGE_SUBCOMMANDS: readonly SubcommandInfo[] = [
  { name: "request", usage: "request", summary: "Open the form for a new change request" },
  { name: "list", usage: "list", summary: "List the change requests still open" },
  { name: "show", usage: "show CHG-12", summary: "Show a change request and its next step" },
  { name: "approve", usage: "approve CHG-12", summary: "Approve a change (approvers of its type only)" },
  { name: "reject", usage: "reject CHG-12 [reason]", summary: "Reject a change: that ends it" },
  {
    name: "schedule",
    usage: "schedule CHG-12",
    summary: "Confirm an approved change for its scheduled time",
  },
  { name: "start", usage: "start CHG-12", summary: "Mark a scheduled change as being implemented" },
  { name: "complete", usage: "complete CHG-12", summary: "Mark an implementing change as completed" },
  { name: "fail", usage: "fail CHG-12 [reason]", summary: "Mark an implementing change as failed" },
  { name: "help", usage: "help", summary: "Show this list and the approval matrix" },
];

/** Longest reason kept with a rejection or a failure. */
export const MAX_REASON_LENGTH = 500;

export type ChangeCommand =
  | { kind: "help"; unknown?: string }
  | { kind: "request" }
  | { kind: "list" }
  | { kind: "show"; number: number }
  | { kind: "approve"; number: number }
  | { kind: "reject"; number: number; reason?: string }
  | { kind: "move"; move: ChangeMove; number: number; reason?: string };

const USAGES = Object.fromEntries(CHANGE_SUBCOMMANDS.map((s) => [s.name, `/change ${s.usage}`]));
const failure = failureWithUsage<string>(USAGES);

/** `/change <sub-command> …` as typed (the edge has undone Slack's escapes); empty text means help. */
export function parseChangeCommand(text: string): ArgsResult<ChangeCommand> {
  const [first, rest] = splitFirst(text);
  const name = first.toLowerCase();
  if (name === "" || name === "help") return { ok: true, value: { kind: "help" } };
  if (name === "request" || name === "list") {
    if (rest !== "") return failure(name, `\`${name}\` takes nothing after it; you typed ${quote(rest)}.`);
    return { ok: true, value: { kind: name } };
  }
  if (!CHANGE_SUBCOMMANDS.some((s) => s.name === name))
    return { ok: true, value: { kind: "help", unknown: first } };
  const [keyText, reasonText] = splitFirst(rest);
  if (keyText === "") return failure(name, "Which change? Name it like CHG-12.");
  const number = parseChangeKey(keyText);
  if (number === undefined) return failure(name, `${quote(keyText)} is not a change; name one like CHG-12.`);
  const reason = oneLine(reasonText);
  const takesReason = name === "reject" || name === "fail";
  if (reason !== "" && !takesReason)
    return failure(
      name,
      `\`${name} ${changeKey(number)}\` takes nothing after it; you typed ${quote(reason)}.`,
    );
  const reasonPart = reason === "" ? {} : { reason: truncate(reason, MAX_REASON_LENGTH) };
  if (name === "show" || name === "approve") return { ok: true, value: { kind: name, number } };
  if (name === "reject") return { ok: true, value: { kind: "reject", number, ...reasonPart } };
  const move = MOVE_NAMES.find((m) => m === name) as ChangeMove;
  return { ok: true, value: { kind: "move", move, number, ...reasonPart } };
}
