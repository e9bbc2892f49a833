/** The `/incident` sub-commands and what they do: the single source for help and parsing. */
export interface SubcommandInfo {
  name: string;
  usage: string;
  summary: string;
}

export const INCIDENT_SUBCOMMANDS: readonly SubcommandInfo[] = [
  {
    name: "declare",
    usage: "declare [--drill] [--type <type>] [sev1-4] [title]",
    summary: "Declare an incident and open its channel (a type posts its runbook checklist)",
  },
  { name: "update", usage: "update [INC-42]", summary: "Post a status update from the template" },
  { name: "severity", usage: "severity [INC-42] <sev1-4>", summary: "Change the incident's severity" },
  {
    name: "role",
    usage: "role [INC-42] <commander|comms|scribe> @person",
    summary: "Assign an incident role",
  },
  { name: "ack", usage: "ack [INC-42]", summary: "Acknowledge the incident" },
  { name: "note", usage: "note [INC-42] <text>", summary: "Add a note to the timeline" },
  { name: "status", usage: "status [INC-42]", summary: "Show the incident's current state" },
  { name: "list", usage: "list [page]", summary: "List open incidents, newest first" },
  {
    name: "resolve",
    usage: "resolve [INC-42]",
    summary: "Resolve the incident and schedule the channel's archive",
  },
  { name: "reopen", usage: "reopen [INC-42]", summary: "Reopen a resolved incident" },
  { name: "timeline", usage: "timeline [INC-42] [page]", summary: "Show the incident's timeline" },
  {
    name: "report",
    usage: "report [daily|weekly|monthly] [preview]",
    summary: "Post a report to the report channel, or preview it just for you",
  },
  {
    name: "postmortem",
    usage: "postmortem [INC-42] [done <link>]",
    summary: "Share a new postmortem draft, or record the finished document",
  },
  {
    name: "followup",
    usage: "followup [INC-42] add <text> [@owner] [tomorrow|friday|in 3d|YYYY-MM-DD] | list | done <F1>",
    summary: "Track the incident's follow-up actions",
  },
  {
    name: "runbook",
    usage: "runbook [INC-42] | runbook list",
    summary: "Show the runbook checklist's progress, or the runbooks loaded",
  },
  {
    name: "subscribers",
    usage: "subscribers add|remove <e-mail> <service…> | list",
    summary: "Choose who is e-mailed about public incidents of each service",
  },
  { name: "help", usage: "help", summary: "Show this list" },
];

export type ParsedIncidentCommand =
  | { kind: "help" }
  | { kind: "subcommand"; name: string; args: string }
  | { kind: "unknown"; given: string };

/** Splits `/incident` text into a known sub-command and its arguments; empty text means help. */
export function parseIncidentCommand(text: string): ParsedIncidentCommand {
  const trimmed = text.trim();
  if (trimmed === "") return { kind: "help" };
  const first = trimmed.split(/\s+/, 1)[0] ?? "";
  const name = first.toLowerCase();
  if (name === "help") return { kind: "help" };
  // The arguments keep the user's line breaks: a multi-line note stays multi-line.
  const args = trimmed.slice(first.length).trim();
  if (INCIDENT_SUBCOMMANDS.some((s) => s.name === name)) return { kind: "subcommand", name, args };
  return { kind: "unknown", given: first };
}
