import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signBody } from "../../src/http/alert-webhooks.ts";
import { DECLARE_BLOCKS } from "../../src/slack/views/declare-modal.ts";
import { createSchedule } from "../../src/store/schedules.ts";
import { AlertDriver, WEBHOOK_SECRET } from "../support/alert-driver.ts";
import { eventually } from "../support/eventually.ts";
import { IncidentDriver, option, text } from "../support/incident-driver.ts";
import { TEAM } from "../support/slack-driver.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const ON_CALL = { id: "U0ONCALL", name: "oncall" };

// Alertmanager's webhook_config body, version 4 (prometheus.io/docs/alerting/latest/configuration/#webhook_config).
const alertmanager = (status: "firing" | "resolved") => ({
  version: "4",
  groupKey: '{}:{alertname="KubePodCrashLooping"}',
  truncatedAlerts: 0,
  status,
  receiver: "firebreak",
  groupLabels: { alertname: "KubePodCrashLooping" },
  commonLabels: { alertname: "KubePodCrashLooping", severity: "critical" },
  commonAnnotations: {},
  externalURL: "http://alertmanager.example.com:9093",
  alerts: ["checkout", "payments"].map((app, i) => ({
    status,
    labels: { alertname: "KubePodCrashLooping", severity: "critical", "app.kubernetes.io/name": app },
    annotations: { summary: `${app} is crash looping` },
    startsAt: "2026-11-23T08:59:00Z",
    endsAt: status === "resolved" ? "2026-11-23T09:20:00Z" : "0001-01-01T00:00:00Z",
    generatorURL: "http://prometheus.example.com:9090/graph?g0.expr=up",
    fingerprint: `am-${i}`,
  })),
});

// Grafana's webhook contact point body (grafana.com/docs/grafana/latest/alerting/.../webhook-notifier/).
const grafana = {
  receiver: "Firebreak",
  status: "firing",
  orgId: 1,
  alerts: [
    {
      status: "firing",
      labels: { alertname: "High memory usage", severity: "major", service: "search" },
      annotations: { summary: "Memory above 90%" },
      startsAt: "2026-11-23T08:58:00Z",
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "https://grafana.example.com/alerting/grafana/1afz29v7z/view",
      fingerprint: "gf-1",
      silenceURL: "https://grafana.example.com/alerting/silence/new",
      dashboardURL: "",
      panelURL: "",
    },
  ],
  groupLabels: {},
  commonLabels: {},
  commonAnnotations: {},
  externalURL: "https://grafana.example.com/",
  version: "1",
  groupKey: '{}:{alertname="High memory usage"}',
  truncatedAlerts: 0,
  title: "[FIRING:1] High memory usage",
  state: "alerting",
  message: "Memory above 90%",
};

describe("alerts from Alertmanager and Grafana through the real webhook, database and fake Slack", () => {
  let t: TestApp;
  let alerts: AlertDriver;
  beforeAll(async () => {
    // No ESCALATION_POLICY: the seeds' default pages whoever is on call for the schedule named "primary".
    t = await startTestApp({ env: { ALERTS_CHANNEL: "C0ALERTS", ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET } });
    alerts = new AlertDriver(t);
    t.slack.addUser(ON_CALL);
    t.slack.addChannel({ id: "C0ALERTS", name: "alerts", members: [t.slack.state.bot.user_id] });
    const created = await createSchedule(t.firebreak.store.models, {
      workspaceId: TEAM.id,
      name: "Primary",
      timeZone: "Europe/London",
      members: [ON_CALL.id],
      handoff: { weekday: 1, time: "09:00" },
      startsAt: new Date("2026-11-01T00:00:00Z"),
      createdBy: ON_CALL.id,
      createdAt: new Date("2026-11-01T00:00:00Z"),
    });
    expect(created.ok).toBe(true);
  });
  afterAll(() => t.stop());

  const alertPosts = () =>
    t.slack
      .callsTo("chat.postMessage")
      .filter((c) => c.ok && c.args.channel === "C0ALERTS" && !c.args.thread_ts);
  const count = () => t.firebreak.store.models.alerts.countDocuments();

  it("posts one message per Alertmanager alert and pages the primary on-call person", async () => {
    expect((await alerts.webhook("alertmanager", alertmanager("firing"))).status).toBe(202);
    await alerts.deliver();
    expect(alertPosts()).toHaveLength(2);
    expect(alertPosts().map((c) => c.args.text)).toEqual([
      expect.stringContaining("checkout is crash looping"),
      expect.stringContaining("payments is crash looping"),
    ]);
    expect(alerts.pagesTo(ON_CALL.id)).toHaveLength(2);
  });

  it("edits those messages on a repeat, and on resolution stops their timers", async () => {
    const updatesBefore = t.slack.callsTo("chat.update").length;
    await alerts.webhook("alertmanager", alertmanager("firing"));
    await alerts.deliver();
    expect(alertPosts()).toHaveLength(2);
    expect(t.slack.callsTo("chat.update").length).toBeGreaterThanOrEqual(updatesBefore + 2);
    await alerts.webhook("alertmanager", alertmanager("resolved"));
    await alerts.deliver();
    const stored = await t.firebreak.store.models.alerts.find({ source: "alertmanager" }).lean();
    expect(stored.map((a) => [a.fireCount, a.state, a.nextDueAt])).toEqual([
      [2, "resolved", undefined],
      [2, "resolved", undefined],
    ]);
    const messages = t.slack.state.messages.C0ALERTS ?? [];
    const shown = stored.map((a) => messages.find((m) => m.ts === a.message?.ts)?.text ?? "");
    expect(shown).toEqual([
      expect.stringContaining("Resolved by alertmanager"),
      expect.stringContaining("Resolved by alertmanager"),
    ]);
  });

  it("posts one message for a Grafana alert, with its labels kept whatever their keys", async () => {
    expect((await alerts.webhook("grafana", grafana)).status).toBe(202);
    await alerts.deliver();
    expect(alertPosts()).toHaveLength(3);
    const stored = await t.firebreak.store.models.alerts.findOne({ source: "grafana" }).lean();
    expect(stored?.labels).toEqual(expect.arrayContaining([{ name: "service", value: "search" }]));
    const am = await t.firebreak.store.models.alerts.findOne({ fingerprint: "am-0" }).lean();
    expect(am?.labels).toEqual(
      expect.arrayContaining([{ name: "app.kubernetes.io/name", value: "checkout" }]),
    );
  });

  it("refuses bad webhook calls and leaves no trace in the database or in Slack", async () => {
    const [before, posts] = [await count(), alertPosts().length];
    const url = `${t.url}/webhooks/alerts/generic`;
    const json = { "content-type": "application/json" };
    const good = JSON.stringify({ title: "x", severity: "high", service: "y" });
    const answers = await Promise.all([
      fetch(url, { method: "POST", headers: json, body: good }),
      fetch(url, {
        method: "POST",
        headers: { ...json, authorization: "Bearer wrong-secret-0123456789" },
        body: good,
      }),
      fetch(url, {
        method: "POST",
        headers: { ...json, authorization: `Bearer ${WEBHOOK_SECRET}` },
        body: "{not json",
      }),
      fetch(url, {
        method: "POST",
        headers: { ...json, authorization: `Bearer ${WEBHOOK_SECRET}` },
        body: JSON.stringify({ title: 42, severity: "loud" }),
      }),
      fetch(url, {
        method: "POST",
        headers: { ...json, "x-firebreak-signature": signBody(WEBHOOK_SECRET, "x".repeat(1024 * 1024)) },
        body: "x".repeat(1024 * 1024),
      }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([401, 401, 400, 400, 413]);
    expect(await count()).toBe(before);
    expect(alertPosts()).toHaveLength(posts);
  });

  it("declares an incident from an alert's button, pre-filled, and links the two", async () => {
    await alerts.fire("declare-me", { title: "Checkout 500s", severity: "high" });
    await alerts.deliver();
    const alert = await t.firebreak.store.models.alerts.findOne({ fingerprint: "declare-me" }).lean();
    const alertId = String(alert?._id);
    const triggerBefore = t.slack.callsTo("views.open").length;
    await alerts.click(ON_CALL, "declareIncident", alertId, "alert-declare");
    const opened = await eventually(() => t.slack.callsTo("views.open")[triggerBefore], "the declare modal");
    expect(JSON.stringify(opened.args.view)).toContain("Checkout 500s");
    const drive = new IncidentDriver(t);
    const modal = await drive.modalOpenedBy(String(opened.args.trigger_id));
    await drive.submit(ON_CALL, modal, {
      [DECLARE_BLOCKS.title]: { [DECLARE_BLOCKS.title]: text("Checkout 500s") },
      [DECLARE_BLOCKS.severity]: { [DECLARE_BLOCKS.severity]: option("sev2") },
    });
    const linked = await eventually(async () => {
      const current = await t.firebreak.store.models.alerts.findById(alertId).lean();
      return current?.incidentNumber;
    }, "the alert to be linked");
    const declared = await t.firebreak.store.models.incidents.findOne({ title: "Checkout 500s" }).lean();
    expect(linked).toBe(declared?.number);
    // The link queues a refresh of the alert's message: run due work until it shows.
    const message = await eventually(async () => {
      await alerts.deliver();
      return (t.slack.state.messages.C0ALERTS ?? []).find(
        (m) => m.ts === alert?.message?.ts && m.text?.includes(`INC-${linked}`),
      );
    }, "the alert message to show its incident");
    expect(JSON.stringify(message?.blocks)).not.toContain("alert_declare_incident");
  });
});
