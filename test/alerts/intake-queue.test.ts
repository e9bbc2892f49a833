import { afterEach, describe, expect, it } from "vitest";
import { AlertDriver, alertmanagerBatch, WEBHOOK_SECRET } from "../support/alert-driver.ts";
import { eventually } from "../support/eventually.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack/server.ts";
import { IncidentDriver } from "../support/incident-driver.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

// End to end: signed webhook requests into the real server, the real database and the fake Slack. The
// webhook answers once alerts are stored; posts, pages and declares are queued and done by the poller's
// passes, which these tests run themselves (the app's own timer is stopped) on the test's clock.

const L1 = "U0LEVEL1";
const GROUP = { id: "S0RESPOND", members: ["U0GROUPA", "U0GROUPB"] };
const CHANNEL = "C0ALERTS";

const apps: TestApp[] = [];
const slacks: FakeSlack[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop();
  for (const slack of slacks.splice(0)) await slack.close();
});

/** An app whose poller runs only when the test says (tick), with the alerts channel and the people paged. */
async function start(options: { env?: Record<string, string>; slack?: FakeSlack; dbName?: string } = {}) {
  const t = await startTestApp({
    ...options,
    env: {
      ALERTS_CHANNEL: CHANNEL,
      ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      ESCALATION_POLICY: JSON.stringify({ levels: [{ afterMinutes: 0, targets: [L1] }] }),
      ...options.env,
    },
  });
  await t.firebreak.poller.stop();
  apps.push(t);
  if (!options.slack) {
    t.slack.addUser({ id: L1 });
    t.slack.addChannel({ id: CHANNEL, name: "alerts", members: [t.slack.state.bot.user_id] });
  }
  return { t, alerts: new AlertDriver(t) };
}

/** Top-level messages that went to a channel, in the order Slack took them. */
const channelPosts = (t: TestApp, channel: string) =>
  t.slack.callsToChannel("chat.postMessage", channel).filter((c) => c.ok && !c.args.thread_ts);
const postedTexts = (t: TestApp, channel: string) => channelPosts(t, channel).map((c) => String(c.args.text));
/** The names of the "<name> on api" alerts posted to the alerts channel, in order. */
const postedApiAlerts = (t: TestApp) => postedTexts(t, CHANNEL).map((text) => /(\w+) on api/.exec(text)?.[1]);
/** One high (paging) alert for the api service; answers the webhook's status. */
const fireApiAlert = async (alerts: AlertDriver, name: string) =>
  (await alerts.webhook("alertmanager", alertmanagerBatch([{ name, severity: "high", service: "api" }])))
    .status;
const titlesIn = (texts: string[], titles: string[]) =>
  titles.map((title) => texts.filter((text) => text.includes(`${title} on `)).length);

describe("alert intake answers from the database; Slack work goes through the durable queue", () => {
  it("answers a batch of 50 at once while Slack takes 2 s a call; then every message and page arrives once", async () => {
    const services = Array.from({ length: 10 }, (_, i) => `svc${i}`);
    // Ten services, each with its own channel and its own first responder: 5 alerts and 5 pages each.
    const routing = {
      services: Object.fromEntries(
        services.map((service, i) => [
          service,
          {
            policy: { levels: [{ afterMinutes: 0, targets: [`U0SVC${i}`] }] },
            severities: { high: { channel: `C0SVC${i}` } },
          },
        ]),
      ),
    };
    const { t, alerts } = await start({ env: { ALERT_ROUTING: JSON.stringify(routing) } });
    services.forEach((_, i) => {
      t.slack.addUser({ id: `U0SVC${i}` });
      t.slack.addChannel({ id: `C0SVC${i}`, name: `svc${i}`, members: [t.slack.state.bot.user_id] });
    });
    const batch = Array.from({ length: 50 }, (_, i) => ({
      name: `Alert${i}`,
      severity: "high",
      service: services[i % 10] ?? "",
    }));
    t.slack.setLatency(2_000);
    // The sender's answer does not wait for Slack: when it comes back, Slack has answered nothing.
    const delivering = t.firebreak.poller.tick();
    const answer = await alerts.webhook("alertmanager", alertmanagerBatch(batch));
    const answeredByThen = t.slack.callsTo("chat.postMessage").length;
    expect(answer).toEqual({ status: 202, body: { accepted: 50 } });
    expect(answeredByThen).toBe(0);
    expect(await t.firebreak.store.models.alerts.countDocuments()).toBe(50);
    await delivering;
    // A pass at Slack's 2 s shows the queue working through a slow Slack; the rest run at full speed
    // (every pass at 2 s a call would take the suite minutes, and prove nothing more).
    t.clock.advance(1_000);
    await t.firebreak.poller.tick();
    expect(t.slack.callsTo("chat.postMessage").filter((c) => c.ok).length).toBeGreaterThan(0);
    t.slack.setLatency(0);
    await alerts.deliver();

    services.forEach((_, i) => {
      const mine = batch.filter((a) => a.service === `svc${i}`).map((a) => a.name);
      expect(titlesIn(postedTexts(t, `C0SVC${i}`), mine)).toEqual([1, 1, 1, 1, 1]);
      expect(alerts.pagesTo(`U0SVC${i}`)).toHaveLength(5);
    });
    // 50 alert messages and 50 pages, nothing twice. A step that fires after its alert's message is out
    // also says whom it paged in the message's thread (the order of the two is a race): not counted here.
    const topLevel = t.slack.callsTo("chat.postMessage").filter((c) => c.ok && !c.args.thread_ts);
    expect(topLevel).toHaveLength(100);
    const threadLines = t.slack.callsTo("chat.postMessage").filter((c) => c.ok && c.args.thread_ts);
    expect(new Set(threadLines.map((c) => c.args.thread_ts)).size).toBe(threadLines.length);
  }, 120_000);

  it("loses nothing and sends nothing twice when Slack answers 429 Retry-After: 2 for the channel", async () => {
    const { t, alerts } = await start();
    t.slack.forceRateLimit(CHANNEL, 2, 3);
    const names = ["Disk", "Memory", "Latency", "Errors"];
    for (const name of names) {
      expect(await fireApiAlert(alerts, name)).toBe(202);
    }
    await alerts.deliver();
    const calls = t.slack.callsToChannel("chat.postMessage", CHANNEL);
    expect(calls.filter((c) => c.status === 429)).toHaveLength(3);
    expect(titlesIn(postedTexts(t, CHANNEL), names)).toEqual([1, 1, 1, 1]);
    expect(postedApiAlerts(t)).toEqual(names);
    expect(alerts.pagesTo(L1)).toHaveLength(4);
  });

  it("accepts and stores alerts while Slack is down for 30 s, then delivers everything once, in order", async () => {
    const policy = { levels: [{ afterMinutes: 0, targets: [L1, GROUP.id] }] };
    const { t, alerts } = await start({ env: { ESCALATION_POLICY: JSON.stringify(policy) } });
    for (const id of GROUP.members) t.slack.addUser({ id });
    t.slack.addUserGroup({ id: GROUP.id, handle: "responders", users: GROUP.members });
    t.slack.goDown(t.clock.nowMs() + 30_000);
    const names = ["Disk", "Memory", "Latency", "Errors"];
    for (const name of names) {
      expect(await fireApiAlert(alerts, name)).toBe(202);
      await t.firebreak.poller.tick();
      t.clock.advance(2_000);
    }
    expect(await t.firebreak.store.models.alerts.countDocuments()).toBe(4);
    // Nothing got through, and the pages (whose user group Slack could not list) are still to come.
    expect(t.slack.calls.filter((c) => c.ok && c.method === "chat.postMessage")).toHaveLength(0);
    expect(t.slack.calls.filter((c) => c.status === 503).length).toBeGreaterThan(0);

    const passes = await alerts.deliver();
    expect(passes).toBeGreaterThan(20);
    expect(postedApiAlerts(t)).toEqual(names);
    for (const person of [L1, ...GROUP.members]) expect(alerts.pagesTo(person)).toHaveLength(4);
  });

  it("loses nothing to a restart between accepting alerts and posting them", async () => {
    const slack = await startFakeSlack();
    slacks.push(slack);
    slack.addUser({ id: L1 });
    slack.addChannel({ id: CHANNEL, name: "alerts", members: [slack.state.bot.user_id] });
    const first = await start({ slack });
    // Recorded side by side, posted in the order they came (five: a sixth would start a storm summary).
    const names = ["Disk", "Memory", "Latency", "Errors", "Saturation"];
    const answer = await first.alerts.webhook(
      "alertmanager",
      alertmanagerBatch(names.map((name) => ({ name, severity: "high", service: "api" }))),
    );
    expect(answer.status).toBe(202);
    await first.t.stop({ keepData: true });
    apps.splice(apps.indexOf(first.t), 1);
    expect(slack.callsTo("chat.postMessage")).toHaveLength(0);

    const second = await start({ slack, dbName: first.t.dbName });
    second.t.clock.set(first.t.clock.now());
    await second.alerts.deliver();
    expect(postedApiAlerts(second.t)).toEqual(names);
    expect(second.alerts.pagesTo(L1)).toHaveLength(names.length);
  });

  it("folds a storm of 300 alerts in 10 s into one summary edited in place; each alert stored and paged", async () => {
    const { t, alerts } = await start();
    t.slack.limitPostMessages();
    // Every 30th alert is high (paging); the rest are medium (posted only).
    const storm = Array.from({ length: 300 }, (_, i) => ({
      name: `Node${i}`,
      severity: i % 30 === 0 ? "high" : "medium",
      service: `svc${i % 7}`,
    }));
    for (let second = 0; second < 10; second++) {
      for (let batch = 0; batch < 3; batch++) {
        const from = second * 30 + batch * 10;
        const answer = await alerts.webhook("alertmanager", alertmanagerBatch(storm.slice(from, from + 10)));
        expect(answer.status).toBe(202);
      }
      await t.firebreak.poller.tick();
      t.clock.advance(1_000);
    }
    await alerts.deliver();

    expect(await t.firebreak.store.models.alerts.countDocuments()).toBe(300);
    const posts = channelPosts(t, CHANNEL);
    expect(posts.length).toBeLessThanOrEqual(6);
    const summaries = posts.filter((c) => String(c.args.text).includes("Alert storm"));
    expect(summaries).toHaveLength(1);
    const summaryTs = t.slack.state.messages[CHANNEL]?.find((m) => m.text?.includes("Alert storm"))?.ts;
    expect(
      t.slack.callsToChannel("chat.update", CHANNEL).filter((c) => c.args.ts === summaryTs).length,
    ).toBeGreaterThan(0);
    const singles = posts.length - summaries.length;
    const final = t.slack.state.messages[CHANNEL]?.find((m) => m.ts === summaryTs)?.text ?? "";
    expect(final).toContain(`Alert storm: ${300 - singles} alerts`);

    const paging = await t.firebreak.store.models.alerts.find({ paging: true }).lean();
    expect(paging).toHaveLength(10);
    expect(paging.every((a) => a.fired.map((f) => f.step).join() === "0")).toBe(true);
    // Ten pages in ten seconds are a storm for L1 too: a handful singly, the rest folded into one DM.
    const dms = alerts.pagesTo(L1);
    const pageStorm = dms.filter((c) => String(c.args.text).includes("You are paged for"));
    expect(pageStorm).toHaveLength(1);
    const dm = Object.values(t.slack.state.channels).find((c) => c.is_im && c.user === L1)?.id ?? "";
    const folded = t.slack.state.messages[dm]?.find((m) => m.text?.includes("You are paged for"))?.text ?? "";
    expect(folded).toContain(`You are paged for ${10 - (dms.length - 1)} more alerts`);
    // Paced under Slack's limit: nothing was refused, so nothing was left to retry.
    expect(t.slack.calls.filter((c) => c.status === 429)).toHaveLength(0);
    expect(await t.firebreak.store.models.deliveries.countDocuments()).toBe(0);
  }, 120_000);

  it("folds a storm of pages to one person into one direct message edited in place; each alert still paged", async () => {
    const { t, alerts } = await start();
    const storm = Array.from({ length: 30 }, (_, i) => ({
      name: `Pod${i}`,
      severity: "high",
      service: "web",
    }));
    for (let second = 0; second < 10; second++) {
      const answer = await alerts.webhook(
        "alertmanager",
        alertmanagerBatch(storm.slice(second * 3, second * 3 + 3)),
      );
      expect(answer.status).toBe(202);
      await t.firebreak.poller.tick();
      t.clock.advance(1_000);
    }
    await alerts.deliver();

    const paged = await t.firebreak.store.models.alerts.find({ paging: true }).lean();
    expect(paged).toHaveLength(30);
    expect(paged.every((a) => a.fired[0]?.paged.includes(L1))).toBe(true);
    const dms = alerts.pagesTo(L1);
    const summaries = dms.filter((c) => String(c.args.text).includes("You are paged for"));
    expect(summaries).toHaveLength(1);
    expect(dms.length).toBeLessThanOrEqual(7);
    const dm = Object.values(t.slack.state.channels).find((c) => c.is_im && c.user === L1)?.id ?? "";
    const summary = t.slack.state.messages[dm]?.find((m) => m.text?.includes("You are paged for"));
    const edits = t.slack.callsToChannel("chat.update", dm).filter((c) => c.args.ts === summary?.ts);
    expect(edits.length).toBeGreaterThan(0);
    const singles = dms.length - 1;
    const final = summary?.text ?? "";
    expect(final).toContain(`You are paged for ${30 - singles} more alerts`);
    expect(t.slack.calls.filter((c) => c.status === 429)).toHaveLength(0);
    expect(await t.firebreak.store.models.deliveries.countDocuments()).toBe(0);
  }, 120_000);
});

describe("pages nobody needs any more", () => {
  it("takes an alert's waiting pages off the queue when it is acknowledged or resolved; the rest still go", async () => {
    const { t, alerts } = await start();
    for (const name of ["acked", "resolved", "open"])
      expect((await alerts.fire(name, { severity: "high" })).status).toBe(202);
    const alertId = async (fingerprint: string) =>
      String((await t.firebreak.store.models.alerts.findOne({ fingerprint }).lean())?._id);
    const waitingPages = async () =>
      (await t.firebreak.store.models.deliveries.find({ kind: "page" }).lean()).map((d) => d._id);
    const [acked = "", resolved = "", open = ""] = await Promise.all(
      ["acked", "resolved", "open"].map(alertId),
    );
    expect((await waitingPages()).sort()).toEqual(
      [acked, resolved, open].map((id) => `page:${id}:0:${L1}`).sort(),
    );

    await alerts.click({ id: L1 }, "acknowledge", acked, "ack");
    await eventually(() => t.slack.responses.find((r) => r.id === "ack"), "the click's answer");
    expect((await alerts.fire("resolved", { severity: "high", status: "resolved" })).status).toBe(202);
    // Only the open alert's page is left: a page storm's fold counts its pages without reading each state.
    await eventually(
      async () => ((await waitingPages()).join() === `page:${open}:0:${L1}` ? true : undefined),
      "only the open alert's page left waiting",
    );
    await alerts.deliver();
    expect(alerts.pagesTo(L1).map((c) => String(c.args.text))).toEqual([
      expect.stringContaining("Checkout errors open"),
    ]);
  }, 60_000);
});

describe("queued alert work that Slack refuses for good", () => {
  it("notes a page given up on the incident's timeline, with the log line's reference", async () => {
    const ghost = "U0NOBODY";
    const reporter = { id: "U0REPORTER", name: "reporter" };
    const policy = { levels: [{ afterMinutes: 0, targets: [ghost] }] };
    const { t } = await start({ env: { ESCALATION_POLICY: JSON.stringify(policy) } });
    t.slack.addUser(reporter);
    const drive = new IncidentDriver(t);
    const { responseId } = await drive.incident(reporter, "declare sev2 Payments are slow");
    await drive.answer(responseId, /declared/);
    // SEV2's response time passes unacknowledged: the page to a person Slack does not know is given up.
    t.clock.advance(15 * 60_000);
    await new AlertDriver(t).deliver();
    const logged = t.logs.find((line) => line.msg === "Slack work given up" && line.kind === "page");
    const noted = await t.firebreak.store.models.timelineEvents.findOne({ type: "slack_error" }).lean();
    expect(logged?.reference).toEqual(expect.any(String));
    expect(noted?.payload).toEqual({
      action: "page",
      userId: ghost,
      ref: logged?.reference,
      error: expect.any(String),
    });
  });
});
