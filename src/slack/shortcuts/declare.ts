import type { App, MessageShortcut } from "@slack/bolt";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { truncate } from "../../domain/text.ts";
import type { SlackContext } from "../context.ts";
import { encodeMetadata } from "../modal-metadata.ts";
import { openForm } from "../open-form.ts";
import { reply } from "../reply.ts";
import { declareModal } from "../views/declare-modal.ts";

export const DECLARE_SHORTCUT = "declare_incident";
export const DECLARE_FROM_MESSAGE_SHORTCUT = "declare_incident_from_message";

/** Room left in private_metadata (3000) for the message a declaration starts from. */
const MAX_SOURCE_TEXT = 1500;

/** The parts of a message shortcut the form is filled from, parsed like any outside input. */
const messageShortcutSchema = z.object({
  type: z.literal("message_action"),
  channel: z.object({ id: z.string() }),
  message: z.object({
    ts: z.string().regex(/^\d{1,12}\.\d{1,9}$/),
    text: z.string().optional(),
    user: z.string().optional(),
  }),
});

/**
 * The empty declare modal, the declarer its commander, answered by DM: from the global shortcut and from
 * the App Home's Declare button. Its submission is the modal's own (src/slack/modals).
 */
export async function openDeclareForm(ctx: SlackContext, triggerId: string, userId: string): Promise<void> {
  const view = declareModal(
    {
      commanderId: userId,
      types: ctx.runbooks.types,
      privateMetadata: encodeMetadata({ reply: { userId } }),
    },
    ctx.config.incidents.severityPolicy,
  );
  await openForm(ctx, triggerId, view, { userId });
}

/**
 * "Declare incident" from anywhere (global shortcut) or from a message (message shortcut): the declare
 * modal, pre-filled from the message, which the timeline then links to.
 */
export function register(app: App, deps: AppContext): void {
  const policies = () => deps.config.incidents.severityPolicy;
  app.shortcut(DECLARE_SHORTCUT, async ({ ack, shortcut, client }) => {
    await ack();
    await openDeclareForm({ ...deps, client }, shortcut.trigger_id, shortcut.user.id);
  });

  app.shortcut<MessageShortcut>(DECLARE_FROM_MESSAGE_SHORTCUT, async ({ ack, shortcut, client }) => {
    await ack();
    const replyTo = { userId: shortcut.user.id, responseUrl: shortcut.response_url };
    const parsed = messageShortcutSchema.safeParse(shortcut);
    if (!parsed.success) {
      await reply({ ...deps, client }, replyTo, {
        text: "I could not read that message, so I opened nothing. Use `/incident declare` to declare an incident.",
      });
      return;
    }
    const { channel, message } = parsed.data;
    const text = message.text ?? "";
    const firstLine = truncate(text.split("\n")[0]?.trim() ?? "", 150);
    const fromMessage = {
      channelId: channel.id,
      ts: message.ts,
      authorId: message.user ?? "unknown",
      text: truncate(text, MAX_SOURCE_TEXT),
      postedAt: new Date(Number(message.ts) * 1000).toISOString(),
    };
    const view = declareModal(
      {
        title: firstLine || undefined,
        description: text,
        commanderId: shortcut.user.id,
        types: deps.runbooks.types,
        privateMetadata: encodeMetadata({ reply: replyTo, fromMessage }),
      },
      policies(),
    );
    await openForm({ ...deps, client }, shortcut.trigger_id, view, replyTo);
  });
}
