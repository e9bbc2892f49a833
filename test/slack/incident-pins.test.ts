import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MESSAGE_DELETED, type TimelineEntry, timelineView } from "../../src/domain/timeline-view.ts";
import { summaryMrkdwn } from "../../src/slack/views/timeline-message.ts";
import { eventually } from "../support/eventually.ts";
import { IncidentDriver } from "../support/incident-driver.ts";
import { countIncidents, eventsOf, waitForChannelOf, waitForIncident } from "../support/incident-e2e.ts";
import { messageChanged, messageDeleted, reactionAdded, reactionRemoved } from "../support/slack-payloads.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const alice = { id: "U0ALICE", name: "alice" };
const bob = { id: "U0BOB", name: "bob" };

describe("📌 reactions put messages on the incident timeline, and edits and deletions follow", () => {
  let t: TestApp;
  let drive: IncidentDriver;
  let channelId = "";
  let incidentId = "";
  beforeAll(async () => {
    t = await startTestApp();
    drive = new IncidentDriver(t);
    t.slack.addUser(alice);
    t.slack.addUser(bob);
    const { responseId } = await drive.incident(alice, "declare sev2 Checkout is failing");
    await drive.answer(responseId, /declared/);
    channelId = await waitForChannelOf(t, 1);
    incidentId = (await waitForIncident(t, 1)).id;
  });
  afterAll(() => t.stop());

  const pinEntries = async (): Promise<TimelineEntry[]> =>
    timelineView(await eventsOf(t, incidentId)).filter((entry) => entry.pinned !== undefined);

  /** Waits until the timeline view's pin of message `ts` satisfies `ready`. */
  const pinOf = (ts: string, ready: (entry: TimelineEntry | undefined) => boolean, what: string) =>
    eventually(async () => {
      const entry = (await pinEntries()).find((e) => e.pinned?.ts === ts);
      return ready(entry) ? { entry } : undefined;
    }, what);

  const pin = (who: string, channel: string, ts: string, author: string, reaction = "pushpin") =>
    t.send.event(reactionAdded({ user: who, reaction, channelId: channel, ts, itemUser: author }));

  it("shows the new text of a pinned message that was edited, marked edited", async () => {
    const message = t.slack.addMessage(channelId, { user: bob.id, text: "Payments p99 at 4 s" });
    await pin(alice.id, channelId, message.ts, bob.id);
    const pinned = await pinOf(message.ts, (e) => e !== undefined, "the pin on the timeline");
    expect(pinned.entry?.pinned).toMatchObject({
      text: "Payments p99 at 4 s",
      edited: false,
      deleted: false,
    });
    expect(summaryMrkdwn(pinned.entry?.summary ?? [])).toBe(`:pushpin: <@${bob.id}>: Payments p99 at 4 s`);

    message.text = "Payments p99 at 4 s, since the 10:02 deploy";
    await t.send.event(
      messageChanged({
        channelId,
        ts: message.ts,
        user: bob.id,
        previousText: "Payments p99 at 4 s",
        text: message.text,
      }),
    );
    const edited = await pinOf(message.ts, (e) => e?.pinned?.edited === true, "the edit on the timeline");
    expect(edited.entry?.pinned).toMatchObject({
      text: "Payments p99 at 4 s, since the 10:02 deploy",
      edited: true,
      deleted: false,
      pinnedBy: [alice.id],
    });
    expect(summaryMrkdwn(edited.entry?.summary ?? [])).toBe(
      `:pushpin: <@${bob.id}>: Payments p99 at 4 s, since the 10:02 deploy (edited)`,
    );
  });

  it("pins a reply inside a thread, found through its thread", async () => {
    const parent = t.slack.addMessage(channelId, { user: alice.id, text: "Investigating payments" });
    const reply = t.slack.addMessage(channelId, {
      user: bob.id,
      text: "Gateway returns 502s",
      thread_ts: parent.ts,
    });
    await pin(alice.id, channelId, reply.ts, bob.id);
    const pinned = await pinOf(reply.ts, (e) => e !== undefined, "the reply's pin on the timeline");
    expect(pinned.entry?.pinned).toMatchObject({ text: "Gateway returns 502s", deleted: false });
  });

  it("marks a pinned message that was deleted as deleted", async () => {
    const message = t.slack.addMessage(channelId, { user: bob.id, text: "Rolling back to v41" });
    await pin(alice.id, channelId, message.ts, bob.id);
    await pinOf(message.ts, (e) => e !== undefined, "the pin on the timeline");
    await t.send.event(
      messageDeleted({ channelId, ts: message.ts, user: bob.id, previousText: "Rolling back to v41" }),
    );
    const deleted = await pinOf(
      message.ts,
      (e) => e?.pinned?.deleted === true,
      "the deletion on the timeline",
    );
    expect(deleted.entry?.pinned).toMatchObject({
      text: MESSAGE_DELETED,
      originalText: "Rolling back to v41",
      deleted: true,
    });
    expect(summaryMrkdwn(deleted.entry?.summary ?? [])).toBe(`:pushpin: <@${bob.id}>: _${MESSAGE_DELETED}_`);
  });

  it("takes a message off the view when its 📌 is removed", async () => {
    const pinnedBefore = (await pinEntries()).length;
    const message = t.slack.addMessage(channelId, { user: bob.id, text: "Cache hit rate dropped to 20%" });
    await pin(alice.id, channelId, message.ts, bob.id);
    await pinOf(message.ts, (e) => e !== undefined, "the pin on the timeline");
    await t.send.event(
      reactionRemoved({ user: alice.id, reaction: "pushpin", channelId, ts: message.ts, itemUser: bob.id }),
    );
    await pinOf(message.ts, (e) => e === undefined, "the pin to leave the timeline view");
    const events = await eventsOf(t, incidentId);
    // Append-only: the pin and its removal are both recorded.
    expect(events.filter((e) => e.type === "message_unpinned").map((e) => e.payload)).toEqual([
      { ts: message.ts },
    ]);
    // The other pins are still shown.
    expect(await pinEntries()).toHaveLength(pinnedBefore);
  });

  it("ignores other reactions, and edits of messages nobody pinned", async () => {
    const message = t.slack.addMessage(channelId, { user: bob.id, text: "Looking at the dashboards" });
    const before = (await eventsOf(t, incidentId)).length;
    await pin(alice.id, channelId, message.ts, bob.id, "eyes");
    await t.send.event(
      messageChanged({
        channelId,
        ts: message.ts,
        user: bob.id,
        previousText: "Looking at the dashboards",
        text: "Looking at the Grafana dashboards",
      }),
    );
    // A pin sent last: once it is on the timeline, the events sent before it have been handled.
    const marker = t.slack.addMessage(channelId, { user: bob.id, text: "Marker" });
    await pin(alice.id, channelId, marker.ts, bob.id);
    await pinOf(marker.ts, (e) => e !== undefined, "the marker pin");
    const events = await eventsOf(t, incidentId);
    expect(events.slice(before).map((e) => e.type)).toEqual(["message_pinned"]);
  });

  it("does nothing for a 📌 in a channel that is not an incident channel", async () => {
    const general = t.slack.addChannel({
      name: "general",
      members: [alice.id, bob.id, t.slack.state.bot.user_id],
    });
    const message = t.slack.addMessage(general.id, { user: bob.id, text: "Lunch at noon?" });
    const eventsBefore = await t.firebreak.store.models.timelineEvents.countDocuments({}).exec();
    const historyBefore = t.slack.callsTo("conversations.history").length;
    const response = await pin(alice.id, general.id, message.ts, bob.id);
    expect(response.status).toBe(200);
    // Then a pin in the incident channel, to know the first one has been handled.
    const marker = t.slack.addMessage(channelId, { user: bob.id, text: "Second marker" });
    await pin(alice.id, channelId, marker.ts, bob.id);
    await pinOf(marker.ts, (e) => e !== undefined, "the marker pin");
    expect(await t.firebreak.store.models.timelineEvents.countDocuments({}).exec()).toBe(eventsBefore + 1);
    const history = t.slack.callsTo("conversations.history").slice(historyBefore);
    expect(history.map((call) => call.args.channel)).toEqual([channelId]);
    expect(await countIncidents(t)).toBe(1);
  });
});
