import type { App } from "@slack/bolt";
import type { FetchFunction } from "@slack/web-api";
import { withCorrelation } from "../correlation.ts";
import type { Metrics, SlackSurface } from "../metrics.ts";
import { newReference } from "../reference.ts";
import { keepAliveFetch } from "./keep-alive-http.ts";

/** Which surface a Slack request body comes from (Bolt has parsed and verified it). */
export function surfaceOf(body: Record<string, unknown>): SlackSurface {
  if (typeof body.command === "string") return "slash_command";
  switch (body.type) {
    case "block_actions":
    case "interactive_message":
      return "block_action";
    case "view_submission":
      return "view_submission";
    case "view_closed":
      return "view_closed";
    case "shortcut":
    case "message_action":
      return "shortcut";
    case "block_suggestion":
      return "options";
    case "event_callback":
      return "event";
    default:
      return "other";
  }
}

/**
 * Wraps the app's entry point for every request, in HTTP and Socket Mode alike: counts it, times it from
 * arrival to its ack (one observe, after the ack is sent), and runs it under a correlation id of its own,
 * so every log line about it (the listener's, the use case's, Bolt's) carries that id, and a failure
 * answered to the person names it (src/slack/answer-failures.ts).
 */
export function meterSlackRequests(app: App, metrics: Metrics): void {
  const handle = app.processEvent.bind(app);
  app.processEvent = (event) => {
    const arrived = performance.now();
    const surface = surfaceOf(event.body);
    metrics.slackRequestReceived(surface);
    let acked = false;
    const ack: typeof event.ack = async (response) => {
      await event.ack(response);
      if (acked) return;
      acked = true;
      metrics.slackRequestAcked(surface, (performance.now() - arrived) / 1000);
    };
    return withCorrelation(newReference(), () => handle({ ...event, ack }));
  };
}

/** The Web API's address when SLACK_API_URL is unset (the Web API client's own default). */
const SLACK_API_URL = "https://slack.com/api/";

/**
 * The Web API clients' fetch (Bolt's and the notifier's): counts each HTTP call to Slack by method, and
 * those Slack answered with 429. Below the client's retries, so each attempt counts. A file's upload to the
 * address Slack handed out is counted as `files.upload`.
 */
export function meteredFetch(
  apiUrl: string | undefined,
  metrics: Metrics,
  send: FetchFunction = keepAliveFetch,
): FetchFunction {
  const url = apiUrl ?? SLACK_API_URL;
  const base = url.endsWith("/") ? url : `${url}/`;
  const methodOf = (url: string) => (url.startsWith(base) ? url.slice(base.length) : "files.upload");
  return async (url, init) => {
    const method = methodOf(String(url));
    try {
      const response = await send(url, init);
      metrics.slackApiCalled(method, response.status === 429);
      return response;
    } catch (error) {
      metrics.slackApiCalled(method, false);
      throw error;
    }
  };
}
