import { afterEach, describe, expect, it } from "vitest";
import { CHANGE_ACTIONS } from "../../src/slack/ids.ts";
import { CHANGE_BLOCKS } from "../../src/slack/views/change-modal.ts";
import { DECLARE_BLOCKS } from "../../src/slack/views/declare-modal.ts";
import { changeId, getChange, implementingChanges, openChanges } from "../../src/store/changes.ts";
import { deliverQueued } from "../support/deliver.ts";
import { eventually } from "../support/eventually.ts";
import type { Message } from "../support/fake-slack/state.ts";
import { IncidentDriver, option, text } from "../support/incident-driver.ts";
import { buttonsIn, eventsOf, waitForChannelOf, waitForIncident } from "../support/incident-e2e.ts";
import { TEAM } from "../support/slack-driver.ts";
import { type Actor, blockActions, type StateValue } from "../support/slack-payloads.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

// End to end over the real database and the fake Slack, with signed requests and the test clock: change
// requests from the /change form, approvals by the buttons of the approvers' direct messages, the status
// flow by command and button, and an incident declared during an implementing change linked to it.

const alice = { id: "U0ALICE", name: "alice" };
const bob = { id: "U0BOB", name: "bob" };
const carol = { id: "U0CAROL", name: "carol" };
const dave = { id: "U0DAVE", name: "dave" };
const erin = { id: "U0ERIN", name: "erin" };
const eve = { id: "U0EVE", name: "eve" };
const PRODUCT_GROUP = "S0PRODUCT";

/** Carol is a product owner through a user group; the others are listed by id. */
const APPROVERS = {
  "on-call-engineer": [erin.id],
  "tech-lead": [bob.id],
  "product-owner": [PRODUCT_GROUP],
  manager: [dave.id],
  "security-team": ["U0FRANK"],
};

const HOUR = 3_600_000;

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop().catch(() => undefined);
});

async function start(env: Record<string, string> = { CHANGE_APPROVERS: JSON.stringify(APPROVERS) }) {
  const t = await startTestApp({ env });
  apps.push(t);
  for (const person of [alice, bob, carol, dave, erin, eve, { id: "U0FRANK" }]) t.slack.addUser(person);
  t.slack.addUserGroup({ id: PRODUCT_GROUP, handle: "product", users: [carol.id] });
  await t.firebreak.poller.stop();
  return { t, drive: new IncidentDriver(t) };
}

let sequence = 0;

/** Sends `/change <text>` as `user`; returns where its answers go. */
async function change(t: TestApp, user: Actor, commandText: string) {
  const responseId = `change-${++sequence}`;
  const triggerId = t.slack.newTriggerId(user.id);
  const response = await t.send.slashCommand({
    command: "/change",
    text: commandText,
    user,
    responseUrl: t.slack.responseUrl(responseId),
    triggerId,
  });
  expect(response.status).toBe(200);
  return { responseId, triggerId };
}

const field = (block: string, value: StateValue) => ({ [block]: { [block]: value } });
const at = (t: TestApp, offsetMs: number): StateValue => ({
  type: "datetimepicker",
  selected_date_time: Math.floor((t.clock.nowMs() + offsetMs) / 1000),
});

/** A complete form, with `overrides` by block id. */
function form(t: TestApp, type: string, overrides: Record<string, StateValue | undefined> = {}) {
  const values: Record<string, StateValue | undefined> = {
    [CHANGE_BLOCKS.type]: option(type),
    [CHANGE_BLOCKS.title]: text("Upgrade the orders database"),
    [CHANGE_BLOCKS.description]: text("PostgreSQL 14 to 16"),
    [CHANGE_BLOCKS.risk]: option("high"),
    [CHANGE_BLOCKS.scheduledAt]: at(t, 2 * HOUR),
    [CHANGE_BLOCKS.services]: text("orders, Checkout"),
    [CHANGE_BLOCKS.rollbackPlan]: text("Restore last night's snapshot"),
    [CHANGE_BLOCKS.testingPlan]: text("Ran the upgrade on staging"),
    ...overrides,
  };
  return Object.assign(
    {},
    ...Object.entries(values).flatMap(([block, value]) => (value ? [field(block, value)] : [])),
  ) as Record<string, Record<string, StateValue>>;
}

/** `/change request`, then the form submitted; returns the form's HTTP answer and where replies go. */
async function request(t: TestApp, drive: IncidentDriver, type: string, overrides = {}) {
  const { responseId, triggerId } = await change(t, alice, "request");
  const modal = await drive.modalOpenedBy(triggerId);
  const response = await drive.submit(alice, modal, form(t, type, overrides));
  return { response, responseId, modal };
}

/** The bot's direct messages to a person, oldest first. */
function dmsTo(t: TestApp, userId: string): Message[] {
  const dm = Object.values(t.slack.state.channels).find((c) => c.is_im && c.user === userId);
  return dm ? (t.slack.state.messages[dm.id] ?? []) : [];
}

/** Clicks a button of a message in a person's DM; returns the answer on the click's response_url. */
async function click(t: TestApp, drive: IncidentDriver, user: Actor, message: Message, actionId: string) {
  const button = buttonsIn(message.blocks).find((b) => b.actionId === actionId);
  expect(button, `no ${actionId} button`).toBeDefined();
  const responseId = `click-${++sequence}`;
  const dm = Object.values(t.slack.state.channels).find((c) => c.is_im && c.user === user.id);
  await t.send.interaction(
    blockActions({
      user,
      actionId,
      value: button?.value ?? "",
      message: { channelId: dm?.id ?? "", ts: message.ts, blocks: (message.blocks ?? []) as unknown[] },
      triggerId: t.slack.newTriggerId(user.id),
      responseUrl: t.slack.responseUrl(responseId),
    }),
  );
  return drive.answer(responseId);
}

const stored = (t: TestApp, number = 1) => getChange(t.firebreak.store.models, changeId(TEAM.id, number));

describe("a standard change", () => {
  it("asks both required approvers and is approved only once both have, each recorded with who and when", async () => {
    const { t, drive } = await start();
    const { response, responseId } = await request(t, drive, "standard");
    expect(response.status).toBe(200);
    const submitted = await drive.answer(responseId, /CHG-1 is submitted/);
    expect(submitted.text).toContain(`tech-lead: <@${bob.id}>`);
    expect(submitted.text).toContain(`product-owner: <@${carol.id}>`);
    await deliverQueued(t, 10);

    // Bob and Carol (through her user group) are asked; the manager is not needed for a standard change.
    const toBob = dmsTo(t, bob.id)[0] ?? expect.fail("no DM to Bob");
    const toCarol = dmsTo(t, carol.id)[0] ?? expect.fail("no DM to Carol");
    expect(buttonsIn(toBob.blocks).map((b) => b.actionId)).toEqual([
      CHANGE_ACTIONS.approve,
      CHANGE_ACTIONS.reject,
    ]);
    expect(toCarol.text).toContain("as *product-owner*");
    expect(dmsTo(t, dave.id)).toEqual([]);

    t.clock.advance(60_000);
    const bobApproves = await click(t, drive, bob, toBob, CHANGE_ACTIONS.approve);
    expect(bobApproves.text).toContain("It still waits for product-owner");
    expect(bobApproves.body.replace_original).toBe(true);
    expect((await stored(t))?.status).toBe("submitted");

    // A double click changes nothing.
    const again = await click(t, drive, bob, toBob, CHANGE_ACTIONS.approve);
    expect(again.text).toContain("You already approved CHG-1");
    expect((await stored(t))?.approvals).toHaveLength(1);
    // Carol's request, edited in place, shows Bob's approval and keeps her buttons.
    await deliverQueued(t, 10);
    const carolsNow = dmsTo(t, carol.id);
    expect(carolsNow.map((m) => m.ts)).toEqual([toCarol.ts]);
    expect(JSON.stringify(carolsNow[0]?.blocks)).toContain(`:white_check_mark: tech-lead <@${bob.id}>`);
    expect(buttonsIn(carolsNow[0]?.blocks).map((b) => b.actionId)).toEqual([
      CHANGE_ACTIONS.approve,
      CHANGE_ACTIONS.reject,
    ]);
    // Bob's own request is left as his click's answer replaced it: only Carol's was edited.
    expect(t.slack.callsTo("chat.update").map((c) => c.args.ts)).toEqual([toCarol.ts]);

    t.clock.advance(60_000);
    const carolApproves = await click(t, drive, carol, toCarol, CHANGE_ACTIONS.approve);
    expect(carolApproves.text).toContain("it is approved");
    const approved = await stored(t);
    expect(approved?.status).toBe("approved");
    expect(approved?.approvals.map((a) => [a.role, a.userId, a.decision])).toEqual([
      ["tech-lead", bob.id, "approved"],
      ["product-owner", carol.id, "approved"],
    ]);
    expect(approved?.history.at(-1)).toMatchObject({ from: "submitted", to: "approved", actorId: carol.id });
    expect(approved?.history.at(-1)?.at).toEqual(t.clock.now());

    // The requester is told, with the next step's button, and schedules it from there.
    await deliverQueued(t, 10);
    const decided = dmsTo(t, alice.id).at(-1) ?? expect.fail("no DM to Alice");
    expect(decided.text).toContain("CHG-1 is approved");
    const scheduled = await click(t, drive, alice, decided, CHANGE_ACTIONS.schedule);
    expect(scheduled.text).toContain("CHG-1 is now scheduled");
    expect((await stored(t))?.history.at(-1)).toMatchObject({
      from: "approved",
      to: "scheduled",
      actorId: alice.id,
    });
  });

  it("refuses, in words, anyone not listed as an approver and the requester, and changes nothing", async () => {
    const { t, drive } = await start();
    const { responseId } = await request(t, drive, "standard");
    await drive.answer(responseId, /CHG-1 is submitted/);

    const byEve = await change(t, eve, "approve CHG-1");
    const refusal = await drive.answer(byEve.responseId);
    expect(refusal.text).toBe(
      "Only the approvers of CHG-1 may approve or reject it: tech-lead, product-owner. You are not one of them in CHANGE_APPROVERS.",
    );
    const byAlice = await change(t, alice, "approve CHG-1");
    expect((await drive.answer(byAlice.responseId)).text).toContain("You requested CHG-1");
    const tooEarly = await change(t, alice, "schedule CHG-1");
    expect((await drive.answer(tooEarly.responseId)).text).toBe(
      "CHG-1 is waiting for approval; to schedule it, it must be approved.",
    );
    expect(await stored(t)).toMatchObject({ status: "submitted", approvals: [] });
  });

  it("stores a retried form submission once", async () => {
    const { t, drive } = await start();
    const { modal, responseId } = await request(t, drive, "routine");
    await drive.answer(responseId, /CHG-1 is submitted/);
    await drive.submit(alice, modal, form(t, "routine"));
    await deliverQueued(t, 10);
    expect(await t.firebreak.store.models.changes.countDocuments()).toBe(1);
    expect(dmsTo(t, bob.id)).toHaveLength(1);
  });
});

describe("a rejected change", () => {
  it("ends at the first reject: no approval or step after it, the requester told, off the open list", async () => {
    const { t, drive } = await start();
    const { responseId } = await request(t, drive, "standard");
    await drive.answer(responseId, /CHG-1 is submitted/);
    await deliverQueued(t, 10);
    expect(buttonsIn(dmsTo(t, carol.id)[0]?.blocks)).toHaveLength(2);

    const rejected = await change(t, bob, "reject CHG-1 The rollback plan is untested");
    expect((await drive.answer(rejected.responseId)).text).toContain("You rejected CHG-1: it is closed");
    expect(await stored(t)).toMatchObject({
      status: "rejected",
      approvals: [
        { role: "tech-lead", userId: bob.id, decision: "rejected", reason: "The rollback plan is untested" },
      ],
    });

    await deliverQueued(t, 10);
    // Both requests, already sent, are edited in place: nothing is left to decide (Bob rejected by command,
    // so his own request is brought up to date too).
    for (const person of [carol, bob]) {
      const [request, ...more] = dmsTo(t, person.id);
      expect(more).toEqual([]);
      expect(buttonsIn(request?.blocks)).toEqual([]);
      expect(JSON.stringify(request?.blocks)).toContain("Nothing to decide any more: CHG-1 is rejected");
    }
    const late = await change(t, carol, "approve CHG-1");
    expect((await drive.answer(late.responseId)).text).toBe(
      "CHG-1 is not waiting for approval: it is rejected.",
    );
    expect(dmsTo(t, alice.id).at(-1)?.text).toContain(
      `CHG-1 was rejected by <@${bob.id}> (tech-lead): The rollback plan is untested`,
    );

    const list = await change(t, alice, "list");
    expect((await drive.answer(list.responseId)).text).toBe(
      "No change requests are open. Start one with `/change request`.",
    );
    expect((await stored(t))?.status).toBe("rejected");
  });
});

describe("an emergency change", () => {
  it("is approved at once, and the on-call engineer and the optional manager are told without buttons", async () => {
    const { t, drive } = await start();
    const { responseId } = await request(t, drive, "emergency", {
      [CHANGE_BLOCKS.scheduledAt]: at(t, 0),
      [CHANGE_BLOCKS.title]: text("Patch <!channel> & the <https://evil|bank> login"),
    });
    const answer = await drive.answer(responseId, /CHG-1/);
    // User text is escaped wherever it is shown: no mention of everyone, no disguised link.
    expect(answer.text).toContain("Patch &lt;!channel&gt; &amp; the &lt;https://evil|bank&gt; login");
    expect(answer.text).not.toContain("<!channel>");
    expect(answer.text).toContain("CHG-1 is an emergency change: approved at once");
    expect(await stored(t)).toMatchObject({ status: "approved", approvals: [] });
    expect((await stored(t))?.history.at(-1)).toMatchObject({ to: "approved", actorId: "firebreak" });

    await deliverQueued(t, 10);
    for (const [person, role] of [
      [erin, "on-call-engineer"],
      [dave, "manager"],
    ] as const) {
      const [notice, ...more] = dmsTo(t, person.id);
      expect(more).toEqual([]);
      expect(notice?.text).toContain(
        `Emergency change CHG-1 was approved automatically. You are told as *${role}*.`,
      );
      expect(buttonsIn(notice?.blocks)).toEqual([]);
      expect(notice?.text).not.toContain("<https://evil");
    }
    expect(dmsTo(t, bob.id)).toEqual([]);
  });
});

describe("an incident declared during an implementing change", () => {
  async function declare(t: TestApp, drive: IncidentDriver, title: string, services: string, number: number) {
    const { triggerId } = await drive.incident(alice, "declare");
    const modal = await drive.modalOpenedBy(triggerId);
    await drive.submit(alice, modal, {
      ...field(DECLARE_BLOCKS.title, text(title)),
      ...field(DECLARE_BLOCKS.severity, option("sev2")),
      ...field(DECLARE_BLOCKS.services, text(services)),
    });
    return waitForIncident(t, number);
  }

  it("links the change on the incident's timeline as a possible cause and tells the channel", async () => {
    const { t, drive } = await start();
    const { responseId } = await request(t, drive, "emergency", { [CHANGE_BLOCKS.scheduledAt]: at(t, 0) });
    await drive.answer(responseId, /CHG-1/);
    for (const step of ["schedule", "start"]) {
      const { responseId: id } = await change(t, alice, `${step} CHG-1`);
      await drive.answer(id, /CHG-1 is now/);
    }
    expect((await implementingChanges(t.firebreak.store.models, TEAM.id)).map((c) => c.number)).toEqual([1]);

    t.clock.advance(5 * 60_000);
    const incident = await declare(t, drive, "Checkout returns 500", "checkout", 1);
    const channelId = await waitForChannelOf(t, 1);
    const linked = await eventually(
      async () => (await eventsOf(t, incident.id)).find((e) => e.type === "change_linked"),
      "the change on the timeline",
    );
    expect(linked).toMatchObject({
      actorId: "firebreak",
      payload: { changeNumber: 1, title: "Upgrade the orders database", reason: "possible cause" },
    });
    const told = await eventually(
      () => t.slack.state.messages[channelId]?.find((m) => m.text?.includes("Possible cause")),
      "the possible cause in the incident channel",
    );
    expect(told.text).toContain(
      "*CHG-1* Upgrade the orders database is being implemented on orders, Checkout",
    );
    expect((await stored(t))?.linkedIncidents).toEqual([1]);

    // An incident on another service is not linked; nor is one after the change completed.
    const other = await declare(t, drive, "Search is slow", "search", 2);
    await waitForChannelOf(t, 2);
    const { responseId: done } = await change(t, alice, "complete CHG-1");
    await drive.answer(done, /CHG-1 is now completed/);
    expect(await implementingChanges(t.firebreak.store.models, TEAM.id)).toEqual([]);
    const after = await declare(t, drive, "Orders API times out", "orders", 3);
    await waitForChannelOf(t, 3);
    for (const quiet of [other, after])
      expect((await eventsOf(t, quiet.id)).map((e) => e.type)).not.toContain("change_linked");
    expect(await openChanges(t.firebreak.store.models, TEAM.id)).toEqual([]);
  });
});

describe("help and bad input", () => {
  it("answers help, unknown sub-commands and a missing or unknown change in words", async () => {
    const { t, drive } = await start();
    const help = await change(t, alice, "help");
    const shown = (await drive.answer(help.responseId)).text;
    expect(shown).toContain("`/change request` — Open the form for a new change request");
    expect(shown).toContain(
      "*Standard*: tech-lead, product-owner must approve; optional security-team; up to 168 h",
    );
    const unknown = await change(t, alice, "deploy CHG-1");
    expect((await drive.answer(unknown.responseId)).text).toContain("I don't know `deploy`.");
    const missing = await change(t, alice, "approve");
    expect((await drive.answer(missing.responseId)).text).toContain("Which change? Name it like CHG-12.");
    const none = await change(t, alice, "show CHG-99");
    expect((await drive.answer(none.responseId)).text).toBe(
      "There is no change CHG-99 in this workspace. See the open ones with `/change list`.",
    );
  });

  it("puts each problem of the form next to its field: missing fields, an unknown type, a time in the past", async () => {
    const { t, drive } = await start();
    const empty = await request(t, drive, "standard", {
      [CHANGE_BLOCKS.title]: text(""),
      [CHANGE_BLOCKS.risk]: undefined,
      [CHANGE_BLOCKS.scheduledAt]: undefined,
      [CHANGE_BLOCKS.services]: text(" , "),
      [CHANGE_BLOCKS.rollbackPlan]: undefined,
      [CHANGE_BLOCKS.testingPlan]: text(""),
    });
    expect(empty.response.body).toEqual({
      response_action: "errors",
      errors: {
        [CHANGE_BLOCKS.title]: "Give the change a short title.",
        [CHANGE_BLOCKS.risk]: "Choose the risk: low, medium or high.",
        [CHANGE_BLOCKS.scheduledAt]: "Choose when the change is scheduled.",
        [CHANGE_BLOCKS.services]: "Name at least one affected service.",
        [CHANGE_BLOCKS.rollbackPlan]: "Write the rollback plan.",
        [CHANGE_BLOCKS.testingPlan]: "Write the testing plan.",
      },
    });
    const wrong = await request(t, drive, "hotfix", { [CHANGE_BLOCKS.scheduledAt]: at(t, -HOUR) });
    expect(wrong.response.body).toEqual({
      response_action: "errors",
      errors: {
        [CHANGE_BLOCKS.type]: "Choose the type: emergency, routine, standard or major.",
        [CHANGE_BLOCKS.scheduledAt]: "That time is in the past; choose now or later.",
      },
    });
    expect(await t.firebreak.store.models.changes.countDocuments()).toBe(0);
  });

  it("says change requests are off while CHANGE_APPROVERS is unset", async () => {
    const { t, drive } = await start({});
    const { responseId } = await change(t, alice, "request");
    expect((await drive.answer(responseId)).text).toContain(
      "Change requests are not set up in this workspace yet",
    );
    expect(t.slack.callsTo("views.open")).toEqual([]);
  });
});
