import { describe, expect, it } from "vitest";
import type { TimelineEvent, TimelineEventType, TimelinePayload } from "../../src/domain/timeline.ts";
import { SYSTEM_ACTOR } from "../../src/domain/timeline.ts";
import { MESSAGE_DELETED, paginate, timelineView } from "../../src/domain/timeline-view.ts";
import { summaryMrkdwn } from "../../src/slack/views/timeline-message.ts";

const T0 = Date.parse("2026-11-23T09:00:00Z");
const at = (minute: number) => new Date(T0 + minute * 60_000);
let seq = 0;

function ev<T extends TimelineEventType>(
  type: T,
  minute: number,
  actorId: string,
  payload: TimelinePayload<T>,
): TimelineEvent {
  seq += 1;
  return { id: `e${seq}`, incidentId: "i1", type, at: at(minute), actorId, payload } as TimelineEvent;
}

const message = (ts: string, text: string, postedMinute = 1) => ({
  channelId: "C1",
  ts,
  authorId: "UAUTHOR",
  text,
  postedAt: at(postedMinute),
});
const pin = (minute: number, by: string, ts = "1.1", text = "DB failover started", posted = 1) =>
  ev("message_pinned", minute, by, message(ts, text, posted));
const unpin = (minute: number, by: string, ts = "1.1") => ev("message_unpinned", minute, by, { ts });
const edit = (minute: number, text: string, ts = "1.1") =>
  ev("pinned_message_edited", minute, "UAUTHOR", { ts, text });
const del = (minute: number, ts = "1.1") => ev("pinned_message_deleted", minute, "UAUTHOR", { ts });

const pinsOf = (events: TimelineEvent[]) => timelineView(events).filter((e) => e.type === "message_pinned");

describe("timelineView: one line per event", () => {
  it.each([
    [
      ev("declared", 0, "U1", { severity: "sev3", title: "Checkout <!channel>" }),
      "Declared SEV3: Checkout &lt;!channel&gt;",
    ],
    [
      ev("declared", 0, "U1", { severity: "sev1", title: "DB", fromMessage: message("9.9", "help") }),
      "Declared SEV1: DB from a message by <@UAUTHOR>",
    ],
    [
      ev("channel_created", 0, SYSTEM_ACTOR, { channelId: "C9", channelName: "inc-1", isPrivate: false }),
      "Created channel <#C9>",
    ],
    [
      ev("channel_created", 0, SYSTEM_ACTOR, { channelId: "C9", channelName: "inc-1", isPrivate: true }),
      "Created private channel <#C9>",
    ],
    [ev("members_invited", 0, SYSTEM_ACTOR, { userIds: ["U1", "U2"] }), "Invited <@U1>, <@U2>"],
    [ev("members_invited", 0, SYSTEM_ACTOR, { userIds: [] }), "Invited nobody"],
    [
      ev("members_invited", 0, SYSTEM_ACTOR, { userIds: Array.from({ length: 12 }, (_, i) => `U${i}`) }),
      `Invited ${Array.from({ length: 10 }, (_, i) => `<@U${i}>`).join(", ")} and 2 more`,
    ],
    [
      ev("slack_error", 0, SYSTEM_ACTOR, { step: "invite", error: "not_in_channel" }),
      ":warning: Could not invite (Slack refused or failed)",
    ],
    [
      ev("slack_error", 0, SYSTEM_ACTOR, { step: "invite <@U2> & <!channel>", error: "user_not_found" }),
      ":warning: Could not invite <@U2> &amp; &lt;!channel&gt; (Slack refused or failed)",
    ],
    [
      ev("slack_error", 0, SYSTEM_ACTOR, { action: "invite", userId: "U2", error: "user_not_found" }),
      ":warning: Could not invite <@U2> (Slack refused or failed)",
    ],
    [
      ev("slack_error", 0, SYSTEM_ACTOR, { action: "page", userId: "U3", ref: "7KQ2M9", error: "x" }),
      ":warning: Could not page <@U3> (reference 7KQ2M9) (Slack refused or failed)",
    ],
    [
      ev("slack_error", 0, SYSTEM_ACTOR, { action: "describe_channel", error: "x" }),
      ":warning: Could not set the channel's topic and purpose (Slack refused or failed)",
    ],
    [ev("acknowledged", 0, "U1", {}), "Acknowledged"],
    [
      ev("status_changed", 0, "U1", {
        from: "investigating",
        to: "identified",
        message: "bad <https://x|deploy>",
      }),
      "Status: Investigating → Identified — bad &lt;https://x|deploy&gt;",
    ],
    [
      ev("status_changed", 0, "U1", { from: "monitoring", to: "investigating" }),
      "Status: Monitoring → Investigating",
    ],
    [
      ev("status_changed", 0, "U1", { from: "monitoring", to: "resolved", message: "  " }),
      "Status: Monitoring → Resolved",
    ],
    [ev("severity_changed", 0, "U1", { from: "sev3", to: "sev1" }), "Severity changed SEV3 → SEV1"],
    [ev("role_assigned", 0, "U1", { role: "commander", userId: "U2" }), "<@U2> is now commander"],
    [
      ev("role_assigned", 0, "U1", { role: "comms", userId: "U2", previousUserId: "U3" }),
      "<@U2> is now comms lead (was <@U3>)",
    ],
    [ev("role_assigned", 0, "U1", { role: "scribe", userId: "U2" }), "<@U2> is now scribe"],
    [ev("note", 0, "U1", { text: "line one\nline <!here> two" }), "Note: line one line &lt;!here&gt; two"],
    [ev("resolved", 0, "U1", { resolution: "Rolled back" }), "Resolved: Rolled back"],
    [
      ev("resolved", 0, "U1", { resolution: "Rolled back", rootCause: "A & B" }),
      "Resolved: Rolled back — root cause: A &amp; B",
    ],
    [ev("reopened", 0, "U1", {}), "Reopened"],
    [ev("channel_archived", 0, SYSTEM_ACTOR, { channelId: "C9" }), "Channel archived"],
    [ev("channel_unarchived", 0, SYSTEM_ACTOR, { channelId: "C9" }), "Channel unarchived"],
    [ev("linked", 0, "U1", { otherNumber: 7, reason: "duplicate" }), "Linked to INC-7: duplicate"],
  ])("%#: %s", (event, summary) => {
    const entries = timelineView([event]);
    expect(
      entries.map(({ summary: parts, ...entry }) => ({ ...entry, summary: summaryMrkdwn(parts) })),
    ).toEqual([{ id: event.id, type: event.type, at: event.at, actorId: event.actorId, summary }]);
  });

  it("cuts long user text in a summary", () => {
    const [entry] = timelineView([ev("note", 0, "U1", { text: "x".repeat(5000) })]);
    const text = summaryMrkdwn(entry?.summary ?? []);
    expect(text.length).toBeLessThan(320);
    expect(text.endsWith("…")).toBe(true);
  });

  it("orders by time whatever the input order, ties in input order", () => {
    const a = ev("acknowledged", 5, "U1", {});
    const b = ev("note", 2, "U1", { text: "first" });
    const c = ev("note", 5, "U1", { text: "tie, after ack" });
    expect(timelineView([a, b, c]).map((e) => e.id)).toEqual([b.id, a.id, c.id]);
  });
});

describe("timelineView: pinned messages", () => {
  it("shows a pinned message once, at the time it was posted, by its author", () => {
    const note = ev("note", 0, "U1", { text: "before" });
    const p = pin(10, "UA", "1.1", "DB failover started", 3);
    const entries = timelineView([note, p]);
    expect(entries.map((e) => summaryMrkdwn(e.summary))).toEqual([
      "Note: before",
      ":pushpin: <@UAUTHOR>: DB failover started",
    ]);
    expect(entries[1]).toMatchObject({ id: p.id, at: at(3), actorId: "UAUTHOR" });
    expect(entries[1]?.pinned).toEqual({
      channelId: "C1",
      ts: "1.1",
      authorId: "UAUTHOR",
      postedAt: at(3),
      text: "DB failover started",
      edited: false,
      deleted: false,
      pinnedBy: ["UA"],
    });
  });

  it("shows it once when two people pin it, and keeps it when one of them unpins", () => {
    const events = [pin(1, "UA"), pin(2, "UB"), unpin(3, "UA")];
    const pins = pinsOf(events);
    expect(pins).toHaveLength(1);
    expect(pins[0]?.pinned?.pinnedBy).toEqual(["UB"]);
    expect(pinsOf([...events, unpin(4, "UB")])).toEqual([]);
  });

  it.each([
    ["pinned, unpinned", [pin(1, "UA"), unpin(2, "UA")], 0],
    ["pinned twice by the same person, unpinned once", [pin(1, "UA"), pin(2, "UA"), unpin(3, "UA")], 0],
    ["unpinned by someone who had not pinned", [pin(1, "UA"), unpin(2, "UB")], 1],
    ["pinned, unpinned, pinned again", [pin(1, "UA"), unpin(2, "UA"), pin(3, "UB")], 1],
    ["edited or deleted without ever being pinned", [edit(1, "x"), del(2), unpin(3, "UA")], 0],
  ])("%s → %i entries", (_, events, count) => {
    expect(pinsOf(events)).toHaveLength(count);
  });

  it("shows the latest text after edits, marked edited", () => {
    const [entry] = pinsOf([
      pin(1, "UA"),
      edit(2, "DB failover done"),
      edit(3, "DB failover done <!channel>"),
    ]);
    expect(entry?.pinned).toMatchObject({
      text: "DB failover done <!channel>",
      edited: true,
      deleted: false,
    });
    expect(summaryMrkdwn(entry?.summary ?? [])).toBe(
      ":pushpin: <@UAUTHOR>: DB failover done &lt;!channel&gt; (edited)",
    );
  });

  it("does not mark an edit that changed nothing", () => {
    const [entry] = pinsOf([pin(1, "UA"), edit(2, "DB failover started")]);
    expect(entry?.pinned?.edited).toBe(false);
  });

  it("takes the text of a later pin as an edit it missed", () => {
    const [entry] = pinsOf([pin(1, "UA"), pin(2, "UB", "1.1", "DB failover started (update: done)")]);
    expect(entry?.pinned).toMatchObject({ text: "DB failover started (update: done)", edited: true });
  });

  it("marks a deleted message, keeping its last text as originalText and ignoring later edits", () => {
    const [entry] = pinsOf([pin(1, "UA"), edit(2, "second version"), del(3), edit(4, "ghost"), del(5)]);
    expect(entry?.pinned).toMatchObject({
      text: MESSAGE_DELETED,
      originalText: "second version",
      edited: true,
      deleted: true,
      pinnedBy: ["UA"],
    });
    expect(summaryMrkdwn(entry?.summary ?? [])).toBe(":pushpin: <@UAUTHOR>: _(message deleted)_");
  });

  it("drops a deleted message once its last pin is removed", () => {
    expect(pinsOf([pin(1, "UA"), del(2), unpin(3, "UA")])).toEqual([]);
  });

  it("keeps separate messages apart and in the order they were posted", () => {
    const events = [pin(5, "UA", "2.2", "second", 4), pin(6, "UA", "1.1", "first", 2), unpin(7, "UA", "3.3")];
    expect(pinsOf(events).map((e) => e.pinned?.text)).toEqual(["first", "second"]);
  });

  it("processes events in time order even when given out of order", () => {
    const events = [unpin(3, "UA"), pin(1, "UA"), pin(2, "UB")];
    expect(pinsOf(events)[0]?.pinned?.pinnedBy).toEqual(["UB"]);
  });
});

describe("paginate", () => {
  const items = Array.from({ length: 25 }, (_, i) => i + 1);

  it.each([
    [1, 10, [1, 10], 1, 3],
    [2, 10, [11, 20], 2, 3],
    [3, 10, [21, 25], 3, 3],
    [4, 10, [21, 25], 3, 3],
    [0, 10, [1, 10], 1, 3],
    [-5, 10, [1, 10], 1, 3],
    [Number.NaN, 10, [1, 10], 1, 3],
    [2.7, 10, [11, 20], 2, 3],
    [Number.POSITIVE_INFINITY, 10, [21, 25], 3, 3],
    [1, 25, [1, 25], 1, 1],
    [1, 100, [1, 25], 1, 1],
  ])("page %d of size %i → items %j, page %i of %i", (page, size, [first, last], expectedPage, pageCount) => {
    const result = paginate(items, page, size);
    expect(result.items[0]).toBe(first);
    expect(result.items.at(-1)).toBe(last);
    expect(result.page).toBe(expectedPage);
    expect(result.pageCount).toBe(pageCount);
  });

  it("has one empty page when there is nothing", () => {
    expect(paginate([], 3, 10)).toEqual({ items: [], page: 1, pageCount: 1 });
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses page size %d", (size) => {
    expect(() => paginate(items, 1, size)).toThrow(RangeError);
  });
});
