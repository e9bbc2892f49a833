import type { App } from "@slack/bolt";
import type { SlackDeps } from "../deps.ts";
import { comingSoonModal } from "../views/coming-soon.ts";

export const DECLARE_SHORTCUT = "declare_incident";
export const DECLARE_FROM_MESSAGE_SHORTCUT = "declare_incident_from_message";

const NOT_YET = "Declaring incidents from Slack is coming soon.";

/** The global and message shortcuts "Declare incident". Until declaring exists, they explain that. */
export function register(app: App, deps: SlackDeps): void {
  app.shortcut(DECLARE_SHORTCUT, async ({ ack, shortcut, client }) => {
    await ack();
    await client.views
      .open({ trigger_id: shortcut.trigger_id, view: comingSoonModal(NOT_YET) })
      .catch((error) => {
        deps.logger.warn({ err: error }, "could not open the declare shortcut modal");
      });
  });
  app.shortcut(DECLARE_FROM_MESSAGE_SHORTCUT, async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: "ephemeral", text: NOT_YET });
  });
}
