import { describe, expect, it } from "vitest";
import { parseSchedule } from "../../src/domain/schedule-parse.ts";

const A = "U0ALICE";
const B = "U0BOB";
const D = "U0DAN";

const d = (iso: string) => new Date(iso);

describe("parseSchedule", () => {
  it("normalises the name and time zone, and keeps optional fields out when absent", () => {
    const parsed = parseSchedule({
      id: "s1",
      name: "  Platform \n on-call ",
      timeZone: "europe/london",
      members: [A, B],
      handoff: { weekday: 1, time: "09:00" },
      startsAt: "2026-01-05T09:00:00Z",
      overrides: [{ userId: D, from: "2026-01-07T12:00:00Z", to: "2026-01-08T12:00:00Z" }],
    });
    expect(parsed).toEqual({
      ok: true,
      value: {
        id: "s1",
        name: "Platform on-call",
        timeZone: "Europe/London",
        members: [A, B],
        handoff: { weekday: 1, time: "09:00" },
        startsAt: d("2026-01-05T09:00:00Z"),
        overrides: [{ userId: D, from: d("2026-01-07T12:00:00Z"), to: d("2026-01-08T12:00:00Z") }],
      },
    });
  });

  it("explains every problem in a sentence", () => {
    const parsed = parseSchedule({
      id: "s1",
      name: "",
      timeZone: "Europe/Lundon",
      members: [],
      handoff: { weekday: 7, time: "9am" },
      startsAt: "soon",
      overrides: [{ userId: "alice", from: "2026-01-08T00:00:00Z", to: "2026-01-07T00:00:00Z" }],
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.split("\n")).toEqual([
      "The schedule needs a name.",
      '"Europe/Lundon" is not a time zone; use an IANA name such as Europe/London or America/New_York.',
      "A schedule needs at least one person.",
      "The hand-off day must be a weekday number from 0 (Sunday) to 6 (Saturday).",
      "The hand-off time must be HH:MM (24-hour), such as 09:00.",
      "The schedule's start must be a date.",
      "Override 1: The covering person must be a Slack user id such as U0123ABCD.",
      "Override 1: An override must end after it starts.",
    ]);
    expect(parseSchedule(null)).toEqual({
      ok: false,
      error: "A schedule must be an object with a name, time zone, members and hand-off.",
    });
  });
});
