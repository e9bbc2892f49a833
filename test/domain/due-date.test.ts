import { describe, expect, it } from "vitest";
import { type DueSpec, dueInstant, readDue, resolveDue } from "../../src/domain/due-date.ts";

const read = (text: string) => readDue(text.split(" "));
/** Sunday 8 November 2026, 10:15 in London (UTC+0 then) and 05:15 in New York (UTC-5). */
const NOW = new Date("2026-11-08T10:15:00Z");
const due = (spec: DueSpec, zone = "Europe/London") => dueInstant(spec, NOW, zone).toISOString();

describe("readDue", () => {
  it.each([
    ["2026-12-01", { kind: "date", at: { year: 2026, month: 12, day: 1, hour: 17, minute: 0 } }, 1],
    ["2026-12-01 9:30", { kind: "date", at: { year: 2026, month: 12, day: 1, hour: 9, minute: 30 } }, 2],
    ["today", { kind: "days", days: 0 }, 1],
    ["Tomorrow", { kind: "days", days: 1 }, 1],
    ["tomorrow 08:00", { kind: "days", days: 1, time: { hour: 8, minute: 0 } }, 2],
    ["friday", { kind: "weekday", weekday: 5 }, 1],
    ["monday 12:00", { kind: "weekday", weekday: 1, time: { hour: 12, minute: 0 } }, 2],
    ["in 3d", { kind: "days", days: 3 }, 2],
    ["2d", { kind: "days", days: 2 }, 1],
    ["in 2w", { kind: "days", days: 14 }, 2],
    ["in 3 days", { kind: "days", days: 3 }, 3],
    ["in 1 week", { kind: "days", days: 7 }, 3],
    ["in 6h", { kind: "hours", hours: 6 }, 2],
  ])("reads %j", (text, spec, words) => {
    expect(read(`Fix it ${text}`)).toEqual({ ok: true, spec, words });
  });

  it("reads nothing from words that are no date", () => {
    expect(read("Fix it")).toBeUndefined();
    expect(read("Fix the 3 dashboards")).toBeUndefined();
    expect(read("Fix it 12:00")).toBeUndefined();
  });

  it.each([
    ["2026-02-30", "is not a real date"],
    ["2026-02-03 24:30", "is not a real date and time"],
    ["tomorrow 9:75", "is not a time"],
    ["in 53w", "within a year"],
  ])("refuses %j", (text, problem) => {
    const result = read(`Fix ${text}`);
    expect(result?.ok).toBe(false);
    if (result && !result.ok) expect(result.error).toContain(problem);
  });
});

describe("dueInstant", () => {
  it("counts days from today in the zone, due at 17:00 there unless a time is given", () => {
    expect(due({ kind: "days", days: 0 })).toBe("2026-11-08T17:00:00.000Z");
    expect(due({ kind: "days", days: 3 })).toBe("2026-11-11T17:00:00.000Z");
    expect(due({ kind: "days", days: 1, time: { hour: 9, minute: 30 } }, "America/New_York")).toBe(
      "2026-11-09T14:30:00.000Z",
    );
  });

  it("takes the next such weekday, a week ahead on the day itself", () => {
    // NOW is a Sunday.
    expect(due({ kind: "weekday", weekday: 5 })).toBe("2026-11-13T17:00:00.000Z");
    expect(due({ kind: "weekday", weekday: 0 })).toBe("2026-11-15T17:00:00.000Z");
    expect(due({ kind: "weekday", weekday: 1 })).toBe("2026-11-09T17:00:00.000Z");
  });

  it("reads a date's wall time in the zone, across a DST change", () => {
    const at = { year: 2027, month: 3, day: 29, hour: 17, minute: 0 };
    expect(due({ kind: "date", at })).toBe("2027-03-29T16:00:00.000Z");
  });

  it("counts hours from now", () => {
    expect(due({ kind: "hours", hours: 6 })).toBe("2026-11-08T16:15:00.000Z");
  });
});

describe("resolveDue", () => {
  it("refuses a due time that has passed, saying when it was and what time it is now", () => {
    const past = resolveDue(
      { kind: "date", at: { year: 2026, month: 11, day: 8, hour: 9, minute: 0 } },
      NOW,
      "Europe/London",
    );
    expect(past).toEqual({
      ok: false,
      error:
        "That due date, 2026-11-08 09:00 (Europe/London), has already passed: it is 2026-11-08 10:15 there now. Give one still to come, like tomorrow, friday or in 3d.",
    });
    // Today 17:00 is still to come in London, and long past in Tokyo (19:15 there).
    expect(resolveDue({ kind: "days", days: 0 }, NOW, "Europe/London")).toEqual({
      ok: true,
      at: new Date("2026-11-08T17:00:00Z"),
    });
    expect(resolveDue({ kind: "days", days: 0 }, NOW, "Asia/Tokyo").ok).toBe(false);
  });
});
