import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { inject } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { type RunningFirebreak, startFirebreak } from "../../src/firebreak.ts";
import { createLogger } from "../../src/logger.ts";
import { SLACK_EVENTS_PATH } from "../../src/slack/app.ts";
import { TestClock } from "./clock.ts";
import { withDatabaseName } from "./database.ts";
import { type FakeSlack, startFakeSlack } from "./fake-slack/server.ts";
import { SlackDriver, TEAM } from "./slack-driver.ts";

export const TEST_SIGNING_SECRET = "test-signing-secret-0123456789abcdef";

export interface TestAppOptions {
  /** Reuse a database across app restarts; a fresh one by default. */
  dbName?: string;
  /** Extra environment, as an operator would set it (for example INCIDENTS_CHANNEL). */
  env?: Record<string, string>;
  clock?: TestClock;
  /** Share one fake Slack across restarts of the app; a new one by default. */
  slack?: FakeSlack;
  /** Run the app's own embedded FerretDB with its files here (no MONGODB_URI), e.g. to kill it in a test. */
  embeddedDataDir?: string;
}

export interface TestApp {
  firebreak: RunningFirebreak;
  slack: FakeSlack;
  /** Signed requests into the app's real HTTP receiver. */
  send: SlackDriver;
  clock: TestClock;
  /** Base URL of the app's HTTP server (health, webhooks). */
  url: string;
  dbName: string;
  /** Every JSON log line the app wrote, parsed, for assertions about logging. */
  logs: Record<string, unknown>[];
  /** Stops the app (and the fake Slack it started); drops the database unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** Like a load balancer: the app counts as started once /readyz says so (database and Slack token checked). */
async function waitUntilReady(url: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    if ((await fetch(`${url}/readyz`)).status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the test app at ${url} never became ready`);
}

/** Boots the real Firebreak wiring against the run's database and a fake Slack, on a random port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const clock = options.clock ?? new TestClock();
  // The fake reads the same clock, so trigger_id expiry and message timestamps follow the test's time.
  const slack =
    options.slack ??
    (await startFakeSlack({ clock: () => clock.nowMs(), workspace: { id: TEAM.id, domain: TEAM.domain } }));
  const dbName = options.dbName ?? `app_${randomBytes(6).toString("hex")}`;
  const parsed = parseConfig({
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    ...(options.embeddedDataDir
      ? { DATA_DIR: options.embeddedDataDir, EMBEDDED_DB: "ferretdb" }
      : { MONGODB_URI: withDatabaseName(inject("mongoUri"), dbName) }),
    PORT: "0",
    LOG_LEVEL: "info",
    NODE_ENV: "test",
    ...options.env,
  });
  if (!parsed.ok) throw new Error(`test config is invalid:\n${parsed.problems.join("\n")}`);
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n")) if (line.trim()) logs.push(JSON.parse(line));
      done();
    },
  });
  const firebreak = await startFirebreak({
    config: parsed.config,
    logger: createLogger("info", sink),
    clock,
  });
  const url = `http://127.0.0.1:${firebreak.port}`;
  await waitUntilReady(url);
  return {
    firebreak,
    slack,
    send: new SlackDriver(`${url}${SLACK_EVENTS_PATH}`, TEST_SIGNING_SECRET),
    clock,
    url,
    dbName,
    logs,
    stop: async ({ keepData = false } = {}) => {
      if (!keepData) await firebreak.store.connection.dropDatabase();
      await firebreak.stop(2_000);
      if (!options.slack) await slack.close();
    },
  };
}
