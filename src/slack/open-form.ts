import type { View } from "@slack/types";
import type { ReplyTarget } from "../notifier.ts";
import { newReference } from "../reference.ts";
import type { SlackContext } from "./context.ts";
import { attempt } from "./outcome.ts";
import { reply } from "./reply.ts";

/**
 * Opens a form for the person who clicked or typed. Slack gives 3 seconds to use a trigger; when the form
 * cannot open, the person is told so in words, with the reference of the log line that has Slack's code.
 */
export async function openForm(ctx: SlackContext, triggerId: string, view: View, replyTo: ReplyTarget) {
  const opened = await attempt(() => ctx.client.views.open({ trigger_id: triggerId, view }));
  if (opened.status === "done") return;
  const ref = newReference();
  ctx.logger.warn({ ref, error: opened.code }, "could not open a form");
  await reply(ctx, replyTo, {
    text: `I could not open the form: Slack did not show it in time. Please try again (ref ${ref}).`,
  });
}
