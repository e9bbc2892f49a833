import { WebClient } from "@slack/web-api";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertDeliveryHandlers } from "../../src/alerts/deliveries.ts";
import { parseConfig } from "../../src/config.ts";
import { DeliveryJob } from "../../src/jobs/deliveries.ts";
import { escalationJob } from "../../src/jobs/escalation.ts";
import { noMetrics } from "../../src/metrics.ts";
import { EMPTY_LIBRARY } from "../../src/runbooks/library.ts";
import { SlackNotifier } from "../../src/slack/notifier.ts";
import { recordFiring } from "../../src/store/alert-firings.ts";
import type { Alert } from "../../src/store/alerts.ts";
import { claimOnce } from "../../src/store/claims.ts";
import { TestClock } from "../support/clock.ts";
import { useTestDatabase } from "../support/database.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack/server.ts";

const GROUP = "S0RESPONDERS";
const MEMBERS = ["U0GROUPA", "U0GROUPB"];

describe("escalation steps whose owner died, and user-group targets", () => {
  const db = useTestDatabase();
  const clock = new TestClock("2026-11-23T02:00:00Z");
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await startFakeSlack({ clock: () => clock.nowMs() });
    for (const id of MEMBERS) slack.addUser({ id });
    slack.addUserGroup({ id: GROUP, handle: "responders", users: MEMBERS });
  });
  afterAll(() => slack.close());

  const setup = () => {
    const parsed = parseConfig({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: "x",
      ESCALATION_POLICY: JSON.stringify({ levels: [{ afterMinutes: 0, targets: [GROUP] }] }),
    });
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    const logger = pino({ level: "silent" });
    const context = {
      config: parsed.config,
      store: db.store(),
      clock,
      logger,
      notifier: new SlackNotifier(client, { config: parsed.config, clock, logger }),
      onCall: async () => undefined,
      runbooks: EMPTY_LIBRARY,
      metrics: noMetrics,
    };
    // The escalation job queues the pages; the delivery job sends them.
    const escalation = escalationJob(context);
    const deliveries = new DeliveryJob({
      store: db.store(),
      clock,
      logger,
      handlers: alertDeliveryHandlers(context),
    });
    const job = {
      runDue: async (now: Date) => {
        await escalation.runDue(now);
        await deliveries.runDue(now);
      },
    };
    return { job, policy: parsed.config.alerts.escalationPolicy };
  };
  const arm = async (fingerprint: string, policy: Alert["policy"]) => {
    const outcome = await recordFiring(
      db.store().models,
      {
        source: "generic",
        fingerprint,
        status: "firing",
        title: fingerprint,
        severity: "critical",
        service: "x",
        description: "",
        links: [],
        labels: [],
        annotations: [],
      },
      { now: clock.now(), paging: true, policy },
    );
    if (outcome.kind !== "opened") throw new Error(`expected a new alert, got ${outcome.kind}`);
    return outcome.alert;
  };
  const pagesFor = (title: string) =>
    slack.callsTo("chat.postMessage").filter((c) => c.ok && JSON.stringify(c.args.blocks).includes(title));

  it("pages every member of a user group target", async () => {
    const { job, policy } = setup();
    await arm("group-page", policy);
    await job.runDue(clock.now());
    expect(
      pagesFor("group-page")
        .map((c) => c.args.channel)
        .sort(),
    ).toEqual([...MEMBERS].sort());
  });

  it("leaves a step alone while its owner's lease runs, and takes it over once the lease has run out", async () => {
    const { job, policy } = setup();
    const alert = await arm("orphaned", policy);
    // Another process claimed step 0 and died before paging: its lease is a minute long.
    await claimOnce(db.store().models, `alert-step:${alert.id}:0`, { leaseUntil: clock.nowMs() + 60_000 });
    await job.runDue(clock.now());
    expect(pagesFor("orphaned")).toHaveLength(0);
    clock.advance(61_000);
    await job.runDue(clock.now());
    expect(pagesFor("orphaned")).toHaveLength(MEMBERS.length);
    await job.runDue(clock.now());
    expect(pagesFor("orphaned")).toHaveLength(MEMBERS.length);
  });
});
