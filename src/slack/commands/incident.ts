import type { App } from "@slack/bolt";
import { INCIDENT_SUBCOMMANDS, parseIncidentCommand } from "../../domain/incident-commands.ts";
import type { SlackDeps } from "../deps.ts";
import { helpMessage } from "../views/help.ts";

export const INCIDENT_COMMAND = "/incident";

/** `/incident …`: the answer goes back in the ack itself, so the user sees it even if Slack calls are slow. */
export function register(app: App, _deps: SlackDeps): void {
  app.command(INCIDENT_COMMAND, async ({ command, ack }) => {
    const parsed = parseIncidentCommand(command.text);
    switch (parsed.kind) {
      case "help":
        await ack({ response_type: "ephemeral", ...helpMessage(INCIDENT_SUBCOMMANDS) });
        return;
      case "unknown":
        await ack({ response_type: "ephemeral", ...helpMessage(INCIDENT_SUBCOMMANDS, parsed.given) });
        return;
      case "subcommand":
        await ack({
          response_type: "ephemeral",
          text: `\`/incident ${parsed.name}\` is coming soon. Try \`/incident help\` for what works today.`,
        });
        return;
    }
  });
}
