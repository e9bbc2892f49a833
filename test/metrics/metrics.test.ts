import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { PrometheusMetrics } from "../../src/prometheus/metrics.ts";
import { AlertDriver, WEBHOOK_SECRET } from "../support/alert-driver.ts";
import { IncidentDriver } from "../support/incident-driver.ts";
import { parseExposition, type Sample, sampleValue } from "../support/prometheus-text.ts";
import { appHomeOpened } from "../support/slack-payloads.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const L1 = { id: "U0LEVEL1", name: "primary" };
const L2 = { id: "U0LEVEL2", name: "secondary" };
const alice = { id: "U0ALICE", name: "alice" };
const POLICY = JSON.stringify({
  levels: [
    { afterMinutes: 0, targets: [L1.id] },
    { afterMinutes: 15, targets: [L2.id] },
  ],
});
const MINUTE = 60_000;

describe("GET /metrics", () => {
  let t: TestApp;
  let alerts: AlertDriver;
  let drive: IncidentDriver;
  beforeAll(async () => {
    t = await startTestApp({
      env: { ALERTS_CHANNEL: "C0ALERTS", ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET, ESCALATION_POLICY: POLICY },
    });
    alerts = new AlertDriver(t);
    drive = new IncidentDriver(t);
    for (const person of [L1, L2, alice]) t.slack.addUser(person);
    t.slack.addChannel({ id: "C0ALERTS", name: "alerts", members: [t.slack.state.bot.user_id] });
  });
  afterAll(() => t.stop());

  const scrape = async (): Promise<Sample[]> => {
    const response = await fetch(`${t.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(await response.text());
  };
  /** How much each named figure moved while `work` ran. */
  const moved = async (
    work: () => Promise<unknown>,
    figures: Record<string, [string, Record<string, string>]>,
  ) => {
    const before = await scrape();
    await work();
    const after = await scrape();
    return Object.fromEntries(
      Object.entries(figures).map(([key, [name, labels]]) => [
        key,
        sampleValue(after, name, labels) - sampleValue(before, name, labels),
      ]),
    );
  };

  it("serves Firebreak's metrics and the process' default ones from this app's own registry", async () => {
    const samples = await scrape();
    const names = new Set(samples.map((s) => s.name));
    expect(names).toContain("process_cpu_user_seconds_total");
    expect(names).toContain("nodejs_heap_size_used_bytes");
    // Gauges read at the scrape exist from the start, at zero.
    expect(sampleValue(samples, "firebreak_incidents_open", { severity: "sev1" })).toBe(0);
    expect(sampleValue(samples, "firebreak_due_work", { queue: "deliveries" })).toBe(0);
  });

  it("counts requests by surface and times each to its ack", async () => {
    const surfaces = ["slash_command", "block_action", "event"];
    const figures = Object.fromEntries(
      surfaces.flatMap((surface) => [
        [`${surface} requests`, ["firebreak_slack_requests_total", { surface }]],
        [`${surface} acks`, ["firebreak_slack_ack_seconds_count", { surface }]],
        [`${surface} acks by +Inf`, ["firebreak_slack_ack_seconds_bucket", { surface, le: "+Inf" }]],
      ]),
    ) as Record<string, [string, Record<string, string>]>;
    const change = await moved(async () => {
      await drive.incident(alice, "help");
      // A click on a button of a message the app no longer knows is still acked.
      expect((await alerts.click(alice, "acknowledge", "000000000000000000000000", "stale")).status).toBe(
        200,
      );
      expect((await t.send.event(appHomeOpened({ user: alice.id }))).status).toBe(200);
    }, figures);
    expect(change).toEqual(Object.fromEntries(Object.keys(figures).map((key) => [key, 1])));
    const samples = await scrape();
    expect(sampleValue(samples, "firebreak_slack_requests_total", { surface: "view_submission" })).toBe(0);
  });

  it("counts alerts received and deduplicated, and the first level paged on time", async () => {
    const change = await moved(
      async () => {
        expect((await alerts.fire("disk-full")).status).toBe(202);
        expect((await alerts.fire("disk-full")).status).toBe(202);
        // The first level is due at once: the intake fires it and queues its pages.
        await alerts.deliver();
      },
      {
        received: ["firebreak_alerts_received_total", { source: "generic" }],
        deduplicated: ["firebreak_alerts_deduplicated_total", { source: "generic" }],
        paged: ["firebreak_alerts_paged_total", { source: "generic" }],
        fired: ["firebreak_escalation_lateness_seconds_count", {}],
        onTime: ["firebreak_escalation_lateness_seconds_bucket", { le: "0.1" }],
      },
    );
    expect(change).toEqual({ received: 2, deduplicated: 1, paged: 1, fired: 1, onTime: 1 });
    // Nothing due is left undone once the queue is worked.
    const done = await scrape();
    expect(sampleValue(done, "firebreak_due_work", { queue: "escalations" })).toBe(0);
    expect(sampleValue(done, "firebreak_due_work", { queue: "deliveries" })).toBe(0);
  });

  it("measures an escalation step's lateness on the database's clock", async () => {
    // L2 is due 15 minutes after the first firing; the timer first looks 20 minutes after it.
    const alert = await t.firebreak.store.models.alerts.findOne({ fingerprint: "disk-full" }).lean();
    const firstFiredAt = alert?.firstFiredAt.getTime() ?? expect.fail("no alert disk-full");
    const change = await moved(
      async () => {
        t.clock.set(new Date(firstFiredAt + 20 * MINUTE));
        await t.firebreak.poller.tick();
      },
      {
        fired: ["firebreak_escalation_lateness_seconds_count", {}],
        lateSeconds: ["firebreak_escalation_lateness_seconds_sum", {}],
        within1m: ["firebreak_escalation_lateness_seconds_bucket", { le: "60" }],
        within5m: ["firebreak_escalation_lateness_seconds_bucket", { le: "300" }],
        paged: ["firebreak_alerts_paged_total", { source: "generic" }],
      },
    );
    expect(change).toEqual({ fired: 1, lateSeconds: 300, within1m: 0, within5m: 1, paged: 1 });
    await alerts.deliver();
  });

  it("counts Slack API calls and 429s by method", async () => {
    t.slack.failNext("chat.postMessage", { status429RetryAfter: 1 });
    const postsBefore = t.slack.callsTo("chat.postMessage").length;
    const change = await moved(
      async () => {
        expect((await alerts.fire("cpu-hot")).status).toBe(202);
        await alerts.deliver();
      },
      {
        posts: ["firebreak_slack_api_calls_total", { method: "chat.postMessage" }],
        limited: ["firebreak_slack_api_rate_limited_total", { method: "chat.postMessage" }],
        limitedUpdates: ["firebreak_slack_api_rate_limited_total", { method: "chat.update" }],
      },
    );
    expect(change.limited).toBe(1);
    expect(change.limitedUpdates).toBe(0);
    // Every call the fake saw is counted once, the refused one and its retry included.
    expect(change.posts).toBe(t.slack.callsTo("chat.postMessage").length - postsBefore);
    expect(change.posts).toBeGreaterThan(1);
  });

  it("counts open incidents by severity, read from the live set at the scrape", async () => {
    const change = await moved(
      async () => {
        const { responseId } = await drive.incident(alice, "declare sev2 Checkout is failing");
        await drive.answer(responseId, /declared/);
      },
      {
        sev2: ["firebreak_incidents_open", { severity: "sev2" }],
        sev3: ["firebreak_incidents_open", { severity: "sev3" }],
      },
    );
    expect(change).toEqual({ sev2: 1, sev3: 0 });
    // The critical alerts above each declared a SEV1 (the seeds' routing).
    expect(sampleValue(await scrape(), "firebreak_incidents_open", { severity: "sev1" })).toBe(
      await t.firebreak.store.models.incidents.countDocuments({ severity: "sev1" }),
    );
  });

  it("counts a command the database fails, and not a unique-key refusal (how claims work)", async () => {
    const db = t.firebreak.store.connection.db;
    if (!db) throw new Error("no database handle");
    const change = await moved(
      async () => {
        await expect(db.command({ firebreakNoSuchCommand: 1 })).rejects.toThrow();
        const claims = db.collection("claims");
        await claims.insertOne({ _id: "metrics-test" } as never);
        await expect(claims.insertOne({ _id: "metrics-test" } as never)).rejects.toThrow(
          /duplicate|E11000|UNIQUE/i,
        );
      },
      {
        failed: ["firebreak_database_errors_total", { command: "firebreakNoSuchCommand" }],
        inserts: ["firebreak_database_errors_total", { command: "insert" }],
      },
    );
    expect(change).toEqual({ failed: 1, inserts: 0 });
  });
});

describe("one registry per app", () => {
  it("keeps two apps' figures apart in one process", async () => {
    const reads = { openIncidents: async () => ({ sev1: 2 }), dueWork: async () => ({ deliveries: 0 }) };
    const logger = createLogger("silent");
    const a = new PrometheusMetrics(reads, logger);
    const b = new PrometheusMetrics({ ...reads, openIncidents: async () => ({ sev1: 5 }) }, logger);
    a.alertReceived("grafana");
    a.alertReceived("grafana");
    b.alertReceived("grafana");
    const [inA, inB] = await Promise.all([a.scrape(), b.scrape()]).then((all) =>
      all.map((s) => parseExposition(s.body)),
    );
    expect(sampleValue(inA ?? [], "firebreak_alerts_received_total", { source: "grafana" })).toBe(2);
    expect(sampleValue(inB ?? [], "firebreak_alerts_received_total", { source: "grafana" })).toBe(1);
    expect(sampleValue(inB ?? [], "firebreak_incidents_open", { severity: "sev1" })).toBe(5);
  });

  it("leaves a gauge out of the scrape, and still answers, when the database cannot be read", async () => {
    const metrics = new PrometheusMetrics(
      {
        openIncidents: async () => {
          throw new Error("database down");
        },
        dueWork: async () => ({ deliveries: 3 }),
      },
      createLogger("silent"),
    );
    const samples = parseExposition((await metrics.scrape()).body);
    expect(samples.filter((s) => s.name === "firebreak_incidents_open")).toEqual([]);
    expect(sampleValue(samples, "firebreak_due_work", { queue: "deliveries" })).toBe(3);
  });
});
