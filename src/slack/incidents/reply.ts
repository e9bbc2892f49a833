import { z } from "zod";
import type { FlowContext } from "./flow-context.ts";

/**
 * Where to tell the person who started a flow how it went, carried through a modal's private_metadata:
 * the slash command's response_url when there is one, else a direct message.
 */
export const replyTargetSchema = z.object({
  userId: z.string(),
  responseUrl: z.url().optional(),
});
export type ReplyTarget = z.infer<typeof replyTargetSchema>;

export interface Reply {
  text: string;
  blocks?: unknown[];
  /** Replaces the command's earlier ephemeral answer ("Declaring…") instead of adding another. */
  replaceOriginal?: boolean;
}

export async function reply(ctx: FlowContext, target: ReplyTarget, message: Reply): Promise<void> {
  try {
    if (target.responseUrl) {
      const response = await fetch(target.responseUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          response_type: "ephemeral",
          replace_original: message.replaceOriginal ?? false,
          text: message.text,
          ...(message.blocks && { blocks: message.blocks }),
        }),
      });
      if (response.ok) return;
      ctx.logger.warn(
        { status: response.status },
        "response_url refused the reply; sending a direct message",
      );
    }
    await ctx.client.chat.postMessage({
      channel: target.userId,
      text: message.text,
      ...(message.blocks && { blocks: message.blocks as never }),
    });
  } catch (error) {
    ctx.logger.warn({ err: error }, "could not tell the user how their request went");
  }
}
