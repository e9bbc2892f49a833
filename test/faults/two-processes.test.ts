import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { SLACK_EVENTS_PATH } from "../../src/slack/app.ts";
import { AlertDriver, alertmanagerBatch, WEBHOOK_SECRET } from "../support/alert-driver.ts";
import { runFirebreak, waitForLog } from "../support/app-process.ts";
import { TestClock } from "../support/clock.ts";
import { withDatabaseName } from "../support/database.ts";
import { alice, INCIDENTS, kickoffsIn } from "../support/incident-e2e.ts";
import { SlackDriver } from "../support/slack-driver.ts";
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from "../support/test-app.ts";

// Two Firebreak processes on one database, as behind a load balancer: this test's app (A) and a real
// child process (B) started like `npm start`. A child, not a second app in this process, because the
// store keeps per-process state (the in-process write serialiser, the hint of alerts opened here) that
// two apps in one process would share, hiding the races two processes have. B runs on the wall clock and
// polls by itself every second; A's clock is kept at the wall clock and A polls when the test says.

const L1 = "U0LEVEL1";
const ALERTS = "C0ALERTS";
const NAMES = ["CpuHigh", "DiskFull", "QueueStuck", "TlsExpiring"];

const env = {
  ALERTS_CHANNEL: ALERTS,
  INCIDENTS_CHANNEL: INCIDENTS,
  ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
  ESCALATION_POLICY: JSON.stringify({ levels: [{ afterMinutes: 0, targets: [L1] }] }),
};

/** Alertmanager's webhook body carrying one firing alert per name. */
const batch = (names: readonly string[]) =>
  alertmanagerBatch(names.map((name) => ({ name, severity: "high", service: "api" })));

/** Waits in real time (B works on its own clock) until `probe` holds. */
async function until(probe: () => Promise<boolean> | boolean, what: string, limitMs = 60_000) {
  const deadline = Date.now() + limitMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("two Firebreak processes on one database", () => {
  let a: TestApp;
  let b: ChildProcess;
  let bUrl = "";
  beforeAll(async () => {
    a = await startTestApp({ clock: new TestClock(new Date()), env });
    await a.firebreak.poller.stop();
    a.slack.addUser(alice);
    a.slack.addUser({ id: L1 });
    const bot = a.slack.state.bot.user_id;
    a.slack.addChannel({ id: ALERTS, name: "alerts", members: [bot] });
    a.slack.addChannel({ id: INCIDENTS, name: "incidents", members: [bot] });
    const started = runFirebreak({
      SLACK_BOT_TOKEN: a.slack.botToken,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: a.slack.apiUrl,
      MONGODB_URI: withDatabaseName(inject("mongoUri"), a.dbName),
      PORT: "0",
      LOG_LEVEL: "info",
      NODE_ENV: "test",
      ...env,
    });
    b = started.child;
    const listening = await waitForLog(started.output, /Firebreak is listening/, 60_000);
    bUrl = `http://127.0.0.1:${JSON.parse(listening).port}`;
    await until(async () => (await fetch(`${bUrl}/readyz`)).status === 200, "process B to be ready");
  }, 120_000);
  afterAll(async () => {
    if (b && b.exitCode === null) {
      const exited = new Promise((done) => b.once("exit", done));
      b.kill("SIGTERM");
      await exited;
    }
    await a?.stop();
  });

  /** A's pass at the wall clock's now, as B's own passes run. */
  const passOfA = async () => {
    a.clock.advance(Math.max(0, Date.now() - a.clock.nowMs()));
    await a.firebreak.poller.tick();
  };
  const queueEmpty = async () => {
    await passOfA();
    return (await a.firebreak.store.models.deliveries.countDocuments()) === 0;
  };

  it("stores, posts and pages each alert once when the sender retries a batch on both", async () => {
    const alertsA = new AlertDriver(a);
    const alertsB = new AlertDriver({ ...a, url: bUrl });
    // The batch delivered three times to each process, all at once: a sender retrying after timeouts.
    const answers = await Promise.all(
      [alertsA, alertsB, alertsA, alertsB, alertsA, alertsB].map((driver) =>
        driver.webhook("alertmanager", batch(NAMES)),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 202, 202]);

    await until(queueEmpty, "both processes to empty the delivery queue");
    for (const name of NAMES) {
      const stored = await a.firebreak.store.models.alerts.find({ fingerprint: name }).lean();
      expect(stored, name).toHaveLength(1);
      expect(stored[0]?.fired.map((f) => f.step)).toEqual([0]);
      const posts = a.slack
        .callsToChannel("chat.postMessage", ALERTS)
        .filter((c) => c.ok && !c.args.thread_ts && String(c.args.text).includes(`${name} on api`));
      expect(posts, `posts of ${name}`).toHaveLength(1);
      const pages = alertsA.pagesTo(L1).filter((c) => String(c.args.text).includes(name));
      expect(pages, `pages for ${name}`).toHaveLength(1);
    }
  }, 90_000);

  it("declares once when the same slash command reaches both processes (and Slack retries it)", async () => {
    const command = {
      command: "/incident",
      text: "declare sev2 Payments are failing",
      user: alice,
      channelId: "C0GENERAL",
      responseUrl: a.slack.responseUrl("declare-twice"),
      triggerId: a.slack.newTriggerId(alice.id),
    };
    const toB = new SlackDriver(`${bUrl}${SLACK_EVENTS_PATH}`, TEST_SIGNING_SECRET);
    const acks = await Promise.all([
      a.send.slashCommand(command),
      toB.slashCommand(command),
      toB.slashCommand(command, { retry: { num: 1, reason: "http_timeout" } }),
    ]);
    expect(acks.map((ack) => ack.status)).toEqual([200, 200, 200]);

    // Every delivery is answered: one says declared, the others that it already was.
    const answers = () =>
      a.slack.responses
        .filter((r) => r.id === "declare-twice")
        .map((r) => String((r.body as { text?: unknown }).text));
    await until(() => answers().filter((text) => /INC-1/.test(text)).length >= 3, "three answers");
    expect(answers().filter((text) => text.startsWith(":rotating_light: INC-1 declared: <#"))).toHaveLength(
      1,
    );
    await until(queueEmpty, "both processes to empty the delivery queue");

    expect(await a.firebreak.store.models.incidents.countDocuments()).toBe(1);
    const channels = Object.values(a.slack.state.channels).filter((c) => c.name?.startsWith("inc-1-"));
    expect(channels).toHaveLength(1);
    expect(a.slack.callsTo("conversations.create").filter((c) => c.ok)).toHaveLength(1);
    expect(kickoffsIn(a, channels[0]?.id ?? "")).toHaveLength(1);
    const announcements = (a.slack.state.messages[INCIDENTS] ?? []).filter((m) => m.text?.includes("INC-1"));
    expect(announcements).toHaveLength(1);
  }, 90_000);
});
