import { App, HTTPReceiver } from "@slack/bolt";
import type { Config } from "../config.ts";
import type { InFlight } from "../in-flight.ts";
import { type Logger, slackLoggerFor } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import { answerFailures } from "./answer-failures.ts";
import { meteredFetch, meterSlackRequests } from "./metering.ts";
import { refuseUnreadableRequests } from "./unreadable-requests.ts";

export const SLACK_EVENTS_PATH = "/slack/events";

export interface SlackApp {
  app: App;
  /** Set in HTTP mode: Bolt's request listener, mounted on Firebreak's own HTTP server. */
  receiver: HTTPReceiver | undefined;
  socketMode: boolean;
}

/**
 * Socket Mode when an app-level token is configured (local use, no public URL needed), otherwise the HTTP
 * receiver, which verifies Slack's signature on every request. Every listener runs inside `inFlight`, so a
 * shutdown waits for handlers that already acked but are still working. Every request is metered and runs
 * under its own correlation id (src/slack/metering.ts). Bolt's conversation store is off: nothing reads it,
 * and on every request its lookup of the channel rejected with a new Error (a stack captured each time).
 */
export function createSlackApp(
  config: Config,
  logger: Logger,
  inFlight: InFlight,
  metrics: Metrics,
): SlackApp {
  const slackLogger = slackLoggerFor(logger);
  const clientOptions = {
    slackApiUrl: config.slack.apiUrl,
    logger: slackLogger,
    fetch: meteredFetch(config.slack.apiUrl, metrics),
  };
  const socketMode = config.slack.appToken !== undefined;
  let receiver: HTTPReceiver | undefined;
  let app: App;
  if (socketMode) {
    // Bolt hands clientOptions to its Socket Mode client too, so apps.connections.open also goes to
    // SLACK_API_URL (test/socket-mode.test.ts connects to the fake Slack this way).
    app = new App({
      token: config.slack.botToken,
      appToken: config.slack.appToken,
      socketMode: true,
      logger: slackLogger,
      clientOptions,
      convoStore: false,
    });
  } else {
    receiver = new HTTPReceiver({
      signingSecret: config.slack.signingSecret ?? "",
      endpoints: SLACK_EVENTS_PATH,
      logger: slackLogger,
      processBeforeResponse: false,
      processEventErrorHandler: refuseUnreadableRequests(logger),
    });
    app = new App({
      token: config.slack.botToken,
      receiver,
      logger: slackLogger,
      clientOptions,
      convoStore: false,
    });
  }
  meterSlackRequests(app, metrics);
  app.use(async ({ next }) => {
    await inFlight.track(next());
  });
  app.use(answerFailures(logger));
  app.error(async (error) => {
    logger.error({ err: error }, "unhandled error in a Slack listener");
  });
  return { app, receiver, socketMode };
}
