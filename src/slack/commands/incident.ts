import type { App } from "@slack/bolt";
import type { AppContext } from "../../context.ts";
import { INCIDENT_SUBCOMMANDS, parseIncidentCommand } from "../../domain/incident-commands.ts";
import { afterPendingAcks } from "../acks-first.ts";
import { helpMessage } from "../views/help.ts";
import { SUBCOMMAND_HANDLERS } from "./incident-subcommands.ts";

export const INCIDENT_COMMAND = "/incident";

/**
 * `/incident …`: help answers in the ack itself; every other sub-command acks at once (Slack's 3 s budget)
 * and then works, answering through the command's response_url.
 */
export function register(app: App, deps: AppContext): void {
  app.command(INCIDENT_COMMAND, async ({ command, ack, client }) => {
    const parsed = parseIncidentCommand(command.text);
    const handler = parsed.kind === "subcommand" ? SUBCOMMAND_HANDLERS[parsed.name] : undefined;
    if (parsed.kind !== "subcommand" || !handler) {
      const unknown = parsed.kind === "unknown" ? parsed.given : undefined;
      await ack({ response_type: "ephemeral", ...helpMessage(INCIDENT_SUBCOMMANDS, unknown) });
      return;
    }
    await ack(
      parsed.name === "declare" ? { response_type: "ephemeral", text: "Declaring the incident…" } : undefined,
    );
    await afterPendingAcks();
    await handler(
      { ...deps, client },
      {
        workspaceId: command.team_id,
        channelId: command.channel_id,
        userId: command.user_id,
        args: parsed.args,
        triggerId: command.trigger_id,
        replyTo: { userId: command.user_id, responseUrl: command.response_url },
      },
    );
  });
}
