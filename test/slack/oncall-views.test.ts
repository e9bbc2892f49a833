import { describe, expect, it } from "vitest";
import type { Schedule } from "../../src/domain/schedule.ts";
import {
  handoffAnnouncementMessage,
  MAX_SCHEDULES_SHOWN,
  onCallDateToken,
  onCallHelpMessage,
  onCallMessage,
  overrideAddedMessage,
  scheduleCreatedMessage,
  scheduleNotFoundMessage,
} from "../../src/slack/views/oncall.ts";
import { assertValidSurface } from "../support/fake-slack/block-kit.ts";

const d = (iso: string) => new Date(iso);

const schedule = (changes: Partial<Schedule> = {}): Schedule => ({
  id: "s1",
  name: "Primary",
  timeZone: "Europe/London",
  members: ["U0ALICE", "U0BOB"],
  handoff: { weekday: 1, time: "09:00" },
  startsAt: d("2026-01-05T09:00:00Z"),
  overrides: [],
  ...changes,
});

const valid = (message: { text: string; blocks: unknown[] }) => {
  assertValidSurface({ kind: "message", ...message });
  return message;
};

describe("/oncall views", () => {
  it("date tokens fall back to the time in the schedule's zone", () => {
    expect(onCallDateToken(d("2026-07-06T08:00:00Z"), "Europe/London")).toBe(
      "<!date^1783324800^{date_short_pretty} {time}|Mon 6 Jul 2026, 09:00 BST>",
    );
  });

  it("escape schedule names everywhere they appear", () => {
    const hostile = schedule({ name: "<!channel> & <https://evil|bank>" });
    const at = d("2026-01-06T00:00:00Z");
    const messages = [
      onCallMessage([hostile], at),
      scheduleCreatedMessage(hostile, at),
      overrideAddedMessage(hostile, { userId: "U0CAROL", from: at, to: d("2026-01-07T00:00:00Z") }, at),
      handoffAnnouncementMessage(hostile, { userId: "U0BOB", until: d("2026-01-19T09:00:00Z") }),
      scheduleNotFoundMessage("<!here>", [hostile]),
    ];
    for (const message of messages) {
      valid(message);
      expect(message.text).not.toMatch(/<!channel>|<!here>|<https/);
      expect(message.text).toContain("&lt;");
    }
  });

  it("show the covered person while an override applies", () => {
    const covered = schedule({
      overrides: [
        {
          userId: "U0CAROL",
          coversUserId: "U0ALICE",
          from: d("2026-01-06T00:00:00Z"),
          to: d("2026-01-07T00:00:00Z"),
        },
      ],
    });
    const text = valid(onCallMessage([covered], d("2026-01-06T12:00:00Z"))).text;
    expect(text).toContain("Now: <@U0CAROL> (covering for <@U0ALICE>) until <!date^1767744000^");
    expect(text).toContain("Next: <@U0ALICE> from <!date^1767744000^");
  });

  it("say so when one person is always on call", () => {
    const text = valid(onCallMessage([schedule({ members: ["U0ALICE"] })], d("2026-01-06T12:00:00Z"))).text;
    expect(text).toContain(":pager: Now: <@U0ALICE>, the only person on this rotation");
    expect(text).not.toContain("Next:");
  });

  it("announce a hand-off, leaving out 'taking over' for a first shift", () => {
    const s = schedule();
    const until = d("2026-01-19T09:00:00Z");
    expect(handoffAnnouncementMessage(s, { userId: "U0BOB", until, previousUserId: "U0ALICE" }).text).toMatch(
      /^:pager: Hand-off for \*Primary\*: <@U0BOB> is now on call until <!date\^\d+\^[^>]+>, taking over from <@U0ALICE>\.$/,
    );
    expect(handoffAnnouncementMessage(s, { userId: "U0BOB", until }).text).not.toContain("taking over");
    expect(
      handoffAnnouncementMessage(s, { userId: "U0BOB", until, previousUserId: "U0BOB" }).text,
    ).not.toContain("taking over");
  });

  it("keep a long list of schedules within Slack's block limit", () => {
    const many = Array.from({ length: MAX_SCHEDULES_SHOWN + 5 }, (_, i) =>
      schedule({ id: `s${i}`, name: `Team ${i}` }),
    );
    const message = valid(onCallMessage(many, d("2026-01-06T00:00:00Z")));
    expect(message.blocks).toHaveLength(MAX_SCHEDULES_SHOWN + 1);
    expect(message.text).toContain("And 5 more");
  });

  it("list every sub-command in help", () => {
    const text = valid(onCallHelpMessage()).text;
    for (const word of ["/oncall schedule create", "/oncall override", "/oncall help"])
      expect(text).toContain(word);
  });
});
