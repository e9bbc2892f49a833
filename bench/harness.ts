import { type Config, parseConfig } from "../src/config.ts";
import type { Clock } from "../src/domain/clock.ts";
import { type RunningFirebreak, startFirebreak } from "../src/firebreak.ts";
import { createLogger } from "../src/logger.ts";
import { SLACK_EVENTS_PATH } from "../src/slack/app.ts";
import { type FakeSlack, startFakeSlack } from "../test/support/fake-slack/server.ts";
import { SlackDriver } from "../test/support/slack-driver.ts";

/** The real Firebreak wiring against the fake Slack, on loopback, as each measurement needs it. */

export const SIGNING_SECRET = "bench-signing-secret";
export const WEBHOOK_SECRET = "bench-webhook-secret-0123456789";

/** Things to stop at the end, newest first; each is stopped even when another fails to. */
export class Cleanup {
  private readonly steps: { name: string; stop: () => Promise<void> }[] = [];
  private running: Promise<void> | undefined;

  add(name: string, stop: () => Promise<void>): void {
    this.steps.push({ name, stop });
  }

  /** Stops everything once; a second caller (a signal during the normal ending) waits for the same run. */
  run(): Promise<void> {
    this.running ??= this.stopAll();
    return this.running;
  }

  private async stopAll(): Promise<void> {
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step.stop();
      } catch (error) {
        console.error(`could not stop ${step.name}:`, error);
      }
    }
  }
}

export interface BenchApp {
  firebreak: RunningFirebreak;
  config: Config;
  slack: FakeSlack;
  /** Signed requests into the app's real Slack receiver. */
  send: SlackDriver;
  /** Base URL of the app's HTTP server (webhooks). */
  url: string;
}

export interface BenchAppOptions {
  /** MongoDB URI including the database name. */
  mongodbUri: string;
  /** Operator environment on top of the Slack and database settings. */
  env?: Record<string, string>;
  /** Default: the system clock. The fake Slack follows the same clock. */
  clock?: Clock & { nowMs(): number };
}

/** Starts a fake Slack and Firebreak against it; both are registered with `cleanup` as soon as they run. */
export async function startBenchApp(cleanup: Cleanup, options: BenchAppOptions): Promise<BenchApp> {
  const { clock } = options;
  const slack = await startFakeSlack(clock ? { clock: () => clock.nowMs() } : {});
  cleanup.add("the fake Slack", () => slack.close());
  const parsed = parseConfig({
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    MONGODB_URI: options.mongodbUri,
    PORT: "0",
    NODE_ENV: "test",
    ...options.env,
  });
  if (!parsed.ok) throw new Error(`bench config is invalid:\n${parsed.problems.join("\n")}`);
  const firebreak = await startFirebreak({
    config: parsed.config,
    logger: createLogger("warn"),
    ...(clock && { clock }),
  });
  cleanup.add("Firebreak", () => firebreak.stop(2_000));
  const url = `http://127.0.0.1:${firebreak.port}`;
  return {
    firebreak,
    config: parsed.config,
    slack,
    send: new SlackDriver(`${url}${SLACK_EVENTS_PATH}`, SIGNING_SECRET),
    url,
  };
}

/** A generic alert POSTed to the real webhook endpoint; throws unless it is answered 202. */
export async function postGenericAlert(app: BenchApp, alert: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${app.url}/webhooks/alerts/generic`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${WEBHOOK_SECRET}` },
    body: JSON.stringify(alert),
    signal: AbortSignal.timeout(15_000),
  });
  const body = await response.text();
  if (response.status !== 202) throw new Error(`the alert webhook answered ${response.status}: ${body}`);
}
