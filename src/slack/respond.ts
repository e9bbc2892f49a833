import type { WebClient } from "@slack/web-api";
import type { Logger } from "../logger.ts";
import type { ReplyTarget } from "../notifier.ts";
import type { SendOutcome } from "../send-outcome.ts";
import { attempt } from "./outcome.ts";
import { postToResponseUrl } from "./response-url.ts";
import type { RenderedMessage } from "./views/message.ts";

/**
 * Answers the person who started a flow, privately: through the command's response_url when there is one
 * (it can replace the command's earlier "Declaring…" answer), else, or when it refuses, a direct message.
 */
export async function respond(
  client: WebClient,
  logger: Logger,
  to: ReplyTarget,
  message: RenderedMessage,
  options: { replaceOriginal?: boolean } = {},
): Promise<SendOutcome> {
  if (to.responseUrl) {
    const status = await postToResponseUrl(to.responseUrl, {
      response_type: "ephemeral",
      replace_original: options.replaceOriginal ?? false,
      text: message.text,
      ...(message.blocks && { blocks: message.blocks }),
    });
    if (status !== undefined && status >= 200 && status < 300) return { status: "done", value: undefined };
    logger.warn({ status }, "response_url refused the reply; sending a direct message");
  }
  const sent = await attempt(() =>
    client.chat.postMessage({
      channel: to.userId,
      text: message.text,
      ...(message.blocks && { blocks: message.blocks }),
    }),
  );
  if (sent.status !== "done")
    logger.warn({ error: sent.code }, "could not tell the user how their request went");
  return sent.status === "done" ? { status: "done", value: undefined } : sent;
}
