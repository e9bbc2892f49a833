import type { ReceiverProcessEventErrorHandlerArgs } from "@slack/bolt";
import type { Logger } from "../logger.ts";
import { newReference } from "../reference.ts";

/**
 * What the HTTP receiver answers when Bolt itself cannot take a signed request apart (an event without the
 * fields Bolt reads, such as a reaction with no item): 400 with a reason and a reference in the log, rather
 * than Bolt's bare 500 and an error line. Failures in Firebreak's own listeners never get here: the
 * `answerFailures` middleware answers those.
 */
export function refuseUnreadableRequests(logger: Logger) {
  return async ({ error, response }: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> => {
    const ref = newReference();
    if (response.headersSent) {
      logger.warn({ ref, err: error }, "a Slack request failed after it was acknowledged");
      return false;
    }
    logger.warn({ ref, err: error }, "a Slack request could not be read");
    response.writeHead(400, { "content-type": "application/json; charset=utf-8" });
    response.end(JSON.stringify({ error: `Firebreak could not read this request (ref ${ref})` }));
    return true;
  };
}
