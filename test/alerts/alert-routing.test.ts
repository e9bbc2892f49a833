import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlertDriver, WEBHOOK_SECRET } from "../support/alert-driver.ts";
import { eventually } from "../support/eventually.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

describe("alert routing: a critical alert declares an incident, once, and a service can have its own channel", () => {
  let t: TestApp;
  let alerts: AlertDriver;
  beforeAll(async () => {
    const routing = { services: { search: { severities: { medium: { channel: "C0SEARCH" } } } } };
    t = await startTestApp({
      env: {
        ALERTS_CHANNEL: "C0ALERTS",
        ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
        ALERT_ROUTING: JSON.stringify(routing),
      },
    });
    alerts = new AlertDriver(t);
    for (const id of ["C0ALERTS", "C0SEARCH"])
      t.slack.addChannel({ id, name: id.toLowerCase(), members: [t.slack.state.bot.user_id] });
  });
  afterAll(() => t.stop());

  it("declares a SEV1 for a critical alert, links it, and does not declare again on a repeat", async () => {
    await alerts.fire("db-down", {
      title: "Primary database unreachable",
      severity: "critical",
      service: "db",
    });
    await alerts.fire("db-down", {
      title: "Primary database unreachable",
      severity: "critical",
      service: "db",
    });
    await alerts.deliver();
    const incident = await eventually(
      () =>
        t.firebreak.store.models.incidents
          .findOne({ title: "Primary database unreachable" })
          .lean()
          .then((i) => i ?? undefined),
      "the declared incident",
    );
    expect(incident).toMatchObject({ severity: "sev1", affectedServices: ["db"] });
    expect(incident.roles?.commander).toBeUndefined();
    expect(incident.channelId).toMatch(/^C/);
    expect(await t.firebreak.store.models.incidents.countDocuments()).toBe(1);
    const alert = await t.firebreak.store.models.alerts.findOne({ fingerprint: "db-down" }).lean();
    expect(alert?.incidentNumber).toBe(incident.number);
    expect(t.slack.callsTo("conversations.create")).toHaveLength(1);
  });

  it("posts a service's alert in that service's channel", async () => {
    await alerts.fire("search-slow", { title: "Search is slow", severity: "medium", service: "search" });
    await alerts.deliver();
    const posted = t.slack.callsTo("chat.postMessage").filter((c) => c.ok && c.args.channel === "C0SEARCH");
    expect(posted).toHaveLength(1);
    expect(posted[0]?.args.text).toContain("Search is slow");
  });
});
