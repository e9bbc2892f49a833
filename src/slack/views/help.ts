import type { SubcommandInfo } from "../../domain/incident-commands.ts";
import { escapeMrkdwn } from "../mrkdwn.ts";
import { context, type SlackMessage, section } from "./blocks.ts";

function subcommandLine(command: SubcommandInfo): string {
  return `• \`/incident ${command.usage}\` — ${command.summary}`;
}

/** The answer to `/incident help`, and to any sub-command Firebreak does not know (named in `unknown`). */
export function helpMessage(commands: readonly SubcommandInfo[], unknown?: string): SlackMessage {
  const intro = unknown
    ? `I don't know \`${escapeMrkdwn(unknown)}\`. Here is what \`/incident\` can do:`
    : "Here is what `/incident` can do:";
  const lines = commands.map(subcommandLine).join("\n");
  return {
    text: `${intro}\n${lines}`,
    blocks: [
      section(intro),
      section(lines),
      context("Inside an incident channel the incident is implied; elsewhere name it, e.g. `INC-42`."),
    ],
  };
}
