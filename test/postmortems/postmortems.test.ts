import { afterEach, describe, expect, it } from "vitest";
import { utcTime } from "../../src/domain/postmortem.ts";
import { RESOLVE_BLOCKS } from "../../src/slack/views/resolve-modal.ts";
import { getPostmortem } from "../../src/store/postmortems.ts";
import { TestClock } from "../support/clock.ts";
import { deliverQueued } from "../support/deliver.ts";
import { eventually } from "../support/eventually.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack/server.ts";
import { IncidentDriver, text } from "../support/incident-driver.ts";
import { alice, eventsOf, waitForChannelOf, waitForIncident } from "../support/incident-e2e.ts";
import { TEAM } from "../support/slack-driver.ts";
import { startTestApp, type TestApp, type TestAppOptions } from "../support/test-app.ts";

// End to end over the real database and the fake Slack, on the test clock: a resolved SEV2 gets a
// postmortem whose Markdown draft holds its whole timeline, follow-ups are tracked and reach the daily
// report, and reminders go out once across passes and a restart. The app's own poller timer is stopped
// after its first pass; the tests run the passes themselves.

const REPORTS = "C0REPORTS";
const ENV = {
  REPORT_CHANNEL: REPORTS,
  REPORT_TIMEZONE: "UTC",
  REPORT_WEEKLY_CRON: "off",
  REPORT_MONTHLY_CRON: "off",
};
/** A Sunday noon: no daily report is due at start-up. */
const SUNDAY_NOON = "2026-11-08T12:00:00Z";
const HOUR = 3_600_000;
const bob = { id: "U0BOB", name: "bob" };

const apps: TestApp[] = [];
const slacks: FakeSlack[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop().catch(() => undefined);
  for (const slack of slacks.splice(0)) await slack.close();
});

async function start(options: TestAppOptions = {}): Promise<TestApp> {
  const t = await startTestApp({ ...options, env: { ...ENV, ...options.env } });
  apps.push(t);
  if (!t.slack.state.users[alice.id]) t.slack.addUser(alice);
  if (!t.slack.state.users[bob.id]) t.slack.addUser(bob);
  if (!t.slack.state.channels[REPORTS])
    t.slack.addChannel({ id: REPORTS, name: "reports", members: [t.slack.state.bot.user_id] });
  await t.firebreak.poller.stop();
  return t;
}

/** Runs poller passes until the queued Slack work is done. */
async function deliver(t: TestApp): Promise<void> {
  await deliverQueued(t, 20);
}

/** Declares a SEV2 from a command and returns its channel. */
async function declare(t: TestApp, drive: IncidentDriver, severity = "sev2"): Promise<string> {
  const { responseId } = await drive.incident(alice, `declare ${severity} Checkout is failing`);
  await drive.answer(responseId, /declared/);
  return waitForChannelOf(t, 1);
}

async function resolve(t: TestApp, drive: IncidentDriver, channel: string): Promise<void> {
  const { triggerId } = await drive.incident(alice, "resolve", channel);
  const modal = await drive.modalOpenedBy(triggerId);
  await drive.submit(alice, modal, {
    [RESOLVE_BLOCKS.resolution]: { [RESOLVE_BLOCKS.resolution]: text("Rolled back to v41") },
    [RESOLVE_BLOCKS.rootCause]: { [RESOLVE_BLOCKS.rootCause]: text("A config flag flipped in v42") },
  });
  await eventually(
    async () => ((await waitForIncident(t, 1)).status === "resolved" ? true : undefined),
    "the resolve",
  );
}

async function command(drive: IncidentDriver, line: string, channel: string, user = alice) {
  const { responseId } = await drive.incident(user, line, channel);
  return (await drive.answer(responseId)).text;
}

const uploads = (t: TestApp) =>
  Object.values(t.slack.state.files).filter((f) => f.completed && f.name.includes("postmortem"));

/** Runs passes until `count` drafts are uploaded (the resolve's handler queues the draft after answering). */
async function draftsUploaded(t: TestApp, count: number) {
  await eventually(async () => {
    await t.firebreak.poller.tick();
    t.clock.advance(1_000);
    return uploads(t).length >= count || undefined;
  }, `${count} postmortem drafts uploaded`);
  return uploads(t);
}

const dmsTo = (t: TestApp, userId: string) =>
  t.slack.callsTo("chat.postMessage").filter((c) => c.ok && c.args.channel === userId);

describe("a postmortem", () => {
  it("is drafted when a SEV2 is resolved, with every timeline event, and its final link is recorded", async () => {
    const t = await start({ clock: new TestClock(SUNDAY_NOON) });
    const drive = new IncidentDriver(t);
    const channel = await declare(t, drive);
    await command(drive, "note Payments returns 502s since 11:40", channel);
    t.clock.advance(5 * 60_000);
    const added = await command(
      drive,
      `followup add Add a canary for config flags <@${bob.id}|bob> 2026-11-20`,
      channel,
    );
    expect(added).toContain("F1");
    await resolve(t, drive, channel);
    const [draft, ...more] = await draftsUploaded(t, 1);
    expect(more).toHaveLength(0);
    expect(draft?.name).toBe("inc-1-postmortem-draft-1.md");
    expect(draft?.shares.map((s) => s.channel)).toEqual([channel]);
    const content = draft?.content?.toString("utf8") ?? expect.fail("the draft was not uploaded");
    const incident = await waitForIncident(t, 1);
    const events = await eventsOf(t, incident.id);
    const timeline = content.split("## Timeline")[1]?.split("## Root cause")[0] ?? "";
    const lines = timeline.split("\n").filter((line) => line.startsWith("- "));
    // Every event, in order, each with its time: declare, channel, invites, note, follow-up, resolve, draft.
    expect(lines).toHaveLength(events.length);
    expect(lines.map((line) => line.slice(2, 22))).toEqual(events.map((e) => utcTime(e.at)));
    expect(timeline).toContain("Declared SEV2: Checkout is failing");
    expect(timeline).toContain("Note: Payments returns 502s since 11:40");
    expect(timeline).toContain("Follow-up F1 added: Add a canary for config flags");
    expect(timeline).toContain("Resolved: Rolled back to v41");
    expect(content).toContain("## Root cause\n\nA config flag flipped in v42");
    expect(content).toContain("**Severity**: SEV2");
    expect(content).toContain("**Duration**: 5 min");
    expect(content).toContain(
      `- [ ] **F1** Add a canary for config flags (open, owner @${bob.id}, due 2026-11-20 17:00 UTC)`,
    );
    expect(content).toContain("## Contributing factors");
    expect(content).toContain("## Lessons learned");

    const postmortem = await getPostmortem(t.firebreak.store.models, incident.id);
    expect(postmortem).toMatchObject({ ownerId: alice.id, draftVersion: 1 });
    expect((postmortem?.dueAt.getTime() ?? 0) - (postmortem?.createdAt.getTime() ?? 0)).toBe(48 * HOUR);

    // A new draft on request; a retried delivery pass uploads nothing more.
    expect(await command(drive, "postmortem", channel)).toContain("Postmortem draft 2 of INC-1");
    await draftsUploaded(t, 2);
    await deliver(t);
    expect(uploads(t).map((f) => f.name)).toEqual([
      "inc-1-postmortem-draft-1.md",
      "inc-1-postmortem-draft-2.md",
    ]);

    const refused = await command(drive, "postmortem done docs.example.com/pm", channel);
    expect(refused).toContain("is not a link");
    expect(refused).toContain("Usage:");
    const done = await command(drive, "postmortem done <https://docs.example.com/pm/inc-1>", channel);
    expect(done).toContain("is recorded: https://docs.example.com/pm/inc-1");
    expect(await getPostmortem(t.firebreak.store.models, incident.id)).toMatchObject({
      link: "https://docs.example.com/pm/inc-1",
      doneBy: alice.id,
    });
    const recorded = (await eventsOf(t, incident.id)).filter((e) => e.type === "postmortem_done");
    expect(recorded.map((e) => e.payload)).toEqual([{ link: "https://docs.example.com/pm/inc-1" }]);
  });

  it("answers malformed postmortem and follow-up commands with what to type", async () => {
    const t = await start({ clock: new TestClock(SUNDAY_NOON) });
    const drive = new IncidentDriver(t);
    const channel = await declare(t, drive, "sev3");
    expect(await command(drive, "followup add", channel)).toContain("Say what needs doing.");
    expect(await command(drive, "followup add Fix it 2026-02-30", channel)).toContain("is not a real date");
    expect(await command(drive, "followup done nine", channel)).toContain("Name one follow-up by its id");
    expect(await command(drive, "followup done F7", channel)).toBe(
      "INC-1 has no follow-up F7; see `/incident followup list`.",
    );
    expect(await command(drive, "followup snooze F1", channel)).toContain("is not add, list or done");
    expect(await command(drive, "postmortem done ftp://files.example.com/pm", channel)).toContain(
      "is not a link",
    );
    expect(await command(drive, "postmortem done https://example.com/pm", channel)).toContain(
      "has no postmortem yet",
    );
    expect(await command(drive, "followup list", "C0GENERAL")).toContain("not an incident channel");
    // A SEV3 needs no postmortem by default: resolving it uploads nothing.
    await resolve(t, drive, channel);
    await deliver(t);
    expect(uploads(t)).toEqual([]);
  });
});

describe("follow-ups and reminders", () => {
  it("lists follow-ups, marks them done once, and shows an overdue one in the next daily report", async () => {
    const t = await start({ clock: new TestClock(SUNDAY_NOON) });
    const drive = new IncidentDriver(t);
    const channel = await declare(t, drive, "sev3");
    await command(drive, `followup add Rotate the leaked key <@${bob.id}|bob> 2026-11-08 18:00`, channel);
    await command(drive, "followup add Write the runbook", channel);
    await command(drive, "followup add Tidy the dashboards 2026-11-30", channel);
    expect(await command(drive, "followup done F2", channel)).toBe(":white_check_mark: F2 of INC-1 is done.");
    expect(await command(drive, "followup done f2", channel)).toBe("F2 of INC-1 was already done.");
    const list = await command(drive, "followup list", channel);
    expect(list).toContain("(2 open of 3)");
    expect(list.indexOf("*F1*")).toBeLessThan(list.indexOf("*F2*"));

    // Monday's 09:00 report: F1 was due Sunday 18:00; F3 is not due yet.
    t.clock.set(new Date("2026-11-09T09:00:00Z"));
    expect(await t.firebreak.reports.trigger("daily")).toMatchObject({ status: "queued" });
    await deliver(t);
    const [report] = t.slack.callsToChannel("chat.postMessage", REPORTS).filter((c) => c.ok);
    const blocks = JSON.stringify(report?.args.blocks);
    expect(blocks).toContain("Follow-ups overdue: 1");
    expect(blocks).toContain("Rotate the leaked key");
    expect(blocks).not.toContain("Tidy the dashboards");
    expect(blocks).not.toContain("Postmortems due or overdue");
    // The overdue follow-up's owner was reminded by DM, once.
    expect(dmsTo(t, bob.id).map((c) => String(c.args.text))).toEqual([
      expect.stringContaining("ollow-up *F1* of INC-1"),
    ]);
  });

  it("reminds a postmortem's owner once as it comes due and once when overdue, across passes and a restart", async () => {
    const clock = new TestClock(SUNDAY_NOON);
    const slack = await startFakeSlack({
      clock: () => clock.nowMs(),
      workspace: { id: TEAM.id, domain: TEAM.domain },
    });
    slacks.push(slack);
    const first = await start({ clock, slack, env: { POSTMORTEM_SEVERITIES: "sev1" } });
    const drive = new IncidentDriver(first);
    const channel = await declare(first, drive, "sev1");
    await resolve(first, drive, channel);
    await draftsUploaded(first, 1);
    const reminders = () =>
      dmsTo(first, alice.id).filter((c) => String(c.args.text).includes("postmortem of INC-1"));
    expect(reminders()).toHaveLength(0);

    clock.advance(24 * HOUR + 60_000);
    await deliver(first);
    await first.firebreak.poller.tick();
    expect(reminders()).toHaveLength(1);
    expect(String(reminders()[0]?.args.text)).toContain("is due");

    await first.stop({ keepData: true });
    apps.splice(apps.indexOf(first), 1);
    const second = await start({
      clock,
      slack,
      dbName: first.dbName,
      env: { POSTMORTEM_SEVERITIES: "sev1" },
    });
    await deliver(second);
    expect(reminders()).toHaveLength(1);
    // The restart posted Monday's missed daily report: the postmortem is in it, due, not yet overdue.
    const [report] = slack.callsToChannel("chat.postMessage", REPORTS).filter((c) => c.ok);
    const blocks = JSON.stringify(report?.args.blocks);
    expect(blocks).toContain("Postmortems due or overdue: 1* (0 overdue)");
    expect(blocks).toContain(`*INC-1* <#${channel}> — <@${alice.id}>, due <!date^`);

    clock.advance(24 * HOUR);
    await deliver(second);
    await second.firebreak.poller.tick();
    expect(reminders()).toHaveLength(2);
    expect(String(reminders()[1]?.args.text)).toContain("is overdue");
    // Both reminders were given: no more come.
    clock.advance(24 * HOUR);
    await deliver(second);
    expect(reminders()).toHaveLength(2);
  });
});
