import type { App, BlockAction } from "@slack/bolt";
import type { AppContext } from "../../context.ts";
import { openDeclareForm } from "../shortcuts/declare.ts";
import { HOME_DECLARE_ACTION } from "../views/home.ts";

/** The App Home's Declare button: the same declare modal as the global shortcut, and the same submission. */
export function register(app: App, deps: AppContext): void {
  app.action<BlockAction>(HOME_DECLARE_ACTION, async ({ ack, body, client }) => {
    await ack();
    await openDeclareForm({ ...deps, client }, body.trigger_id, body.user.id);
  });
}
