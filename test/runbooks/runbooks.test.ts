import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TimelineEvent } from "../../src/domain/timeline.ts";
import { DECLARE_BLOCKS } from "../../src/slack/views/declare-modal.ts";
import { TestClock } from "../support/clock.ts";
import { deliverQueued } from "../support/deliver.ts";
import { eventually } from "../support/eventually.ts";
import type { Message } from "../support/fake-slack/state.ts";
import { IncidentDriver, option, text } from "../support/incident-driver.ts";
import { alice, eventsOf, waitForChannelOf, waitForIncident } from "../support/incident-e2e.ts";
import { blockActions } from "../support/slack-payloads.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

// End to end over the real database, the fake Slack and signed requests: the runbooks in runbooks/ (the
// default RUNBOOKS_DIR) post their checklist on a matching incident, ticks reach the timeline once with who
// and when, `/incident runbook` shows the progress and the postmortem draft the state. A folder with broken
// files is reported at start-up and the bot still starts with the good one.

const bob = { id: "U0BOB", name: "bob" };
const NOW = "2026-11-08T12:00:00Z";

let t: TestApp;
let drive: IncidentDriver;
let declared = 0;

beforeAll(async () => {
  t = await startTestApp({ clock: new TestClock(NOW) });
  drive = new IncidentDriver(t);
  t.slack.addUser(alice);
  t.slack.addUser(bob);
  // The tests run the poller passes themselves.
  await t.firebreak.poller.stop();
});
afterAll(() => t.stop());

/** Declares with one line and returns the incident and its channel, once the queued posts are out. */
async function declare(app: TestApp, driver: IncidentDriver, line: string) {
  const { responseId } = await driver.incident(alice, `declare ${line}`);
  await driver.answer(responseId, /declared|INC-/i);
  const number = ++declared;
  const channel = await waitForChannelOf(app, number);
  const incident = await waitForIncident(app, number);
  await deliverQueued(app, 20);
  return { incident, channel };
}

/** The bot's checklist messages in a channel (by their checkboxes' block ids). */
const checklistsIn = (app: TestApp, channel: string): Message[] =>
  (app.slack.state.messages[channel] ?? []).filter((m) =>
    JSON.stringify(m.blocks ?? []).includes('"block_id":"runbook|'),
  );

interface CheckboxBlock {
  block_id: string;
  text: { text: string };
  accessory: { type: string; action_id: string; initial_options?: unknown[] };
}

const checkboxesOf = (message: Message): CheckboxBlock[] =>
  (message.blocks as CheckboxBlock[]).filter((b) => b.accessory?.type === "checkboxes");

/** Clicks a checklist checkbox as Slack sends it: the element's state after the click, and the click's ts. */
function click(
  app: TestApp,
  user: typeof alice,
  message: Message,
  channel: string,
  box: CheckboxBlock,
  on: boolean,
  actionTs: string,
) {
  const payload = blockActions({
    user,
    actionId: box.accessory.action_id,
    blockId: box.block_id,
    message: { channelId: channel, ts: message.ts, blocks: message.blocks as unknown[] },
    triggerId: app.slack.newTriggerId(user.id),
    responseUrl: app.slack.responseUrl(),
  });
  payload.actions = [
    {
      type: "checkboxes",
      action_id: box.accessory.action_id,
      block_id: box.block_id,
      selected_options: on ? [{ text: { type: "plain_text", text: "Done" }, value: "done" }] : [],
      action_ts: actionTs,
    },
  ];
  return app.send.interaction(payload);
}

const checklistEvents = (events: readonly TimelineEvent[]) =>
  events.filter((e) => e.type === "checklist_item_checked" || e.type === "checklist_item_unchecked");

describe("runbook checklists", () => {
  it("declaring a `database` incident posts the database runbook checklist in its channel", async () => {
    const { incident, channel } = await declare(
      t,
      drive,
      "--type database sev2 Primary database refuses connections",
    );
    const [checklist, ...more] = checklistsIn(t, channel);
    expect(more).toHaveLength(0);
    const message = checklist ?? expect.fail("no checklist posted");
    expect(JSON.stringify(message.blocks)).toContain("Runbook: Database emergency");
    const boxes = checkboxesOf(message);
    expect(boxes.map((b) => b.block_id.split("|")[3])).toEqual([
      "check-provider-status",
      "verify-credentials",
      "read-only-mode",
      "check-security-rules",
      "watch-metrics",
      "find-slow-queries",
      "check-limits",
      "apply-fix",
      "test-core-functions",
      "monitor-response-times",
      "document-root-cause",
      "update-monitoring",
      "review-security-rules",
      "plan-performance",
      "update-runbook",
    ]);
    expect(boxes.every((b) => b.block_id.startsWith(`runbook|${incident.id}|database-emergency|`))).toBe(
      true,
    );
    expect(boxes.some((b) => b.accessory.initial_options)).toBe(false);
    const attached = (await eventsOf(t, incident.id)).filter((e) => e.type === "runbook_attached");
    expect(attached.map((e) => e.payload)).toEqual([
      { runbookId: "database-emergency", title: "Database emergency", items: 15 },
    ]);
  });

  it("matches by service too, from the form, whose Type menu lists the runbooks' types", async () => {
    const { triggerId } = await drive.incident(alice, "declare");
    const modal = await drive.modalOpenedBy(triggerId);
    const typeMenu = JSON.stringify(modal.blocks).match(/"block_id":"declare_type"/);
    expect(typeMenu).not.toBeNull();
    expect(JSON.stringify(modal.blocks)).toContain('"value":"high-traffic"');
    await drive.submit(alice, modal, {
      [DECLARE_BLOCKS.title]: { [DECLARE_BLOCKS.title]: text("Writes time out") },
      [DECLARE_BLOCKS.severity]: { [DECLARE_BLOCKS.severity]: option("sev3") },
      [DECLARE_BLOCKS.services]: { [DECLARE_BLOCKS.services]: text("checkout, Firestore") },
    });
    const number = ++declared;
    const channel = await waitForChannelOf(t, number);
    await eventually(
      async () => (await deliverQueued(t, 20)) && checklistsIn(t, channel)[0],
      "the checklist",
    );
    expect(JSON.stringify(checklistsIn(t, channel)[0]?.blocks)).toContain("Runbook: Database emergency");
  });

  it("posts nothing for an incident no runbook applies to, and refuses an unknown type", async () => {
    const { channel } = await declare(t, drive, "sev3 Search is slow");
    expect(checklistsIn(t, channel)).toHaveLength(0);
    const { responseId } = await drive.incident(alice, "declare --type lunar sev2 Moon down");
    const answer = await drive.answer(responseId, /not an incident type/);
    expect(answer.text).toContain("`lunar` is not an incident type");
    expect(answer.text).toContain("`database`, `ddos`, `high-traffic`");
  });

  it("records each tick on the timeline with who and when, once per click, and unticks too", async () => {
    const { incident, channel } = await declare(t, drive, "--type database sev1 Database down");
    const message = checklistsIn(t, channel)[0] ?? expect.fail("no checklist posted");
    const [first, second] = checkboxesOf(message);
    if (!first || !second) return expect.fail("the checklist has fewer than two items");

    t.clock.advance(60_000);
    const firstAt = t.clock.now();
    await click(t, alice, message, channel, first, true, "1762603260.000100");
    await eventually(async () => checklistEvents(await eventsOf(t, incident.id))[0], "the first tick");
    t.clock.advance(60_000);
    const secondAt = t.clock.now();
    await click(t, bob, message, channel, second, true, "1762603320.000200");
    // Slack retries the first click: nothing new is recorded.
    await click(t, alice, message, channel, first, true, "1762603260.000100");
    const ticks = await eventually(async () => {
      const found = checklistEvents(await eventsOf(t, incident.id));
      return found.length >= 2 ? found : undefined;
    }, "two ticks");
    await deliverQueued(t, 20);
    expect(checklistEvents(await eventsOf(t, incident.id))).toHaveLength(2);
    expect(ticks.map((e) => [e.type, e.actorId, e.at.toISOString(), e.payload])).toEqual([
      [
        "checklist_item_checked",
        alice.id,
        firstAt.toISOString(),
        {
          runbookId: "database-emergency",
          itemId: "check-provider-status",
          text: "Assess (0-2 min): check the database provider's status page and read a known test document",
        },
      ],
      [
        "checklist_item_checked",
        bob.id,
        secondAt.toISOString(),
        {
          runbookId: "database-emergency",
          itemId: "verify-credentials",
          text: "Assess: verify the service account, the project access and that authentication works",
        },
      ],
    ]);

    // The posted checklist is edited in place: ticked boxes, with who ticked them.
    const edited = checklistsIn(t, channel)[0] ?? expect.fail("the checklist is gone");
    const [shownFirst, shownSecond, shownThird] = checkboxesOf(edited);
    expect(shownFirst?.accessory.initial_options).toHaveLength(1);
    expect(shownFirst?.text.text).toContain(`<@${alice.id}>`);
    expect(shownSecond?.text.text).toContain(`<@${bob.id}>`);
    expect(shownThird?.accessory.initial_options).toBeUndefined();
    expect(JSON.stringify(edited.blocks)).toContain("2 of 15 done");

    // Unticking is recorded too.
    await click(t, alice, edited, channel, first, false, "1762603400.000300");
    const all = await eventually(async () => {
      const found = checklistEvents(await eventsOf(t, incident.id));
      return found.length === 3 ? found : undefined;
    }, "the untick");
    expect(all.at(-1)).toMatchObject({ type: "checklist_item_unchecked", actorId: alice.id });
  });

  it("shows the progress with /incident runbook, privately", async () => {
    const { incident, channel } = await declare(t, drive, "--type database sev2 Replica lag");
    const message = checklistsIn(t, channel)[0] ?? expect.fail("no checklist posted");
    const [first] = checkboxesOf(message);
    if (!first) return expect.fail("the checklist is empty");
    await click(t, alice, message, channel, first, true, "1762603500.000100");
    // The tick is recorded after the click is acked: ask once it is.
    await eventually(async () => checklistEvents(await eventsOf(t, incident.id))[0], "the tick");
    const { responseId } = await drive.incident(alice, "runbook", channel);
    const answer = await eventually(async () => {
      const found = await drive.answer(responseId);
      return found.text.includes("1 of 15 done") ? found : undefined;
    }, "the progress");
    expect(answer.body.response_type).toBe("ephemeral");
    expect(answer.text).toContain("Database emergency*: 1 of 15 done");
    expect(answer.text).toContain(`:white_check_mark: Assess (0-2 min)`);
    expect(answer.text).toContain(`<@${alice.id}>`);
    expect(answer.text).toContain(":white_large_square: Assess: verify the service account");

    const none = await declare(t, drive, "sev4 Typo on the status page");
    const { responseId: other } = await drive.incident(alice, "runbook", none.channel);
    expect((await drive.answer(other)).text).toContain("has no runbook checklist");
  });

  it("puts the checklist state in the postmortem draft", async () => {
    const { channel } = await declare(t, drive, "--type database sev2 Writes lost");
    const message = checklistsIn(t, channel)[0] ?? expect.fail("no checklist posted");
    const [first] = checkboxesOf(message);
    if (!first) return expect.fail("the checklist is empty");
    await click(t, bob, message, channel, first, true, "1762603600.000100");
    const tickedAt = t.clock.now();
    await eventually(
      async () =>
        JSON.stringify(
          (await t.firebreak.store.models.checklists.find().lean()).map((c) => c.runbooks),
        ).includes(bob.id) || undefined,
      "the tick",
    );
    const { responseId } = await drive.incident(alice, "postmortem", channel);
    await drive.answer(responseId, /draft/i);
    const draft = await eventually(async () => {
      await deliverQueued(t, 20);
      return Object.values(t.slack.state.files).find(
        (f) => f.completed && f.shares.some((s) => s.channel === channel),
      );
    }, "the draft");
    const content = draft.content?.toString("utf8") ?? expect.fail("the draft has no content");
    const section = content.split("## Runbook checklist")[1]?.split("## Contributing factors")[0] ?? "";
    expect(section).toContain("**Database emergency**: 1 of 15 done");
    expect(section).toContain(
      `- [x] Assess (0-2 min): check the database provider's status page and read a known test document (done ${tickedAt.toISOString().slice(0, 16).replace("T", " ")} UTC by @${bob.id})`,
    );
    expect(section).toContain("- [ ] After: update this runbook with what you learned");
  });
});

describe("a runbooks folder with broken files", () => {
  let dir: string;
  const apps: TestApp[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "firebreak-runbooks-"));
    await writeFile(
      join(dir, "payments.md"),
      "---\ntitle: Payments down\ntypes: [payments]\nchecklist:\n  - id: page-provider\n    text: Page the payment provider\n---\n# Payments\n",
    );
    await writeFile(join(dir, "broken-yaml.md"), "---\ntitle: [unclosed\nchecklist: x: y\n---\n");
    await writeFile(
      join(dir, "no-ids.md"),
      "---\ntitle: No ids\ntypes: [cache]\nchecklist:\n  - text: Flush the cache\n---\n",
    );
    await writeFile(join(dir, "no-front-matter.md"), "# Just a document\n");
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("is reported at start-up, file by file, and the bot starts with the good runbook", async () => {
    const app = await startTestApp({ env: { RUNBOOKS_DIR: dir } });
    apps.push(app);
    app.slack.addUser(alice);
    await app.firebreak.poller.stop();
    // startTestApp returned: /readyz answered 200.
    const errors = app.logs.filter((line) => line.level === 50 && typeof line.file === "string");
    expect(errors.map((line) => line.file).sort()).toEqual([
      "broken-yaml.md",
      "no-front-matter.md",
      "no-ids.md",
    ]);
    const byFile = Object.fromEntries(errors.map((line) => [line.file, String(line.msg)]));
    expect(byFile["broken-yaml.md"]).toMatch(
      /^runbook broken-yaml\.md skipped: its front matter is not valid YAML: /,
    );
    expect(byFile["no-ids.md"]).toContain("checklist.0.id: each checklist id must be text");
    expect(byFile["no-front-matter.md"]).toContain("does not start with front matter");

    const driver = new IncidentDriver(app);
    const { responseId } = await driver.incident(alice, "runbook list");
    const listed = await driver.answer(responseId);
    expect(listed.text).toContain("*Payments down* (`payments`)");
    expect(listed.text).toContain("`no-ids.md`: checklist.0.id: each checklist id must be text");

    declared = 0;
    const { channel } = await declare(app, driver, "--type payments sev2 Card payments fail");
    const [checklist] = checklistsIn(app, channel);
    expect(JSON.stringify(checklist?.blocks)).toContain("Page the payment provider");
  });
});
