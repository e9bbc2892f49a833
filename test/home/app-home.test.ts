import { afterEach, describe, expect, it } from "vitest";
import { HOME_LANE, HOME_REFRESH_WORK } from "../../src/home/home.ts";
import { INCIDENT_VIEWS } from "../../src/slack/ids.ts";
import { DECLARE_BLOCKS } from "../../src/slack/views/declare-modal.ts";
import { HOME_DECLARE_ACTION } from "../../src/slack/views/home.ts";
import { RESOLVE_BLOCKS } from "../../src/slack/views/resolve-modal.ts";
import { TestClock } from "../support/clock.ts";
import { deliverQueued } from "../support/deliver.ts";
import { eventually } from "../support/eventually.ts";
import { IncidentDriver, option, text } from "../support/incident-driver.ts";
import { alice, waitForChannelOf } from "../support/incident-e2e.ts";
import { appHomeOpened, blockActions } from "../support/slack-payloads.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

// End to end over the real receiver, the database and the fake Slack, on the test clock: the Home tab a
// person sees when they open it, and the refreshes a change queues for the people it concerns. The app's
// own poller timer is stopped; the tests run its passes, so queued work goes out only when they say.

const bob = { id: "U0BOB", name: "bob" };
const carol = { id: "U0CAROL", name: "carol" };
const SUNDAY_NOON = "2026-11-08T12:00:00Z";
const ENV = {
  REPORT_TIMEZONE: "UTC",
  // Alice is on call at L1; nobody covers the secondary schedule (there is none).
  ESCALATION_POLICY: JSON.stringify({
    levels: [
      { afterMinutes: 0, targets: [alice.id] },
      { afterMinutes: 15, targets: ["schedule:secondary"] },
    ],
  }),
};

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop().catch(() => undefined);
});

async function start(): Promise<{ t: TestApp; drive: IncidentDriver }> {
  const t = await startTestApp({ clock: new TestClock(SUNDAY_NOON), env: ENV });
  apps.push(t);
  for (const person of [alice, bob, carol]) t.slack.addUser(person);
  await t.firebreak.poller.stop();
  return { t, drive: new IncidentDriver(t) };
}

async function command(drive: IncidentDriver, user: typeof alice, line: string, channel?: string) {
  const { responseId } = await drive.incident(user, line, channel);
  return (await drive.answer(responseId)).text;
}

/** Declares INC-1, a SEV2 commanded by Alice, and returns its channel. */
async function declare(t: TestApp, drive: IncidentDriver): Promise<string> {
  await command(drive, alice, "declare sev2 Checkout is failing");
  return waitForChannelOf(t, 1);
}

const publishesTo = (t: TestApp, userId: string) =>
  t.slack.callsTo("views.publish").filter((c) => c.ok && c.args.user_id === userId);

/** The Home tab the person sees now, as text. */
function homeOf(t: TestApp, userId: string): string {
  const view = t.slack.state.views[t.slack.state.homeViews[userId] ?? ""];
  if (!view) throw new Error(`${userId} has no Home tab`);
  return JSON.stringify(view.blocks);
}

/** The refreshes waiting in the queue, by person. */
async function pendingRefreshes(t: TestApp): Promise<string[]> {
  const items = await t.firebreak.store.models.deliveries.find({ kind: HOME_REFRESH_WORK }).lean();
  for (const item of items) expect(item.channel).toBe(HOME_LANE);
  return items.map((item) => String((item.payload as { userId: string }).userId)).sort();
}

describe("the App Home", () => {
  it("shows a viewer who opens it their incident, their overdue follow-up and that they are on call", async () => {
    const { t, drive } = await start();
    const channel = await declare(t, drive);
    await command(
      drive,
      alice,
      `followup add Rotate the leaked key <@${alice.id}|alice> 2026-11-08 13:00`,
      channel,
    );
    await command(drive, alice, `followup add Write the runbook <@${bob.id}|bob>`, channel);
    t.clock.set(new Date("2026-11-08T14:00:00Z"));

    const response = await t.send.event(appHomeOpened({ user: alice.id }));
    expect(response.status).toBe(200);
    await eventually(() => publishesTo(t, alice.id)[0], "Alice's Home published");
    const home = homeOf(t, alice.id);
    expect(home).toContain("*Your incidents: 1*");
    expect(home).toMatch(
      new RegExp(
        `\\*INC-1\\* Checkout is failing — SEV2 · Investigating · 2 h · <#${channel}> · you are \\*Commander\\*`,
      ),
    );
    expect(home).toContain("*Your follow-ups: 1* (1 overdue)");
    expect(home).toContain(
      `*INC-1 F1* <#${channel}> Rotate the leaked key — :warning: overdue since <!date^`,
    );
    // Bob's follow-up is his, not hers.
    expect(home).not.toContain("Write the runbook");
    expect(home).toContain("*Open incidents: 1* (SEV2 1)");
    expect(home).toContain("You are on call now (L1).");
    expect(home).toContain(`*L1* <@${alice.id}> — *you*`);
    expect(home).toContain("*L2* _nobody on secondary_");
    expect(home).toContain(HOME_DECLARE_ACTION);
  });

  it("refreshes, as queued work, the Homes of the people a change concerns: once each however many changes", async () => {
    const { t, drive } = await start();
    const channel = await declare(t, drive);
    await command(drive, alice, `followup add Write the runbook <@${bob.id}|bob>`, channel);
    // Nothing is published on the request path: the declare and the follow-up only queued refreshes, one
    // per person (Alice's two coalesced).
    expect(t.slack.callsTo("views.publish")).toEqual([]);
    expect(await pendingRefreshes(t)).toEqual([alice.id, bob.id]);
    await deliverQueued(t, 30);
    expect(publishesTo(t, alice.id)).toHaveLength(1);
    expect(publishesTo(t, bob.id)).toHaveLength(1);
    expect(homeOf(t, bob.id)).toContain("You hold no role in an open incident.");
    expect(homeOf(t, bob.id)).toContain("Write the runbook — no due date");

    // Three changes: Bob takes over as commander (Alice loses the role), then the severity moves twice.
    await command(drive, alice, `role commander <@${bob.id}|bob>`, channel);
    await command(drive, bob, "severity sev1", channel);
    await command(drive, bob, "severity sev3", channel);
    expect(await pendingRefreshes(t)).toEqual([alice.id, bob.id]);
    await deliverQueued(t, 30);
    expect(publishesTo(t, alice.id)).toHaveLength(2);
    expect(publishesTo(t, bob.id)).toHaveLength(2);
    expect(homeOf(t, alice.id)).toContain("You hold no role in an open incident.");
    expect(homeOf(t, bob.id)).toMatch(/\*INC-1\* Checkout is failing — SEV3 .* you are \*Commander\*/);
    // Carol is concerned by none of it.
    expect(publishesTo(t, carol.id)).toEqual([]);

    // Resolving takes the incident off the Homes of its role holders.
    await command(drive, bob, "followup done F1", channel);
    await deliverQueued(t, 30);
    expect(homeOf(t, bob.id)).toContain("No open follow-up is yours.");
    const { triggerId } = await drive.incident(bob, "resolve", channel);
    const modal = await drive.modalOpenedBy(triggerId);
    await drive.submit(bob, modal, {
      [RESOLVE_BLOCKS.resolution]: { [RESOLVE_BLOCKS.resolution]: text("Rolled back") },
    });
    // The form's handler answers Slack first and resolves after: wait for the refresh it queues.
    await eventually(
      async () => ((await pendingRefreshes(t)).includes(bob.id) ? true : undefined),
      "a refresh",
    );
    await deliverQueued(t, 30);
    expect(homeOf(t, bob.id)).toContain("No open incidents.");
    expect(homeOf(t, bob.id)).toContain("You hold no role in an open incident.");
  });

  it("lists a follow-up as overdue in its owner's Home once it is past due, without them opening it", async () => {
    const { t, drive } = await start();
    const channel = await declare(t, drive);
    await command(
      drive,
      bob,
      `followup add Rotate the leaked key <@${carol.id}|carol> 2026-11-08 13:00`,
      channel,
    );
    await deliverQueued(t, 30);
    expect(homeOf(t, carol.id)).toContain("*Your follow-ups: 1* (0 overdue)");
    expect(publishesTo(t, carol.id)).toHaveLength(1);

    t.clock.set(new Date("2026-11-08T13:00:30Z"));
    await deliverQueued(t, 30);
    expect(publishesTo(t, carol.id)).toHaveLength(2);
    expect(homeOf(t, carol.id)).toContain("*Your follow-ups: 1* (1 overdue)");
    expect(homeOf(t, carol.id)).toContain("Rotate the leaked key — :warning: overdue since <!date^");
    // Once: later passes neither remind nor refresh again.
    t.clock.advance(3_600_000);
    await deliverQueued(t, 30);
    expect(publishesTo(t, carol.id)).toHaveLength(2);
  });

  it("opens the declare form from the Home's Declare button, and declares from it", async () => {
    const { t, drive } = await start();
    await t.send.event(appHomeOpened({ user: carol.id }));
    await eventually(() => publishesTo(t, carol.id)[0], "Carol's Home");
    const triggerId = t.slack.newTriggerId(carol.id);
    const response = await t.send.interaction(
      blockActions({
        user: carol,
        actionId: HOME_DECLARE_ACTION,
        blockId: "home_actions",
        value: "declare",
        view: { id: t.slack.state.homeViews[carol.id] ?? "" },
        triggerId,
      }),
    );
    expect(response.status).toBe(200);
    const modal = await drive.modalOpenedBy(triggerId);
    expect(modal.callback_id).toBe(INCIDENT_VIEWS.declare);
    await drive.submit(carol, modal, {
      [DECLARE_BLOCKS.title]: { [DECLARE_BLOCKS.title]: text("Search is slow") },
      [DECLARE_BLOCKS.severity]: { [DECLARE_BLOCKS.severity]: option("sev3") },
    });
    const channel = await waitForChannelOf(t, 1);
    // The form's handler answers Slack first and declares after: wait for the refresh it queues.
    await eventually(
      async () => ((await pendingRefreshes(t)).includes(carol.id) ? true : undefined),
      "a refresh",
    );
    await deliverQueued(t, 30);
    expect(homeOf(t, carol.id)).toContain(
      `*INC-1* Search is slow — SEV3 · Investigating · 0 s · <#${channel}> · you are *Commander*`,
    );
  });
});
