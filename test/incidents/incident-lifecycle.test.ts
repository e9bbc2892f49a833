import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DECLARE_BLOCKS } from "../../src/slack/views/declare-modal.ts";
import { RESOLVE_BLOCKS } from "../../src/slack/views/resolve-modal.ts";
import { UPDATE_BLOCKS } from "../../src/slack/views/update-modal.ts";
import { getIncidentByNumber } from "../../src/store/incidents.ts";
import { listEvents } from "../../src/store/timeline.ts";
import { eventually } from "../support/eventually.ts";
import { IncidentDriver, option, text, user } from "../support/incident-driver.ts";
import { TEAM } from "../support/slack-driver.ts";
import { reactionAdded } from "../support/slack-payloads.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const alice = { id: "U0ALICE", name: "alice" };
const bob = { id: "U0BOB", name: "bob" };
const INCIDENTS = "C0INCIDENTS";

describe("an incident from declare to reopen, through the real receiver and database", () => {
  let t: TestApp;
  let drive: IncidentDriver;
  beforeAll(async () => {
    t = await startTestApp({ env: { INCIDENTS_CHANNEL: INCIDENTS, ARCHIVE_AFTER_MINUTES: "60" } });
    drive = new IncidentDriver(t);
    t.slack.addUser({ id: alice.id, name: alice.name });
    t.slack.addUser({ id: bob.id, name: bob.name });
    t.slack.addChannel({ id: INCIDENTS, name: "incidents", members: [t.slack.state.bot.user_id] });
  });
  afterAll(() => t.stop());

  const incident = () => getIncidentByNumber(t.firebreak.store.models, TEAM.id, 1);
  const channelOf = async () => {
    const found = await eventually(async () => (await incident())?.channelId, "the incident channel");
    return t.slack.state.channels[found] ?? expect.fail(`fake Slack has no channel ${found}`);
  };

  it("declares with one line: a named channel with topic, members, kickoff and an announcement", async () => {
    const { responseId } = await drive.incident(alice, "declare sev2 Checkout is failing");
    const answer = await drive.answer(responseId, /declared/);
    const channel = await channelOf();
    expect(answer.text).toBe(`:rotating_light: INC-1 declared: <#${channel.id}>`);
    expect(channel).toMatchObject({ name: "inc-1-checkout-is-failing", is_private: false });
    expect(channel.members).toEqual(expect.arrayContaining([alice.id]));
    expect(channel.topic.value).toBe(`SEV2 | Investigating | Commander: <@${alice.id}>`);
    expect(channel.purpose.value).toBe("INC-1: Checkout is failing");
    const kickoff = t.slack.state.messages[channel.id]?.[0];
    expect(JSON.stringify(kickoff?.blocks)).toContain("incident_acknowledge");
    const announcements = t.slack.state.messages[INCIDENTS] ?? [];
    expect(announcements).toHaveLength(1);
    expect(announcements[0]?.text).toContain("INC-1");
    // The kickoff is posted once in its final form, and the topic set once: nothing is rewritten after.
    const edits = t.slack.callsTo("chat.update").filter((c) => c.args.channel === channel.id);
    expect(edits).toEqual([]);
    const topics = t.slack.callsTo("conversations.setTopic").filter((c) => c.args.channel === channel.id);
    expect(topics).toHaveLength(1);
  });

  it("posts a status update from the modal and edits the announcement in place", async () => {
    const channel = await channelOf();
    const { triggerId } = await drive.incident(alice, "update", channel.id);
    const modal = await drive.modalOpenedBy(triggerId);
    const submitted = await drive.submit(alice, modal, {
      [UPDATE_BLOCKS.status]: { [UPDATE_BLOCKS.status]: option("identified") },
      [UPDATE_BLOCKS.message]: { [UPDATE_BLOCKS.message]: text("Bad deploy of payments found") },
    });
    expect(submitted.status).toBe(200);
    await eventually(
      () => t.slack.state.messages[channel.id]?.find((m) => m.text?.includes("Bad deploy of payments found")),
      "the update in the incident channel",
    );
    await eventually(
      () => (channel.topic.value.includes("Identified") ? true : undefined),
      "the topic update",
    );
    const announcements = t.slack.state.messages[INCIDENTS] ?? [];
    expect(announcements).toHaveLength(1);
    expect(announcements[0]?.edited).toBeDefined();
  });

  it("changes severity and assigns a role from slash commands", async () => {
    const channel = await channelOf();
    const severity = await drive.incident(alice, "severity sev1", channel.id);
    expect((await drive.answer(severity.responseId)).text).toBe("INC-1 is now SEV1.");
    const role = await drive.incident(alice, `role comms <@${bob.id}|bob>`, channel.id);
    expect((await drive.answer(role.responseId)).text).toBe(`<@${bob.id}> is now the comms lead of INC-1.`);
    expect(channel.members).toEqual(expect.arrayContaining([bob.id]));
    expect(channel.topic.value).toMatch(/^SEV1 \| Identified/);
  });

  it("puts a 📌-reacted message on the timeline once, even when Slack retries the event", async () => {
    const channel = await channelOf();
    const message = t.slack.addMessage(channel.id, { user: bob.id, text: "Rolled back payments to v41" });
    const event = reactionAdded({
      user: alice.id,
      reaction: "pushpin",
      channelId: channel.id,
      ts: message.ts,
      itemUser: bob.id,
      eventTs: "1795000000.000100",
    });
    await t.send.event(event, { eventId: "EvPIN1" });
    await t.send.event(event, { eventId: "EvPIN1", retry: { num: 1, reason: "http_timeout" } });
    const found = await eventually(async () => {
      const id = (await incident())?.id ?? "";
      const { events } = await listEvents(t.firebreak.store.models, id);
      const pins = events.filter((e) => e.type === "message_pinned");
      return pins.length > 0 ? pins : undefined;
    }, "the pinned message on the timeline");
    expect(found).toHaveLength(1);
    expect(found[0]?.payload).toMatchObject({ authorId: bob.id, text: "Rolled back payments to v41" });
  });

  it("resolves from the modal, then archives the channel when the clock passes the delay", async () => {
    const channel = await channelOf();
    const { triggerId } = await drive.incident(alice, "resolve", channel.id);
    const modal = await drive.modalOpenedBy(triggerId);
    await drive.submit(alice, modal, {
      [RESOLVE_BLOCKS.resolution]: { [RESOLVE_BLOCKS.resolution]: text("Rolled back to v41") },
      [RESOLVE_BLOCKS.rootCause]: { [RESOLVE_BLOCKS.rootCause]: text("A config flag flipped in v42") },
    });
    const resolved = await eventually(async () => {
      const found = await incident();
      return found?.status === "resolved" ? found : undefined;
    }, "the incident to be resolved");
    expect(resolved.archiveDueAt?.getTime()).toBe(t.clock.nowMs() + 60 * 60_000);
    await t.firebreak.poller.tick();
    expect(channel.is_archived).toBe(false);
    t.clock.advance(61 * 60_000);
    await t.firebreak.poller.tick();
    expect(channel.is_archived).toBe(true);
  });

  it("reopens by name from another channel, which unarchives the incident channel", async () => {
    const channel = await channelOf();
    const { responseId } = await drive.incident(alice, "reopen INC-1");
    expect((await drive.answer(responseId)).text).toBe("INC-1 is reopened and back to investigating.");
    expect(channel.is_archived).toBe(false);
    const reopened = await incident();
    expect(reopened?.status).toBe("investigating");
    expect(reopened?.archiveDueAt).toBeUndefined();
    expect(reopened?.archivedAt).toBeUndefined();
  });

  it("has every step on the timeline once, in order, with its actor", async () => {
    const id = (await incident())?.id ?? "";
    const { events } = await listEvents(t.firebreak.store.models, id);
    // The status page's steps run beside the others (their order varies); test/status-page covers them.
    const steps = events.filter((e) => !/^(status_page_|public_update)/.test(e.type));
    expect(steps.map((e) => [e.type, e.actorId])).toEqual([
      ["declared", alice.id],
      ["channel_created", "firebreak"],
      ["members_invited", "firebreak"],
      ["status_changed", alice.id],
      ["severity_changed", alice.id],
      ["role_assigned", alice.id],
      ["message_pinned", alice.id],
      ["resolved", alice.id],
      // A SEV1 by then: resolving it started its postmortem.
      ["postmortem_drafted", alice.id],
      ["channel_archived", "firebreak"],
      ["channel_unarchived", alice.id],
      ["reopened", alice.id],
    ]);
  });

  it("declares from the modal when /incident declare has no text", async () => {
    const { triggerId, responseId } = await drive.incident(bob, "declare");
    const modal = await drive.modalOpenedBy(triggerId);
    const answer = await drive.submit(bob, modal, {
      [DECLARE_BLOCKS.title]: { [DECLARE_BLOCKS.title]: text("Search results are empty") },
      [DECLARE_BLOCKS.severity]: { [DECLARE_BLOCKS.severity]: option("sev3") },
      [DECLARE_BLOCKS.description]: { [DECLARE_BLOCKS.description]: text("Since the 10:00 index rebuild") },
      [DECLARE_BLOCKS.services]: { [DECLARE_BLOCKS.services]: text("search, indexer") },
      [DECLARE_BLOCKS.commander]: { [DECLARE_BLOCKS.commander]: user(bob.id) },
    });
    expect(answer.status).toBe(200);
    expect((await drive.answer(responseId, /declared/)).text).toMatch(
      /^:rotating_light: INC-2 declared: <#C/,
    );
    const declared = await getIncidentByNumber(t.firebreak.store.models, TEAM.id, 2);
    expect(declared).toMatchObject({
      severity: "sev3",
      affectedServices: ["search", "indexer"],
      roles: { commander: bob.id },
    });
  });
});
