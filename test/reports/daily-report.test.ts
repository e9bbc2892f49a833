import { afterEach, describe, expect, it } from "vitest";
import type { IncomingAlert } from "../../src/domain/alert.ts";
import { DEFAULT_ESCALATION_POLICY } from "../../src/domain/escalation.ts";
import { RESOLVE_BLOCKS } from "../../src/slack/views/resolve-modal.ts";
import { recordFiring } from "../../src/store/alert-firings.ts";
import { appendFiredStep, updateAlert } from "../../src/store/alerts.ts";
import { createSchedule } from "../../src/store/schedules.ts";
import type { Models } from "../../src/store/store.ts";
import { AlertDriver, WEBHOOK_SECRET } from "../support/alert-driver.ts";
import { TestClock } from "../support/clock.ts";
import { deliverQueued } from "../support/deliver.ts";
import { eventually } from "../support/eventually.ts";
import { assertValidSurface } from "../support/fake-slack/block-kit.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack/server.ts";
import { IncidentDriver, text } from "../support/incident-driver.ts";
import {
  alice,
  INCIDENTS,
  incidentNumbered,
  kickoffsIn,
  waitForChannelOf,
  waitForIncident,
} from "../support/incident-e2e.ts";
import { reportMarkdown, writeReadmeExample } from "../support/report-markdown.ts";
import { MIN, seedIncident } from "../support/report-seeds.ts";
import { TEAM } from "../support/slack-driver.ts";
import { startTestApp, type TestApp, type TestAppOptions } from "../support/test-app.ts";

// End to end over the real database and the fake Slack: incidents and alerts written by the store's real
// write paths (and one incident through slash commands) keep the roll-ups, and the daily report posted
// from them shows figures worked out by hand below. The app's own poller timer is stopped after its
// first pass; the tests run passes themselves on the test clock. UPDATE_DOCS_IMAGES=1 writes the seeded
// week's report, as Markdown, into the README (its picture of a real report).

const REPORTS = "C0REPORTS";
const ENV = {
  REPORT_CHANNEL: REPORTS,
  REPORT_TIMEZONE: "UTC",
  REPORT_WEEKLY_CRON: "off",
  REPORT_MONTHLY_CRON: "off",
  ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
};
/** A Sunday noon: the last daily report (Friday 09:00) is more than 12 hours old, so start-up posts none. */
const SUNDAY_NOON = "2026-11-08T12:00:00Z";

const apps: TestApp[] = [];
const slacks: FakeSlack[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop().catch(() => undefined);
  for (const slack of slacks.splice(0)) await slack.close();
});

async function start(options: TestAppOptions & { stopTimer?: boolean } = {}): Promise<TestApp> {
  const t = await startTestApp({ ...options, env: { ...ENV, ...options.env } });
  apps.push(t);
  if (!t.slack.state.channels[REPORTS])
    t.slack.addChannel({ id: REPORTS, name: "reports", members: [t.slack.state.bot.user_id] });
  // The first pass (start-up's catch-up) has run or is running; the tests run the passes after it.
  await t.firebreak.poller.stop();
  return t;
}

const reportPosts = (slack: FakeSlack) =>
  slack.callsToChannel("chat.postMessage", REPORTS).filter((c) => c.ok);

/** Runs poller passes until the queued Slack work is done. */
async function deliver(t: TestApp): Promise<void> {
  await deliverQueued(t, 20);
}

const at = (iso: string) => new Date(`2026-11-${iso}Z`);

const incoming = (fingerprint: string, source: string, service: string): IncomingAlert => ({
  source,
  fingerprint,
  status: "firing",
  title: `Alert ${fingerprint}`,
  severity: "low",
  service,
  description: "",
  links: [],
  labels: [],
  annotations: [],
});

async function seedAlert(
  models: Models,
  fingerprint: string,
  source: string,
  service: string,
  firedAt: Date,
) {
  const fired = await recordFiring(models, incoming(fingerprint, source, service), {
    now: firedAt,
    paging: false,
    policy: DEFAULT_ESCALATION_POLICY,
  });
  if (fired.kind !== "opened") throw new Error(`alert ${fingerprint} did not open`);
  return fired.alert;
}

describe("the daily report", () => {
  it("shows a seeded week's figures, as worked out by hand", async () => {
    const t = await start({ clock: new TestClock(SUNDAY_NOON) });
    const models = t.firebreak.store.models;
    const drive = new IncidentDriver(t);
    const alerts = new AlertDriver(t);
    t.slack.addUser(alice);
    await createSchedule(models, {
      workspaceId: TEAM.id,
      name: "primary",
      timeZone: "UTC",
      members: [alice.id],
      handoff: { weekday: 1, time: "09:00" },
      startsAt: at("02T09:00:00"),
      createdBy: alice.id,
      createdAt: at("02T09:00:00"),
    });

    // The report of Monday 23 Nov 09:00 covers Sun 22 09:00 → Mon 23 09:00; its 7 days start Mon 16 09:00,
    // the 7 days before them Mon 9 09:00.
    // P, the week before: SEV2, acknowledged after 20 min, resolved after 250 min.
    await seedIncident(
      models,
      "p",
      { severity: "sev2", title: "Payments slow", declaredAt: at("10T10:00:00") },
      { ackAfter: 20, resolveAfter: 250 },
    );
    // W, this week but not today: SEV3, acknowledged after 30 min (target 60), resolved after 90 min.
    await seedIncident(
      models,
      "w",
      { severity: "sev3", title: "Search stale", declaredAt: at("18T12:00:00") },
      { ackAfter: 30, resolveAfter: 90 },
    );
    // X, today: SEV1, acknowledged after 8 min (target 5: a breach), resolved after 60 min.
    const x = await seedIncident(
      models,
      "x",
      { severity: "sev1", title: "Checkout down", declaredAt: at("22T14:00:00") },
      { ackAfter: 8, resolveAfter: 60 },
    );
    // Z, today: SEV3 declared 07:45, never acknowledged: 75 min at 09:00, past its 60 (a breach).
    await seedIncident(
      models,
      "z",
      { severity: "sev3", title: "Images missing", declaredAt: at("23T07:45:00") },
      {},
    );

    // Y, today, through slash commands: SEV2 declared at 07:00, acknowledged at 07:12 (target 15), still
    // open; its status update fell due at 07:30 (every 30 min), so at 09:00 it is stale, 120 min since.
    t.clock.set(at("23T07:00:00"));
    await drive.incident(alice, "declare sev2 Login errors");
    await waitForIncident(t, 5);
    const yChannel = await waitForChannelOf(t, 5);
    t.clock.set(at("23T07:12:00"));
    const ack = await drive.incident(alice, "ack INC-5");
    await drive.answer(ack.responseId, /acknowledged/i);

    // Alerts today: two generic ones on checkout by webhook (one resolved by its source), two from grafana
    // on search acknowledged after 4 and 2 min (one escalated past its first level); one yesterday morning.
    await seedAlert(models, "old", "generic", "checkout", at("21T10:00:00"));
    t.clock.set(at("22T10:00:00"));
    expect((await alerts.fire("a1", { severity: "low" })).status).toBe(202);
    t.clock.set(at("22T10:30:00"));
    expect((await alerts.fire("a1", { severity: "low", status: "resolved" })).status).toBe(202);
    t.clock.set(at("22T11:00:00"));
    expect((await alerts.fire("a2", { severity: "low" })).status).toBe(202);
    const a3 = await seedAlert(models, "a3", "grafana", "search", at("22T12:00:00"));
    await updateAlert(models, a3.id, {
      state: "acknowledged",
      acknowledgedAt: at("22T12:04:00"),
      acknowledgedBy: alice.id,
    });
    const a4 = await seedAlert(models, "a4", "grafana", "search", at("22T13:00:00"));
    await appendFiredStep(
      models,
      a4.id,
      { step: 1, at: at("22T13:01:00"), paged: [alice.id] },
      { nextStep: 2 },
    );
    await updateAlert(models, a4.id, {
      state: "acknowledged",
      acknowledgedAt: at("22T13:02:00"),
      acknowledgedBy: alice.id,
    });

    t.clock.set(at("23T09:00:00"));
    const outcome = await t.firebreak.reports.trigger("daily");
    expect(outcome).toMatchObject({ status: "queued", late: false });
    await deliver(t);
    const posts = reportPosts(t.slack);
    expect(posts).toHaveLength(1);
    const message = posts[0]?.args as { text: string; blocks: unknown[] };
    assertValidSurface({ kind: "message", ...message });
    const text = message.text;

    expect(text).toContain("*Declared: 3* (SEV1 1 · SEV2 1 · SEV3 1)"); // X, Y, Z
    expect(text).toContain(`:red_circle: *INC-${x.number}*`);
    expect(text).toContain(`:large_orange_circle: *INC-5* <#${yChannel}> Login errors`);
    expect(text).toContain("*Resolved: 1* (SEV1 1)"); // X
    expect(text).toContain("Checkout down — resolved after 1 h");
    expect(text).toContain("*Open incidents: 2*, 1 stale (status update overdue)"); // Y (stale) and Z
    expect(text).toContain(
      "Login errors — SEV2 · Investigating · open 2 h · commander <@U0ALICE> · last update 2 h ago :warning: *stale*",
    );
    // MTTA today: X 8, Y 12 → 10 min. 7 days: W 30, X 8, Y 12 → 16 min 40 s; before: P 20 → −16.7 % → ▼ 17 %.
    expect(text).toContain(
      "*MTTA* (declared → acknowledged): last 24 hours 10 min · 7 days 16 min 40 s ▼ 17% vs the 7 days before (20 min)",
    );
    // MTTR today: X 60 → 1 h. 7 days: W 90, X 60 → 75 min; before: P 250 → (75 − 250) / 250 = ▼ 70 %.
    expect(text).toContain(
      "*MTTR* (declared → resolved): last 24 hours 1 h · 7 days 1 h 15 min ▼ 70% vs the 7 days before (4 h 10 min)",
    );
    expect(text).toContain("*Response-time breaches: 2*");
    expect(text).toContain(`*INC-${x.number}* SEV1 acknowledged after 8 min (target 5 min)`);
    expect(text).toContain("SEV3 not acknowledged for 1 h 15 min (target 1 h)");
    // a1..a4: 4 received, a3 and a4 acknowledged after 4 and 2 min (mean 3), a4 escalated, a1 auto-resolved.
    expect(text).toContain(
      "*Alerts, last 24 hours:* 4 received · 2 acknowledged (mean 3 min to acknowledge) · 1 escalated · 1 auto-resolved",
    );
    expect(text).toContain("Noisiest sources: generic 2 · grafana 2");
    expect(text).toContain("Noisiest services: checkout 2 · search 2");
    expect(text).toContain(
      "*On call today:* L1 <@U0ALICE> (primary) · L2 nobody on secondary · L3 nobody on manager",
    );

    if (process.env.UPDATE_DOCS_IMAGES) writeReadmeExample(reportMarkdown(message.blocks, t.slack));

    // node-cron firing again, or in another process, finds the period claimed.
    expect(await t.firebreak.reports.trigger("daily")).toMatchObject({ status: "already_posted" });
  });

  it("is one line on a quiet day", async () => {
    const t = await start({ clock: new TestClock(SUNDAY_NOON) });
    t.clock.set("2026-11-10T09:00:00Z");
    expect(await t.firebreak.reports.trigger("daily")).toMatchObject({ status: "queued" });
    await deliver(t);
    const posts = reportPosts(t.slack);
    expect(posts.map((p) => p.args.text)).toEqual([":white_check_mark: No incidents in the last 24 hours."]);
  });

  it("leaves out a drill run end to end: drill- channel, labelled messages, nobody paged", async () => {
    const t = await start({ clock: new TestClock(SUNDAY_NOON), env: { INCIDENTS_CHANNEL: INCIDENTS } });
    const drive = new IncidentDriver(t);
    t.slack.addUser(alice);
    t.slack.addChannel({ id: INCIDENTS, name: "incidents", members: [t.slack.state.bot.user_id] });

    t.clock.set("2026-11-10T07:00:00Z");
    await drive.incident(alice, "declare --drill sev2 Practice: checkout down");
    const channelId = await waitForChannelOf(t, 1);
    expect((await waitForIncident(t, 1)).drill).toBe(true);
    expect(t.slack.state.channels[channelId]?.name).toBe("drill-inc-1-practice-checkout-down");
    const kickoff = await eventually(() => kickoffsIn(t, channelId)[0], "the kickoff");
    expect(JSON.stringify(kickoff.blocks)).toContain("DRILL INC-1");
    const announcement = await eventually(() => t.slack.state.messages[INCIDENTS]?.[0], "the announcement");
    expect(announcement.text).toContain("DRILL");

    // Unacknowledged past SEV2's 15 minutes and the policy's levels: still nobody paged.
    t.clock.set("2026-11-10T08:00:00Z");
    await t.firebreak.poller.tick();
    expect(await t.firebreak.store.models.alerts.countDocuments()).toBe(0);
    // Open, it is not among the report's open incidents either.
    const preview = await drive.incident(alice, "report daily preview");
    expect((await drive.answer(preview.responseId)).text).toBe(
      ":white_check_mark: No incidents in the last 24 hours.",
    );

    // A follow-up of the drill, overdue by the report: its owner is reminded, but no report lists it.
    const added = await drive.incident(
      alice,
      "followup add Write up what we practised today 08:30",
      channelId,
    );
    expect((await drive.answer(added.responseId)).text).toContain("F1");
    const followUp = await t.firebreak.store.models.openFollowUps.findOne().lean();
    expect(followUp).toMatchObject({ drill: true, dueAt: new Date("2026-11-10T08:30:00Z") });

    const { triggerId } = await drive.incident(alice, "resolve", channelId);
    await drive.submit(alice, await drive.modalOpenedBy(triggerId), {
      [RESOLVE_BLOCKS.resolution]: { [RESOLVE_BLOCKS.resolution]: text("Practice over") },
    });
    await eventually(
      async () => ((await incidentNumbered(t, 1))?.status === "resolved" ? true : undefined),
      "the drill to be resolved",
    );

    t.clock.set("2026-11-10T09:00:00Z");
    expect(await t.firebreak.reports.trigger("daily")).toMatchObject({ status: "queued" });
    await deliver(t);
    expect(reportPosts(t.slack).map((p) => p.args.text)).toEqual([
      ":white_check_mark: No incidents in the last 24 hours.",
    ]);
  });

  it("is posted once by two app instances triggered at the scheduled minute", async () => {
    const clock = new TestClock(SUNDAY_NOON);
    const slack = await startFakeSlack({
      clock: () => clock.nowMs(),
      workspace: { id: TEAM.id, domain: TEAM.domain },
    });
    slacks.push(slack);
    const a = await start({ clock, slack });
    const b = await start({ clock, slack, dbName: a.dbName });
    clock.set("2026-11-10T09:00:00Z");
    const outcomes = await Promise.all([
      a.firebreak.reports.trigger("daily"),
      b.firebreak.reports.trigger("daily"),
    ]);
    expect(outcomes.map((o) => o?.status).sort()).toEqual(["already_posted", "queued"]);
    await Promise.all([a.firebreak.poller.tick(), b.firebreak.poller.tick()]);
    await deliver(a);
    await deliver(b);
    expect(reportPosts(slack)).toHaveLength(1);
  });

  it("is posted once, saying it is late, by an app started two hours after the scheduled time", async () => {
    const clock = new TestClock("2026-11-10T11:00:00Z");
    const slack = await startFakeSlack({
      clock: () => clock.nowMs(),
      workspace: { id: TEAM.id, domain: TEAM.domain },
    });
    slacks.push(slack);
    slack.addChannel({ id: REPORTS, name: "reports", members: [slack.state.bot.user_id] });
    const first = await startTestApp({ clock, slack, env: ENV });
    apps.push(first);
    // Start-up's first pass queues the missed report and posts it.
    await eventually(() => reportPosts(slack).length > 0 || undefined, "the missed report");
    await first.firebreak.poller.tick();
    const posts = reportPosts(slack);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args.text).toContain("This report is late: it was due <!date^1794301200^");
    // A restart later that morning does not post it again.
    await first.stop({ keepData: true });
    apps.splice(apps.indexOf(first), 1);
    clock.advance(10 * MIN);
    const second = await start({ clock, slack, dbName: first.dbName });
    await second.firebreak.poller.tick();
    await deliver(second);
    expect(reportPosts(slack)).toHaveLength(1);
  });
});

describe("the weekly review", () => {
  it("goes out with the daily report on a Monday, each once, both late after a late start", async () => {
    const t = await start({
      clock: new TestClock("2026-11-23T10:00:00Z"),
      env: { REPORT_WEEKLY_CRON: "0 9 * * 1" },
    });
    await deliver(t);
    const texts = reportPosts(t.slack).map((p) => String(p.args.text));
    expect(texts).toHaveLength(2);
    expect(texts.find((text) => text.includes("last 24 hours"))).toContain("This report is late");
    expect(texts.find((text) => text.includes("last 7 days"))).toContain("This report is late");
    expect(await t.firebreak.reports.trigger("weekly")).toMatchObject({ status: "already_posted" });
  });
});

describe("/incident report", () => {
  it("previews a report to the caller only, posts one to the report channel, and explains a wrong word", async () => {
    const t = await start({ clock: new TestClock(SUNDAY_NOON) });
    const drive = new IncidentDriver(t);
    t.slack.addUser(alice);

    const preview = await drive.incident(alice, "report weekly preview");
    const answer = await drive.answer(preview.responseId);
    expect(answer.body.response_type).toBe("ephemeral");
    expect(answer.text).toBe(":white_check_mark: No incidents in the last 7 days.");
    expect(reportPosts(t.slack)).toHaveLength(0);

    const posted = await drive.incident(alice, "report");
    expect((await drive.answer(posted.responseId)).text).toBe(
      `The daily report is on its way to <#${REPORTS}>.`,
    );
    await deliver(t);
    expect(reportPosts(t.slack).map((p) => p.args.text)).toEqual([
      ":white_check_mark: No incidents in the last 24 hours.",
    ]);

    const wrong = await drive.incident(alice, "report yearly");
    expect((await drive.answer(wrong.responseId)).text).toBe(
      '"yearly" is not daily, weekly, monthly or preview. Usage: `/incident report [daily|weekly|monthly] [preview]`',
    );
  });
});
