import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import { correlationId } from "../correlation.ts";
import type { Logger } from "../logger.ts";
import type { ReplyTarget } from "../notifier.ts";
import { newReference } from "../reference.ts";
import { respond } from "./respond.ts";
import { unexpectedFailureText } from "./views/failure.ts";

/** Who sent a request, and where to answer them, from any kind of Slack payload that has a person. */
function requesterOf(body: Record<string, unknown>): ReplyTarget | undefined {
  const user = body.user as { id?: string } | undefined;
  const event = body.event as { user?: unknown } | undefined;
  const userId =
    (typeof body.user_id === "string" && body.user_id) ||
    user?.id ||
    (typeof event?.user === "string" ? event.user : undefined);
  if (!userId) return undefined;
  const responseUrl = typeof body.response_url === "string" ? body.response_url : undefined;
  return { userId, responseUrl };
}

/**
 * Catches whatever a listener throws (a database that went away, a bug), logs it with a short reference
 * (the request's correlation id), and tells the person who asked what happened, in words, with that
 * reference: never silence, never the error's own text.
 */
export function answerFailures(logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async ({ next, body, client }) => {
    try {
      await next();
    } catch (error) {
      // The request's correlation id: it finds this line and every other line about the request.
      const ref = correlationId() ?? newReference();
      logger.error({ ref, err: error }, "a Slack listener failed");
      const requester = requesterOf(body as unknown as Record<string, unknown>);
      if (requester) await respond(client, logger, requester, { text: unexpectedFailureText(ref) });
    }
  };
}
