import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Alert } from "../../src/store/alerts.ts";
import { AlertDriver, WEBHOOK_SECRET } from "../support/alert-driver.ts";
import { eventually } from "../support/eventually.ts";
import { startFakeSlack } from "../support/fake-slack/server.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const L1 = { id: "U0LEVEL1", name: "primary" };
const L2 = { id: "U0LEVEL2", name: "secondary" };
const L3 = { id: "U0LEVEL3", name: "manager" };
const POLICY = JSON.stringify({
  levels: [
    { afterMinutes: 0, targets: [L1.id] },
    { afterMinutes: 15, targets: [L2.id] },
    { afterMinutes: 30, targets: [L3.id] },
  ],
});
const MINUTE = 60_000;

describe("alerts escalate on the database's clock until someone acknowledges", () => {
  let t: TestApp;
  let alerts: AlertDriver;
  beforeAll(async () => {
    t = await startTestApp({
      env: { ALERTS_CHANNEL: "C0ALERTS", ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET, ESCALATION_POLICY: POLICY },
    });
    alerts = new AlertDriver(t);
    for (const person of [L1, L2, L3]) t.slack.addUser(person);
    t.slack.addChannel({ id: "C0ALERTS", name: "alerts", members: [t.slack.state.bot.user_id] });
  });
  afterAll(() => t.stop());

  const stored = async (fingerprint: string): Promise<Alert> => {
    const doc = await t.firebreak.store.models.alerts.findOne({ fingerprint }).lean();
    if (!doc) throw new Error(`no alert ${fingerprint}`);
    return { ...(doc as unknown as Alert), id: String((doc as { _id: unknown })._id) };
  };
  /** Moves the clock, then runs due work until the queued Slack work is out (a few seconds more). */
  const advance = async (minutes: number) => {
    t.clock.advance(minutes * MINUTE);
    await alerts.deliver();
  };
  const messageOf = (alert: Alert) =>
    t.slack.state.messages.C0ALERTS?.find((m) => m.ts === alert.message?.ts) ??
    expect.fail("no alert message");

  it("pages L1 at once, L2 at +15 min and L3 at +30 min, and always shows the next escalation", async () => {
    expect((await alerts.fire("ladder")).status).toBe(202);
    // The first level is due at once: the next poller pass pages it, and the post shows it.
    await alerts.deliver();
    const alert = await stored("ladder");
    expect(alerts.pagesTo(L1.id)).toHaveLength(1);
    const nextLine = `Escalates to <@${L2.id}> (L2) at <!date^${Math.floor(alert.firstFiredAt.getTime() / 1000) + 15 * 60}^`;
    expect(JSON.stringify(messageOf(alert).blocks)).toContain(nextLine);
    await advance(14);
    expect(alerts.pagesTo(L2.id)).toHaveLength(0);
    await advance(1);
    expect(alerts.pagesTo(L2.id)).toHaveLength(1);
    expect(JSON.stringify(messageOf(alert).blocks)).toContain(`Escalates to <@${L3.id}> (L3)`);
    await advance(15);
    expect(alerts.pagesTo(L3.id)).toHaveLength(1);
    expect(JSON.stringify(messageOf(await stored("ladder")).blocks)).toContain("every level has been paged");
    await advance(60);
    expect(
      [alerts.pagesTo(L1.id), alerts.pagesTo(L2.id), alerts.pagesTo(L3.id)].map((p) => p.length),
    ).toEqual([1, 1, 1]);
  });

  it("stops escalating when acknowledged at +10 min, and tells a second clicker who acknowledged", async () => {
    const before = alerts.pagesTo(L2.id).length;
    await alerts.fire("acked");
    const alert = await stored("acked");
    await advance(10);
    await alerts.click(L1, "acknowledge", alert.id, "ack-1");
    // The second click comes once the first is answered: both are acked at once and worked concurrently,
    // so clicks sent together may be worked in either order.
    await eventually(() => t.slack.responses.find((r) => r.id === "ack-1"), "the first click's answer");
    await alerts.click(L3, "acknowledge", alert.id, "ack-2");
    const second = await eventually(
      () => t.slack.responses.find((r) => r.id === "ack-2"),
      "the second click's answer",
    );
    expect((second.body as { text: string }).text).toMatch(
      new RegExp(`^Already acknowledged by <@${L1.id}>`),
    );
    await eventually(
      async () => ((await stored("acked")).state === "acknowledged" ? true : undefined),
      "the ack",
    );
    await advance(30);
    expect(alerts.pagesTo(L2.id)).toHaveLength(before);
    expect(JSON.stringify(messageOf(await stored("acked")).blocks)).not.toContain("alert_acknowledge");
  });

  it("jumps a level with Escalate now, keeping L3 on its planned time", async () => {
    const before = alerts.pagesTo(L2.id).length;
    await alerts.fire("jump");
    const alert = await stored("jump");
    await advance(3);
    await alerts.click(L1, "escalateNow", alert.id, "jump-1");
    await eventually(() => (alerts.pagesTo(L2.id).length === before + 1 ? true : undefined), "the L2 page");
    const after = await eventually(async () => {
      const current = await stored("jump");
      return current.nextStep === 2 ? current : undefined;
    }, "the step to be recorded");
    expect(after.nextDueAt?.getTime()).toBe(alert.firstFiredAt.getTime() + 30 * MINUTE);
    await advance(12);
    expect(alerts.pagesTo(L2.id)).toHaveLength(before + 1);
  });

  it("edits the one message on a repeat firing, and a resolution from the source stops the timer", async () => {
    await alerts.fire("repeat");
    await alerts.deliver();
    const posts = t.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === "C0ALERTS").length;
    await alerts.fire("repeat");
    await alerts.deliver();
    expect((await stored("repeat")).fireCount).toBe(2);
    expect(t.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === "C0ALERTS")).toHaveLength(
      posts,
    );
    expect(messageOf(await stored("repeat")).text).toContain("fired 2 times");
    const l2 = alerts.pagesTo(L2.id).length;
    await alerts.fire("repeat", { status: "resolved" });
    expect((await stored("repeat")).state).toBe("resolved");
    await advance(20);
    expect(alerts.pagesTo(L2.id)).toHaveLength(l2);
    expect(messageOf(await stored("repeat")).text).toContain("Resolved by generic");
  });
});

describe("escalation survives a restart", () => {
  it("fires each step that fell due while the bot was down, once, marked late", async () => {
    const slack = await startFakeSlack();
    for (const person of [L1, L2, L3]) slack.addUser(person);
    const first = await startTestApp({
      slack,
      env: { ALERTS_CHANNEL: "C0ALERTS", ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET, ESCALATION_POLICY: POLICY },
    });
    first.slack.addChannel({ id: "C0ALERTS", name: "alerts", members: [first.slack.state.bot.user_id] });
    const drive = new AlertDriver(first);
    await drive.fire("restart");
    await drive.deliver();
    await first.stop({ keepData: true });

    first.clock.advance(32 * MINUTE);
    const second = await startTestApp({
      dbName: first.dbName,
      slack,
      clock: first.clock,
      env: { ALERTS_CHANNEL: "C0ALERTS", ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET, ESCALATION_POLICY: POLICY },
    });
    try {
      const drive = new AlertDriver(second);
      await drive.deliver();
      expect([drive.pagesTo(L1.id), drive.pagesTo(L2.id), drive.pagesTo(L3.id)].map((p) => p.length)).toEqual(
        [1, 1, 1],
      );
      const doc = await second.firebreak.store.models.alerts.findOne({ fingerprint: "restart" }).lean();
      expect(doc?.fired.map((f) => [f.step, Math.round((f.lateMs ?? 0) / MINUTE)])).toEqual([
        [0, 0],
        [1, 17],
        [2, 2],
      ]);
      const thread = slack
        .callsTo("chat.postMessage")
        .filter((c) => c.args.thread_ts && /L2/.test(String(c.args.text)));
      expect(thread.map((c) => c.args.text)).toEqual([
        expect.stringMatching(/17 min late: the bot was unavailable/),
      ]);
    } finally {
      await second.stop();
      await slack.close();
    }
  });
});
