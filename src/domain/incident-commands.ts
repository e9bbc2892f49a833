/** The `/incident` sub-commands, what they do, and which exist yet: the single source for help and parsing. */
export interface SubcommandInfo {
  name: string;
  usage: string;
  summary: string;
  available: boolean;
}

export const INCIDENT_SUBCOMMANDS: readonly SubcommandInfo[] = [
  {
    name: "declare",
    usage: "declare [sev1-4] [title]",
    summary: "Declare an incident and open its channel",
    available: false,
  },
  { name: "update", usage: "update", summary: "Post a status update from the template", available: false },
  {
    name: "severity",
    usage: "severity <sev1-4>",
    summary: "Change the incident's severity",
    available: false,
  },
  {
    name: "role",
    usage: "role <commander|comms|scribe> @user",
    summary: "Assign an incident role",
    available: false,
  },
  { name: "ack", usage: "ack", summary: "Acknowledge the incident and stop escalation", available: false },
  { name: "note", usage: "note <text>", summary: "Add a note to the timeline", available: false },
  { name: "status", usage: "status", summary: "Show the incident's current state", available: false },
  { name: "list", usage: "list", summary: "List open incidents, newest first", available: false },
  {
    name: "resolve",
    usage: "resolve",
    summary: "Resolve the incident and schedule the channel's archive",
    available: false,
  },
  { name: "reopen", usage: "reopen", summary: "Reopen a resolved incident", available: false },
  { name: "timeline", usage: "timeline", summary: "Show the incident's timeline", available: false },
  { name: "help", usage: "help", summary: "Show this list", available: true },
];

export type ParsedIncidentCommand =
  | { kind: "help" }
  | { kind: "subcommand"; name: string; args: string }
  | { kind: "unknown"; given: string };

/** Splits `/incident` text into a known sub-command and its arguments; empty text means help. */
export function parseIncidentCommand(text: string): ParsedIncidentCommand {
  const trimmed = text.trim();
  if (trimmed === "") return { kind: "help" };
  const [first = "", ...rest] = trimmed.split(/\s+/);
  const name = first.toLowerCase();
  if (name === "help") return { kind: "help" };
  if (INCIDENT_SUBCOMMANDS.some((s) => s.name === name))
    return { kind: "subcommand", name, args: rest.join(" ") };
  return { kind: "unknown", given: first };
}
