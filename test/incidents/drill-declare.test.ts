import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DECLARE_FROM_MESSAGE_SHORTCUT, DECLARE_SHORTCUT } from "../../src/slack/shortcuts/declare.ts";
import { DECLARE_BLOCKS, DRILL_OPTION_VALUE } from "../../src/slack/views/declare-modal.ts";
import { AlertDriver, WEBHOOK_SECRET } from "../support/alert-driver.ts";
import { eventually } from "../support/eventually.ts";
import type { View } from "../support/fake-slack/state.ts";
import { checked, IncidentDriver, option, text } from "../support/incident-driver.ts";
import { alice, waitForChannelOf, waitForIncident } from "../support/incident-e2e.ts";
import { globalShortcut, messageShortcut } from "../support/slack-payloads.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

// Where a drill may be declared from, through the real receiver and database: the declare form opened by
// either shortcut has the Drill box and declares a drill with it; the form opened from an alert has none,
// and a forged Drill value on it is not taken: an alert is never practice.

const ALERTS = "C0ALERTS";

describe("declaring a drill", () => {
  let t: TestApp;
  let drive: IncidentDriver;
  beforeAll(async () => {
    t = await startTestApp({ env: { ALERTS_CHANNEL: ALERTS, ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET } });
    t.slack.addUser(alice);
    t.slack.addChannel({ id: ALERTS, name: "alerts", members: [t.slack.state.bot.user_id] });
    drive = new IncidentDriver(t);
  });
  afterAll(() => t.stop());

  const blockIds = (view: View) => (view.blocks as { block_id?: string }[]).map((b) => b.block_id);
  const form = (title: string, drill: boolean) => ({
    [DECLARE_BLOCKS.title]: { [DECLARE_BLOCKS.title]: text(title) },
    [DECLARE_BLOCKS.severity]: { [DECLARE_BLOCKS.severity]: option("sev3") },
    ...(drill && { [DECLARE_BLOCKS.drill]: { [DECLARE_BLOCKS.drill]: checked(DRILL_OPTION_VALUE) } }),
  });

  it("works from the global shortcut's form: its Drill box declares a drill", async () => {
    const triggerId = t.slack.newTriggerId(alice.id);
    await t.send.interaction(globalShortcut({ user: alice, callbackId: DECLARE_SHORTCUT, triggerId }));
    const modal = await drive.modalOpenedBy(triggerId);
    expect(blockIds(modal)).toContain(DECLARE_BLOCKS.drill);
    await drive.submit(alice, modal, form("Practice: search is slow", true));
    const incident = await waitForIncident(t, 1);
    expect(incident.drill).toBe(true);
    expect(t.slack.state.channels[await waitForChannelOf(t, 1)]?.name).toBe(
      "drill-inc-1-practice-search-is-slow",
    );
  });

  it("works from the message shortcut's form too", async () => {
    const triggerId = t.slack.newTriggerId(alice.id);
    await t.send.interaction(
      messageShortcut({
        user: alice,
        callbackId: DECLARE_FROM_MESSAGE_SHORTCUT,
        triggerId,
        responseUrl: t.slack.responseUrl("drill-from-message"),
        channelId: "C0GENERAL",
        message: { ts: "1700000000.000200", user: alice.id, text: "Game day: payments degraded" },
      }),
    );
    const modal = await drive.modalOpenedBy(triggerId);
    expect(blockIds(modal)).toContain(DECLARE_BLOCKS.drill);
    await drive.submit(alice, modal, form("Game day: payments degraded", true));
    expect((await waitForIncident(t, 2)).drill).toBe(true);
  });

  it("is not offered from an alert, and a forged Drill value there declares a real incident", async () => {
    const alerts = new AlertDriver(t);
    await alerts.fire("not-practice", { title: "Checkout 500s", severity: "high" });
    await alerts.deliver();
    const alert = await t.firebreak.store.models.alerts.findOne({ fingerprint: "not-practice" }).lean();
    const before = t.slack.callsTo("views.open").length;
    await alerts.click(alice, "declareIncident", String(alert?._id), "alert-declare");
    const opened = await eventually(() => t.slack.callsTo("views.open")[before], "the declare modal");
    const modal = await drive.modalOpenedBy(String(opened.args.trigger_id));
    expect(blockIds(modal)).not.toContain(DECLARE_BLOCKS.drill);
    expect(blockIds(modal)).toContain(DECLARE_BLOCKS.title);
    await drive.submit(alice, modal, form("Checkout 500s", true));
    const incident = await waitForIncident(t, 3);
    expect(incident.title).toBe("Checkout 500s");
    expect(incident.drill).toBeFalsy();
    expect(t.slack.state.channels[await waitForChannelOf(t, 3)]?.name).toBe("inc-3-checkout-500s");
  });
});
