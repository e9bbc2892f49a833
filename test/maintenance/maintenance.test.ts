import { afterEach, describe, expect, it } from "vitest";
import { DECLARE_BLOCKS } from "../../src/slack/views/declare-modal.ts";
import { MAINT_ACTIONS } from "../../src/slack/views/maintenance.ts";
import { MAINT_BLOCKS } from "../../src/slack/views/maintenance-modal.ts";
import { AlertDriver, WEBHOOK_SECRET } from "../support/alert-driver.ts";
import { TestClock } from "../support/clock.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack/server.ts";
import { IncidentDriver, option, text } from "../support/incident-driver.ts";
import { eventsOf, waitForChannelOf, waitForIncident } from "../support/incident-e2e.ts";
import { TEAM } from "../support/slack-driver.ts";
import { type Actor, blockActions, type StateValue } from "../support/slack-payloads.ts";
import { startTestApp, type TestApp, type TestAppOptions } from "../support/test-app.ts";

// End to end over the real database and the fake Slack, on the test clock: /maint schedules a window
// under its type's notice period, an approver's button approves it, and its announcements (scheduled,
// reminder, start, end) go out once each with two app processes over one database and a restart. Alerts on
// its services page nobody while it runs and are paged when it ends. The apps' own poller timers are
// stopped; the tests run the passes.

const ANNOUNCE = "C0INCIDENTS";
const ALERTS = "C0ALERTS";
const requester: Actor = { id: "U0REQUESTER", name: "rita" };
const approver: Actor = { id: "U0APPROVER", name: "abe" };
const L1: Actor = { id: "U0LEVEL1", name: "primary" };
const ENV = {
  INCIDENTS_CHANNEL: ANNOUNCE,
  ALERTS_CHANNEL: ALERTS,
  ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
  ESCALATION_POLICY: JSON.stringify({ levels: [{ afterMinutes: 0, targets: [L1.id] }] }),
  MAINT_APPROVERS: approver.id,
  SERVICES: "checkout,payments,search",
};
/** A Monday 10:00 UTC; the window asked for starts Thursday 11:00 (73 h later) and ends 13:00. */
const MONDAY = "2026-11-30T10:00:00Z";
const HOUR = 3_600_000;
const MINUTE = 60_000;

const apps: TestApp[] = [];
const slacks: FakeSlack[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop().catch(() => undefined);
  for (const slack of slacks.splice(0)) await slack.close();
});

async function start(options: TestAppOptions = {}): Promise<TestApp> {
  const t = await startTestApp({ ...options, env: { ...ENV, ...options.env } });
  apps.push(t);
  for (const person of [requester, approver, L1])
    if (!t.slack.state.users[person.id]) t.slack.addUser(person);
  for (const [id, name] of [
    [ANNOUNCE, "incidents"],
    [ALERTS, "alerts"],
  ] as const)
    if (!t.slack.state.channels[id]) t.slack.addChannel({ id, name, members: [t.slack.state.bot.user_id] });
  await t.firebreak.poller.stop();
  return t;
}

let sequence = 0;

/** `/maint <text>` as `user`; returns the answer's text once it arrives, and the trigger for a form. */
async function maint(t: TestApp, line: string, user: Actor = requester) {
  const responseId = `maint-${++sequence}`;
  const triggerId = t.slack.newTriggerId(user.id);
  const command = {
    command: "/maint",
    text: line,
    user,
    channelId: "C0GENERAL",
    responseUrl: t.slack.responseUrl(responseId),
    triggerId,
  };
  const response = await t.send.slashCommand(command);
  expect(response.status).toBe(200);
  const retry = () => t.send.slashCommand(command, { retry: { num: 1, reason: "http_timeout" } });
  return { responseId, triggerId, retry };
}

const answerOn = (t: TestApp, responseId: string, pattern: RegExp = /./) =>
  new IncidentDriver(t).answer(responseId, pattern).then((a) => a.text);

/** Runs passes on every app until nothing is queued. */
async function deliver(...ts: TestApp[]): Promise<void> {
  const [first] = ts;
  if (!first) return;
  for (let pass = 0; pass < 30; pass++) {
    for (const t of ts) await t.firebreak.poller.tick();
    if ((await first.firebreak.store.models.deliveries.countDocuments()) === 0) return;
    first.clock.advance(1_000);
  }
  throw new Error("queued Slack work still pending");
}

const posts = (slack: FakeSlack, channel: string, pattern: RegExp) =>
  slack
    .callsToChannel("chat.postMessage", channel)
    .filter((c) => c.ok && pattern.test(String(c.args.text)))
    .map((c) => String(c.args.text));

function formValues(fields: {
  title?: string;
  type?: string;
  start: string;
  end: string;
  services?: string;
}): Record<string, Record<string, StateValue>> {
  const value = (block: string, state: StateValue) => ({ [block]: { [block]: state } });
  return {
    ...value(MAINT_BLOCKS.title, text(fields.title ?? "Patch OpenSSL on the edge")),
    ...(fields.type !== undefined && value(MAINT_BLOCKS.type, option(fields.type))),
    ...value(MAINT_BLOCKS.start, text(fields.start)),
    ...value(MAINT_BLOCKS.end, text(fields.end)),
    ...value(MAINT_BLOCKS.services, text(fields.services ?? "checkout, payments")),
    ...value(MAINT_BLOCKS.procedure, text("1. drain\n2. patch\n3. undrain")),
    ...value(MAINT_BLOCKS.rollback, text("Reinstall the previous package")),
  };
}

/** Opens the form with `/maint schedule security` and submits it; returns Slack's HTTP answer body. */
async function schedule(t: TestApp, fields: Parameters<typeof formValues>[0]) {
  const { triggerId, responseId } = await maint(t, "schedule security");
  const drive = new IncidentDriver(t);
  const modal = await drive.modalOpenedBy(triggerId);
  const response = await drive.submit(requester, modal, formValues({ type: "security", ...fields }));
  return { body: response.body as { response_action?: string; errors?: Record<string, string> }, responseId };
}

function click(t: TestApp, user: Actor, actionId: string, windowId: string, responseId: string) {
  return t.send.interaction(
    blockActions({
      user,
      actionId,
      value: windowId,
      triggerId: t.slack.newTriggerId(user.id),
      message: { channelId: user.id, ts: "1.000000" },
      responseUrl: t.slack.responseUrl(responseId),
    }),
  );
}

describe("a security maintenance window", () => {
  it("is refused under 72 h notice; with enough, approved by a button, then announced, reminded, started and ended once each across two processes and a restart", async () => {
    const clock = new TestClock(MONDAY);
    const slack = await startFakeSlack({
      clock: () => clock.nowMs(),
      workspace: { id: TEAM.id, domain: TEAM.domain },
    });
    slacks.push(slack);
    const first = await start({ clock, slack });

    const refused = await schedule(first, { start: "2026-12-02 10:00", end: "2026-12-02 12:00" });
    expect(refused.body.response_action).toBe("errors");
    expect(refused.body.errors?.[MAINT_BLOCKS.start]).toBe(
      "This type needs 3 d notice: the earliest allowed start is 2026-12-03 10:00 UTC.",
    );
    expect(await first.firebreak.store.models.maintenanceWindows.countDocuments()).toBe(0);

    const accepted = await schedule(first, { start: "2026-12-03 11:00", end: "2026-12-03 13:00" });
    expect(accepted.body).toBe("");
    expect(await answerOn(first, accepted.responseId, /M1/)).toContain("waits for an approver");
    await deliver(first);
    const asked = slack.callsToChannel("chat.postMessage", approver.id).filter((c) => c.ok);
    expect(asked).toHaveLength(1);
    expect(JSON.stringify(asked[0]?.args.blocks)).toContain(MAINT_ACTIONS.approve);
    expect(posts(slack, ANNOUNCE, /Maintenance scheduled/)).toHaveLength(0);

    // Someone who is not an approver cannot decide; the approver's double click decides once.
    await click(first, requester, MAINT_ACTIONS.approve, "M1", "not-approver");
    expect(await answerOn(first, "not-approver")).toContain("Only the maintenance approvers");
    await click(first, approver, MAINT_ACTIONS.approve, "M1", "approve-1");
    await click(first, approver, MAINT_ACTIONS.approve, "M1", "approve-2");
    // Either click may win (both are acked at once and worked concurrently); exactly one does.
    const answers = [await answerOn(first, "approve-1"), await answerOn(first, "approve-2")];
    expect(answers.filter((a) => a.includes("You approved maintenance *M1*"))).toHaveLength(1);
    expect(answers.filter((a) => a.includes(`already approved by <@${approver.id}>`))).toHaveLength(1);
    const window = await first.firebreak.store.models.maintenanceWindows.findById("M1").lean();
    expect(window?.decision).toMatchObject({ approved: true, by: approver.id, at: new Date(MONDAY) });

    await deliver(first);
    const told = slack.callsToChannel("chat.postMessage", requester.id).filter((c) => c.ok);
    expect(told.map((c) => String(c.args.text))).toEqual([expect.stringContaining("was approved by")]);
    expect(posts(slack, ANNOUNCE, /Maintenance scheduled/)).toHaveLength(1);
    // The request itself (found by its ts: the fake refuses an edit of any other message) now says who
    // decided, and has no buttons left to click.
    const closed = slack.callsTo("chat.update");
    expect(closed.map((c) => c.ok)).toEqual([true]);
    expect(String(closed[0]?.args.text)).toContain(`Approved by <@${approver.id}>`);
    expect(JSON.stringify(closed[0]?.args.blocks)).not.toContain(MAINT_ACTIONS.approve);

    // A second process over the same database: every step is still done once.
    const second = await start({ clock, slack, dbName: first.dbName });
    const start11 = new Date("2026-12-03T11:00:00Z").getTime();
    clock.set(new Date(start11 - HOUR - MINUTE));
    await deliver(first, second);
    expect(posts(slack, ANNOUNCE, /Maintenance starts/)).toHaveLength(0);
    clock.set(new Date(start11 - HOUR));
    await deliver(first, second);
    await deliver(second, first);
    expect(posts(slack, ANNOUNCE, /Maintenance starts/)).toHaveLength(1);

    // A restart between the reminder and the start: the new process finds the start due.
    await first.stop({ keepData: true });
    apps.splice(apps.indexOf(first), 1);
    clock.set(new Date(start11 - MINUTE));
    await deliver(second);
    expect(posts(slack, ANNOUNCE, /Maintenance started/)).toHaveLength(0);
    clock.set(new Date(start11));
    await deliver(second);
    const third = await start({ clock, slack, dbName: first.dbName });
    await deliver(second, third);
    expect(posts(slack, ANNOUNCE, /Maintenance started/)).toHaveLength(1);
    expect(await maintList(third)).toMatch(/M1.*active/);

    clock.set(new Date(start11 + 2 * HOUR - MINUTE));
    await deliver(second, third);
    expect(posts(slack, ANNOUNCE, /Maintenance ended/)).toHaveLength(0);
    clock.set(new Date(start11 + 2 * HOUR));
    await deliver(third, second);
    clock.advance(HOUR);
    await deliver(second, third);
    expect(posts(slack, ANNOUNCE, /Maintenance ended/)).toEqual([
      expect.stringContaining("No alert it held back is still firing"),
    ]);
    expect(posts(slack, ANNOUNCE, /Maintenance (scheduled|starts|started)/)).toHaveLength(3);
    expect(await maintList(third)).toContain("No maintenance is planned");
  });
});

async function maintList(t: TestApp): Promise<string> {
  const { responseId } = await maint(t, "list");
  return answerOn(t, responseId);
}

// Alertmanager's webhook_config body, version 4, one alert for the `checkout` service.
const crashLooping = (status: "firing" | "resolved") => ({
  version: "4",
  groupKey: '{}:{alertname="KubePodCrashLooping"}',
  truncatedAlerts: 0,
  status,
  receiver: "firebreak",
  groupLabels: { alertname: "KubePodCrashLooping" },
  commonLabels: { alertname: "KubePodCrashLooping", severity: "critical" },
  commonAnnotations: {},
  externalURL: "http://alertmanager.example.com:9093",
  alerts: [
    {
      status,
      labels: { alertname: "KubePodCrashLooping", severity: "critical", service: "checkout" },
      annotations: { summary: "checkout is crash looping" },
      startsAt: "2026-11-30T09:59:00Z",
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "http://prometheus.example.com:9090/graph?g0.expr=up",
      fingerprint: "am-checkout",
    },
  ],
});

describe("alerts during maintenance", () => {
  it("an Alertmanager alert on an affected service pages nobody and says why; still firing at the end, it pages L1 once", async () => {
    const t = await start({ clock: new TestClock(MONDAY) });
    const alerts = new AlertDriver(t);
    const { responseId, retry } = await maint(t, "start checkout 30m roll back the cart change");
    expect(await answerOn(t, responseId)).toMatch(/Maintenance \*M1\* on `checkout` runs until/);
    // Slack retries the command: it is answered, and there is still one window.
    expect((await retry()).status).toBe(200);
    expect(await answerOn(t, responseId, /already received/)).toContain("`/maint list` shows it");
    expect(await t.firebreak.store.models.maintenanceWindows.countDocuments()).toBe(1);
    await deliver(t);
    expect(posts(t.slack, ANNOUNCE, /Maintenance started/)).toHaveLength(1);

    expect((await alerts.webhook("alertmanager", crashLooping("firing"))).status).toBe(202);
    // Recorded by the intake as held back: no escalation armed at all.
    const stored = await t.firebreak.store.models.alerts.findOne({ fingerprint: "am-checkout" }).lean();
    expect(stored?.suppressedBy).toEqual({ windowId: "M1", title: "roll back the cart change" });
    expect(stored?.nextDueAt).toBeUndefined();
    expect(await t.firebreak.store.models.armedAlerts.countDocuments()).toBe(0);
    t.clock.advance(10 * MINUTE);
    await deliver(t);
    expect(alerts.pagesTo(L1.id)).toHaveLength(0);
    const [post] = t.slack.callsToChannel("chat.postMessage", ALERTS).filter((c) => c.ok);
    expect(JSON.stringify(post?.args.blocks)).toContain(
      "suppressed: maintenance roll back the cart change (recorded, nobody paged until it ends)",
    );

    // An alert on another service pages as always.
    await alerts.fire("search-down", { service: "search" });
    await deliver(t);
    expect(alerts.pagesTo(L1.id)).toHaveLength(1);

    t.clock.advance(20 * MINUTE);
    await deliver(t);
    t.clock.advance(5 * MINUTE);
    await deliver(t);
    expect(alerts.pagesTo(L1.id)).toHaveLength(2);
    expect(String(alerts.pagesTo(L1.id)[1]?.args.text)).toContain("checkout is crash looping");
    expect(posts(t.slack, ANNOUNCE, /Maintenance ended/)).toEqual([
      expect.stringContaining("Still firing, paged now: *KubePodCrashLooping"),
    ]);
    // Once: later passes page nobody more.
    t.clock.advance(HOUR);
    await deliver(t);
    expect(alerts.pagesTo(L1.id)).toHaveLength(2);
    // After the window, the same alert firing anew pages L1 at once.
    await alerts.webhook("alertmanager", crashLooping("resolved"));
    await alerts.webhook("alertmanager", crashLooping("firing"));
    await deliver(t);
    expect(alerts.pagesTo(L1.id)).toHaveLength(3);
  });
});

describe("an incident declared during maintenance", () => {
  it("is told in its channel and on its timeline that a window is active on its service", async () => {
    const t = await start({ clock: new TestClock(MONDAY) });
    await maint(t, "start payments 1h swap the card vault certificate");
    const drive = new IncidentDriver(t);
    const { triggerId, responseId } = await drive.incident(requester, "declare");
    const modal = await drive.modalOpenedBy(triggerId);
    await drive.submit(requester, modal, {
      [DECLARE_BLOCKS.title]: { [DECLARE_BLOCKS.title]: text("Card payments fail") },
      [DECLARE_BLOCKS.severity]: { [DECLARE_BLOCKS.severity]: option("sev2") },
      [DECLARE_BLOCKS.services]: { [DECLARE_BLOCKS.services]: text("payments") },
    });
    await drive.answer(responseId, /declared/);
    const channel = await waitForChannelOf(t, 1);
    expect(posts(t.slack, channel, /Maintenance/)).toEqual([
      expect.stringContaining(
        "Maintenance *M1* *swap the card vault certificate* is active on `payments` until",
      ),
    ]);
    const incident = await waitForIncident(t, 1);
    const notes = (await eventsOf(t, incident.id)).filter((e) => e.type === "note");
    expect(notes.map((e) => (e.payload as { text: string }).text)).toEqual([
      'Maintenance M1 "swap the card vault certificate" is active on payments until 2026-11-30T11:00:00.000Z',
    ]);
  });
});

describe("an active window's buttons", () => {
  it("Extend moves the end and is announced; End now ends it at once, once", async () => {
    const t = await start({ clock: new TestClock(MONDAY) });
    await maint(t, "start search 30m reindex the catalogue");
    await deliver(t);
    // Someone who neither asked for the window nor approves windows can do neither.
    const bystander: Actor = { id: "U0BYSTANDER", name: "bea" };
    await click(t, bystander, MAINT_ACTIONS.extend, "M1", "extend-bystander");
    expect(await answerOn(t, "extend-bystander")).toContain("Only whoever asked for maintenance *M1*");
    await click(t, bystander, MAINT_ACTIONS.endEarly, "M1", "end-bystander");
    expect(await answerOn(t, "end-bystander")).toContain("Only whoever asked for maintenance *M1*");
    const untouched = await t.firebreak.store.models.maintenanceWindows.findById("M1").lean();
    expect(untouched).toMatchObject({
      state: "active",
      endsAt: new Date(new Date(MONDAY).getTime() + 30 * MINUTE),
    });
    await click(t, requester, MAINT_ACTIONS.extend, "M1", "extend");
    expect(await answerOn(t, "extend")).toContain("Maintenance *M1* now ends");
    const extended = await t.firebreak.store.models.maintenanceWindows.findById("M1").lean();
    expect(extended?.endsAt).toEqual(new Date(new Date(MONDAY).getTime() + 60 * MINUTE));
    await deliver(t);
    expect(posts(t.slack, ANNOUNCE, /Maintenance extended/)).toHaveLength(1);

    t.clock.advance(45 * MINUTE);
    await deliver(t);
    expect(posts(t.slack, ANNOUNCE, /Maintenance ended/)).toHaveLength(0);
    await click(t, approver, MAINT_ACTIONS.endEarly, "M1", "end-1");
    expect(await answerOn(t, "end-1")).toContain("Maintenance *M1* ended");
    await click(t, approver, MAINT_ACTIONS.endEarly, "M1", "end-2");
    expect(await answerOn(t, "end-2")).toContain("has already ended");
    await click(t, approver, MAINT_ACTIONS.extend, "M1", "extend-late");
    expect(await answerOn(t, "extend-late")).toContain("not active any more");
    await deliver(t);
    t.clock.advance(HOUR);
    await deliver(t);
    expect(posts(t.slack, ANNOUNCE, /Maintenance ended/)).toEqual([
      expect.stringContaining(`ended early by <@${approver.id}>`),
    ]);
  });
});

describe("approval by a user group", () => {
  it("asks the group in the maintenance channel, and only its members decide; a double submit stores one window", async () => {
    const t = await start({ clock: new TestClock(MONDAY), env: { MAINT_APPROVERS: "S0SRELEADS" } });
    t.slack.addUserGroup({ id: "S0SRELEADS", handle: "sre-leads", users: [approver.id] });
    const { triggerId, responseId } = await maint(t, "schedule feature");
    const drive = new IncidentDriver(t);
    const modal = await drive.modalOpenedBy(triggerId);
    const values = formValues({ type: "feature", start: "2026-12-02 11:00", end: "2026-12-02 12:00" });
    await drive.submit(requester, modal, values);
    await drive.submit(requester, modal, values);
    expect(await answerOn(t, responseId, /M1/)).toContain("waits for an approver");
    await deliver(t);
    expect(await t.firebreak.store.models.maintenanceWindows.countDocuments()).toBe(1);
    const [asked, ...more] = t.slack.callsToChannel("chat.postMessage", ANNOUNCE).filter((c) => c.ok);
    expect(more).toHaveLength(0);
    expect(String(asked?.args.text)).toContain("<!subteam^S0SRELEADS> :raised_hand: *Approval needed*");

    await click(t, requester, MAINT_ACTIONS.reject, "M1", "outsider");
    expect(await answerOn(t, "outsider")).toContain("Only the maintenance approvers");
    await click(t, approver, MAINT_ACTIONS.reject, "M1", "reject");
    expect(await answerOn(t, "reject")).toContain("You rejected maintenance *M1*");
    await deliver(t);
    const told = t.slack.callsToChannel("chat.postMessage", requester.id).filter((c) => c.ok);
    expect(told.map((c) => String(c.args.text))).toEqual([expect.stringContaining("was rejected by")]);
    expect(posts(t.slack, ANNOUNCE, /Maintenance scheduled/)).toHaveLength(0);
    const closed = t.slack.callsToChannel("chat.update", ANNOUNCE).filter((c) => c.ok);
    expect(closed.map((c) => String(c.args.text))).toEqual([
      expect.stringContaining(`Rejected by <@${approver.id}>`),
    ]);
    expect(await maintList(t)).toContain("No maintenance is planned");
  });
});

describe("/maint answers", () => {
  it("help, and a clear answer to each bad input", async () => {
    const t = await start({ clock: new TestClock(MONDAY) });
    const ask = async (line: string) => answerOn(t, (await maint(t, line)).responseId);

    const help = await ask("help");
    expect(help).toContain("/maint schedule");
    expect(help).toContain("/maint start <service>");
    expect(help).toContain(
      "*security* — Security patches and updates: 3 d notice, needs approval, preferably weekend",
    );
    expect(help).toContain("*infrastructure* — Infrastructure updates and changes: 1 week notice");
    expect(await ask("frobnicate")).toContain('I don\'t know "frobnicate"');
    expect(await ask("schedule database")).toContain(
      'I don\'t know the maintenance type "database": use security, performance, feature, infrastructure.',
    );
    expect(await ask("start chekout 30m fix")).toBe(
      'I don\'t know the service "chekout". Did you mean "checkout"?',
    );
    expect(await ask("start checkout soon fix")).toContain('"soon" is not a duration such as 30m or 2h.');
    expect(await ask("start checkout 30m")).toContain("Say why");

    const past = await schedule(t, { start: "2026-11-29 10:00", end: "2026-12-05 12:00" });
    expect(past.body.errors).toEqual({
      [MAINT_BLOCKS.start]: "The start is in the past: pick a time from now on.",
    });
    const backwards = await schedule(t, { start: "2026-12-05 12:00", end: "2026-12-05 10:00" });
    expect(backwards.body.errors).toEqual({ [MAINT_BLOCKS.end]: "The end must come after the start." });
    const garbled = await schedule(t, { start: "next friday", end: "2026-12-05 10:00" });
    expect(garbled.body.errors).toEqual({
      [MAINT_BLOCKS.start]: "Write a date and time such as 2026-12-05 22:00 (UTC).",
    });
    const unknown = await schedule(t, {
      start: "2026-12-05 10:00",
      end: "2026-12-05 12:00",
      services: "checkout, paymnts",
    });
    expect(unknown.body.errors).toEqual({
      [MAINT_BLOCKS.services]: 'I don\'t know the service "paymnts". Did you mean "payments"?',
    });
    const noType = await schedule(t, { type: "", start: "2026-12-05 10:00", end: "2026-12-05 12:00" });
    expect(noType.body.errors?.[MAINT_BLOCKS.type]).toBe(
      "Choose a type: security, performance, feature, infrastructure.",
    );
    expect(await t.firebreak.store.models.maintenanceWindows.countDocuments()).toBe(0);
  });
});
