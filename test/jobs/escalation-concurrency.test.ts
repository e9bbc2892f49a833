import { WebClient } from "@slack/web-api";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { escalationJob } from "../../src/jobs/escalation.ts";
import { Poller } from "../../src/jobs/poller.ts";
import { noMetrics } from "../../src/metrics.ts";
import { EMPTY_LIBRARY } from "../../src/runbooks/library.ts";
import { SlackNotifier } from "../../src/slack/notifier.ts";
import { recordFiring } from "../../src/store/alert-firings.ts";
import { connectDatabase } from "../../src/store/connection.ts";
import { openStore, type Store } from "../../src/store/store.ts";
import { TestClock } from "../support/clock.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack/server.ts";

// 300, not 500: each step now also writes its queued pages, and FerretDB v1 scans for every due-step query.
const TIMERS = 300;
const FIRST = "U0FIRST";
const SECOND = "U0SECOND";
const policy = JSON.stringify({
  levels: [
    { afterMinutes: 0, targets: [FIRST] },
    { afterMinutes: 15, targets: [SECOND] },
  ],
});

// Two Firebreak processes on one database: two connections, two pollers, racing for the same due steps.
describe(`two schedulers on one database with ${TIMERS} armed timers`, () => {
  const dbName = `escalation_race_${Date.now()}`;
  const clock = new TestClock("2026-11-23T03:00:00Z");
  const stores: Store[] = [];
  let slack: FakeSlack;

  beforeAll(async () => {
    slack = await startFakeSlack({ clock: () => clock.nowMs() });
    for (const id of [FIRST, SECOND]) slack.addUser({ id });
    for (let i = 0; i < 2; i++) {
      const connection = await connectDatabase(inject("mongoUri"), { autoIndex: true, dbName });
      stores.push(await openStore(connection, "ensure"));
    }
  });
  afterAll(async () => {
    await stores[0]?.connection.dropDatabase();
    for (const store of stores) await store.connection.close();
    await slack.close();
  });

  const scheduler = (store: Store) => {
    const parsed = parseConfig({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: "x",
      ESCALATION_POLICY: policy,
    });
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    const logger = pino({ level: "silent" });
    const notifier = new SlackNotifier(client, { config: parsed.config, clock, logger });
    const context = {
      config: parsed.config,
      store,
      clock,
      logger,
      notifier,
      onCall: async () => undefined,
      runbooks: EMPTY_LIBRARY,
      metrics: noMetrics,
    };
    return {
      poller: new Poller([escalationJob(context)], clock, logger),
      policy: parsed.config.alerts.escalationPolicy,
    };
  };

  it("fires every step exactly once, each queuing its page once", async () => {
    const [a, b] = [scheduler(stores[0] as Store), scheduler(stores[1] as Store)];
    for (let i = 0; i < TIMERS; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          recordFiring(
            (stores[(i + j) % 2] as Store).models,
            {
              source: "generic",
              fingerprint: `timer-${i + j}`,
              status: "firing",
              title: `Timer ${i + j}`,
              severity: "critical",
              service: "race",
              description: "",
              links: [],
              labels: [],
              annotations: [],
            },
            { now: clock.now(), paging: true, policy: a.policy },
          ),
        ),
      );
    }
    await Promise.all([a.poller.tick(), b.poller.tick()]);
    clock.advance(15 * 60_000);
    await Promise.all([a.poller.tick(), b.poller.tick()]);

    // Each fired step queues its page once (the delivery job's own tests cover sending queued work once).
    const pages = await (stores[0] as Store).models.deliveries.find({ kind: "page" }).lean();
    const perAlertAndTarget = new Map<string, number>();
    for (const page of pages) {
      const key = `${String(page.payload.alertId)} → ${page.channel}`;
      perAlertAndTarget.set(key, (perAlertAndTarget.get(key) ?? 0) + 1);
    }
    expect(pages).toHaveLength(2 * TIMERS);
    expect(perAlertAndTarget.size).toBe(2 * TIMERS);
    expect([...perAlertAndTarget.values()].every((count) => count === 1)).toBe(true);
    const fired = await (stores[0] as Store).models.alerts.find({}, { fired: 1 }).lean();
    expect(fired.every((alert) => alert.fired.map((f) => f.step).join() === "0,1")).toBe(true);
  }, 120_000);
});
