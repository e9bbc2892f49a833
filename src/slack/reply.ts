import { z } from "zod";
import type { ReplyTarget } from "../notifier.ts";
import type { SlackContext } from "./context.ts";
import { respond } from "./respond.ts";
import type { RenderedMessage } from "./views/message.ts";

/** The reply target carried through a modal's private_metadata, parsed back like any outside input. */
export const replyTargetSchema = z.object({
  userId: z.string(),
  responseUrl: z.url().optional(),
}) satisfies z.ZodType<ReplyTarget>;

/** Answers the person a listener is serving with a rendered message (a list, a warning, a sentence). */
export async function reply(
  ctx: SlackContext,
  target: ReplyTarget,
  message: RenderedMessage & { replaceOriginal?: boolean },
): Promise<void> {
  const { replaceOriginal, ...rendered } = message;
  await respond(ctx.client, ctx.logger, target, rendered, { replaceOriginal });
}
