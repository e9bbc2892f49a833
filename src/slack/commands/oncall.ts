import type { App } from "@slack/bolt";
import type { SlackDeps } from "../deps.ts";

export const ONCALL_COMMAND = "/oncall";

/** `/oncall`: schedules are not built yet; say so plainly instead of staying silent. */
export function register(app: App, _deps: SlackDeps): void {
  app.command(ONCALL_COMMAND, async ({ ack }) => {
    await ack({
      response_type: "ephemeral",
      text: "`/oncall` (who is on call now and next, rotations, overrides) is coming soon. `/incident help` lists what works today.",
    });
  });
}
