import { describe, expect, it } from "vitest";
import {
  isScheduledDuring,
  nextShift,
  type Override,
  onCallAt,
  type Schedule,
  shiftAt,
} from "../../src/domain/schedule.ts";
import { parseSchedule } from "../../src/domain/schedule-parse.ts";
import { zonedWallTime, zonedWallTimeToUtc } from "../../src/domain/time-zone.ts";

const A = "U0ALICE";
const B = "U0BOB";
const C = "U0CAROL";
const D = "U0DAN";
const E = "U0ERIN";

const d = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString();

/** Primary: Europe/London, hands off Mondays 09:00, Alice → Bob → Carol from Monday 5 January 2026. */
function schedule(changes: Partial<Schedule> = {}): Schedule {
  const parsed = parseSchedule({
    id: "s1",
    name: "Primary",
    timeZone: "Europe/London",
    members: [A, B, C],
    handoff: { weekday: 1, time: "09:00" },
    startsAt: d("2026-01-05T09:00:00Z"),
    overrides: [],
    ...changes,
  });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

const wall = (date: Date, timeZone: string) => {
  const w = zonedWallTime(date, timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)} (${w.weekday})`;
};

const utc = (y: number, mo: number, day: number, h: number, mi: number, tz: string) =>
  iso(zonedWallTimeToUtc({ year: y, month: mo, day, hour: h, minute: mi }, tz));

describe("zonedWallTimeToUtc", () => {
  it("converts ordinary local times on both sides of daylight saving", () => {
    expect(utc(2026, 1, 12, 9, 0, "Europe/London")).toBe("2026-01-12T09:00:00.000Z");
    expect(utc(2026, 7, 6, 9, 0, "Europe/London")).toBe("2026-07-06T08:00:00.000Z");
    expect(utc(2026, 1, 12, 9, 0, "America/New_York")).toBe("2026-01-12T14:00:00.000Z");
    expect(utc(2026, 7, 6, 9, 0, "America/New_York")).toBe("2026-07-06T13:00:00.000Z");
    expect(utc(2026, 7, 6, 9, 0, "Asia/Kolkata")).toBe("2026-07-06T03:30:00.000Z");
    expect(utc(2026, 7, 6, 9, 0, "UTC")).toBe("2026-07-06T09:00:00.000Z");
    expect(utc(2026, 12, 31, 23, 59, "Pacific/Auckland")).toBe("2026-12-31T10:59:00.000Z");
  });

  it("moves a time skipped by spring forward to the first valid instant after it", () => {
    // New York, 8 March 2026: 02:00 EST becomes 03:00 EDT.
    expect(utc(2026, 3, 8, 2, 30, "America/New_York")).toBe("2026-03-08T07:00:00.000Z");
    expect(utc(2026, 3, 8, 2, 0, "America/New_York")).toBe("2026-03-08T07:00:00.000Z");
    expect(utc(2026, 3, 8, 3, 0, "America/New_York")).toBe("2026-03-08T07:00:00.000Z");
    expect(utc(2026, 3, 8, 1, 59, "America/New_York")).toBe("2026-03-08T06:59:00.000Z");
    // London, 29 March 2026: 01:00 GMT becomes 02:00 BST.
    expect(utc(2026, 3, 29, 1, 30, "Europe/London")).toBe("2026-03-29T01:00:00.000Z");
    // Lord Howe Island moves by half an hour: 02:00 becomes 02:30 on 4 October 2026.
    expect(utc(2026, 10, 4, 2, 15, "Australia/Lord_Howe")).toBe("2026-10-03T15:30:00.000Z");
  });

  it("takes the first occurrence of a time repeated by fall back", () => {
    // New York, 1 November 2026: 02:00 EDT becomes 01:00 EST, so 01:30 happens at 05:30Z and 06:30Z.
    expect(utc(2026, 11, 1, 1, 30, "America/New_York")).toBe("2026-11-01T05:30:00.000Z");
    expect(utc(2026, 11, 1, 2, 0, "America/New_York")).toBe("2026-11-01T07:00:00.000Z");
    // London, 25 October 2026: 01:30 happens at 00:30Z (BST) and 01:30Z (GMT).
    expect(utc(2026, 10, 25, 1, 30, "Europe/London")).toBe("2026-10-25T00:30:00.000Z");
    expect(utc(2026, 4, 5, 1, 45, "Australia/Lord_Howe")).toBe("2026-04-04T14:45:00.000Z");
  });

  it("round-trips with zonedWallTime every 15 minutes around each change, and every 6 hours all year", () => {
    const changes: [string, string[]][] = [
      ["Europe/London", ["2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z"]],
      ["America/New_York", ["2026-03-08T07:00:00Z", "2026-11-01T06:00:00Z"]],
    ];
    let secondPasses = 0;
    for (const [tz, instants] of changes) {
      const times = instants.flatMap((at) =>
        Array.from({ length: 16 * 4 }, (_, i) => d(at).getTime() + (i - 32) * 15 * 60_000),
      );
      for (
        let t = d("2026-01-01T00:00:00Z").getTime();
        t < d("2027-01-01T00:00:00Z").getTime();
        t += 6 * 3_600_000
      )
        times.push(t);
      for (const t of new Set(times)) {
        const back = zonedWallTimeToUtc(zonedWallTime(new Date(t), tz), tz).getTime();
        // Equal, except in the second pass of a fall-back hour, which maps to the first (an hour earlier).
        expect([t, t - 3_600_000]).toContain(back);
        if (back !== t) secondPasses += 1;
      }
    }
    // Four quarter hours of the repeated hour, in each zone.
    expect(secondPasses).toBe(8);
  });
});

describe("the weekly rotation", () => {
  it("goes through the members in order, week after week, wrapping around", () => {
    const s = schedule();
    const week = 7 * 86_400_000;
    const start = d("2026-01-05T10:00:00Z").getTime();
    const people = Array.from({ length: 7 }, (_, i) => onCallAt(s, new Date(start + i * week)).userId);
    expect(people).toEqual([A, B, C, A, B, C, A]);
  });

  it("hands off exactly at the hand-off instant: the previous person until the millisecond before", () => {
    const s = schedule();
    const handoff = d("2026-01-12T09:00:00Z");
    const before = onCallAt(s, new Date(handoff.getTime() - 1));
    expect(before).toMatchObject({ userId: A, shiftStart: d("2026-01-05T09:00:00Z"), shiftEnd: handoff });
    expect(before.until).toEqual(handoff);
    const at = onCallAt(s, handoff);
    expect(at).toMatchObject({ userId: B, shiftStart: handoff, shiftEnd: d("2026-01-19T09:00:00Z") });
    expect(at.override).toBeUndefined();
  });

  it("gives members[0] the shift containing startsAt, and extrapolates backwards before it", () => {
    const s = schedule({ startsAt: d("2026-01-07T15:00:00Z") });
    expect(onCallAt(s, d("2026-01-07T15:00:00Z"))).toMatchObject({
      userId: A,
      shiftStart: d("2026-01-05T09:00:00Z"),
    });
    expect(onCallAt(s, d("2026-01-12T09:00:00Z")).userId).toBe(B);
    expect(onCallAt(s, d("2026-01-05T08:59:00Z")).userId).toBe(C);
    expect(onCallAt(s, d("2025-12-22T09:00:00Z")).userId).toBe(B);
  });

  it("keeps Monday 09:00 London time across the last Sundays of March and October", () => {
    const s = schedule();
    // 09:00 GMT, then 09:00 BST (08:00Z) after the clocks go forward on Sunday 29 March.
    expect(iso(shiftAt(s, d("2026-03-27T12:00:00Z")).start)).toBe("2026-03-23T09:00:00.000Z");
    expect(iso(shiftAt(s, d("2026-03-27T12:00:00Z")).end)).toBe("2026-03-30T08:00:00.000Z");
    expect(onCallAt(s, d("2026-03-30T07:59:59Z")).shiftStart).toEqual(d("2026-03-23T09:00:00Z"));
    expect(onCallAt(s, d("2026-03-30T08:00:00Z")).shiftStart).toEqual(d("2026-03-30T08:00:00Z"));
    // 09:00 BST, then 09:00 GMT (09:00Z) after the clocks go back on Sunday 25 October.
    expect(iso(shiftAt(s, d("2026-10-20T12:00:00Z")).start)).toBe("2026-10-19T08:00:00.000Z");
    expect(iso(shiftAt(s, d("2026-10-20T12:00:00Z")).end)).toBe("2026-10-26T09:00:00.000Z");
    expect(onCallAt(s, d("2026-10-26T08:30:00Z")).shiftStart).toEqual(d("2026-10-19T08:00:00Z"));
    for (const at of [
      "2026-03-23T09:00:00Z",
      "2026-03-30T08:00:00Z",
      "2026-10-19T08:00:00Z",
      "2026-10-26T09:00:00Z",
    ])
      expect(wall(d(at), "Europe/London")).toMatch(/ 09:00 \(1\)$/);
  });

  it("rotates by hand-offs, not by 168-hour weeks, across the changes", () => {
    const s = schedule();
    // 12 weeks from 2 March 2026 include the March change; each Monday 09:30 local finds the next person.
    const mondays = Array.from({ length: 12 }, (_, i) =>
      zonedWallTimeToUtc({ year: 2026, month: 3, day: 2 + 7 * i, hour: 9, minute: 30 }, "Europe/London"),
    );
    // 2 March is 8 weeks after 5 January, and 8 mod 3 = 2: Carol's turn.
    expect(mondays.map((m) => onCallAt(s, m).userId)).toEqual([C, A, B, C, A, B, C, A, B, C, A, B]);
  });

  it("keeps Monday 09:00 in New York across its changes in March and November", () => {
    const s = schedule({ timeZone: "America/New_York", startsAt: d("2026-03-02T14:00:00Z") });
    expect(iso(shiftAt(s, d("2026-03-05T00:00:00Z")).start)).toBe("2026-03-02T14:00:00.000Z");
    expect(iso(shiftAt(s, d("2026-03-05T00:00:00Z")).end)).toBe("2026-03-09T13:00:00.000Z");
    expect(iso(shiftAt(s, d("2026-10-28T00:00:00Z")).start)).toBe("2026-10-26T13:00:00.000Z");
    expect(iso(shiftAt(s, d("2026-10-28T00:00:00Z")).end)).toBe("2026-11-02T14:00:00.000Z");
    expect(onCallAt(s, d("2026-03-09T13:00:00Z")).userId).toBe(B);
    expect(onCallAt(s, d("2026-03-09T12:59:59Z")).userId).toBe(A);
  });

  it("hands off at the end of a spring-forward gap when the hand-off time falls in it", () => {
    // Sundays 02:30 New York: on 8 March 2026 there is no 02:30; the hand-off happens at 03:00 EDT.
    const s = schedule({
      timeZone: "America/New_York",
      handoff: { weekday: 0, time: "02:30" },
      startsAt: d("2026-03-01T07:30:00Z"),
    });
    expect(onCallAt(s, d("2026-03-01T07:30:00Z"))).toMatchObject({
      userId: A,
      shiftEnd: d("2026-03-08T07:00:00Z"),
    });
    expect(onCallAt(s, d("2026-03-08T06:59:59Z")).userId).toBe(A);
    expect(onCallAt(s, d("2026-03-08T07:00:00Z"))).toMatchObject({
      userId: B,
      shiftStart: d("2026-03-08T07:00:00Z"),
      shiftEnd: d("2026-03-15T06:30:00Z"),
    });
    expect(wall(d("2026-03-15T06:30:00Z"), "America/New_York")).toBe("2026-03-15 02:30 (0)");
    expect(nextShift(s, d("2026-03-08T06:00:00Z"))).toMatchObject({
      userId: B,
      handoffAt: d("2026-03-08T07:00:00Z"),
    });
  });

  it("hands off at the first occurrence when the hand-off time repeats at fall back", () => {
    // Sundays 01:30 New York: on 1 November 2026, 01:30 EDT (05:30Z) and not 01:30 EST (06:30Z).
    const s = schedule({
      timeZone: "America/New_York",
      handoff: { weekday: 0, time: "01:30" },
      startsAt: d("2026-10-25T05:30:00Z"),
    });
    expect(onCallAt(s, d("2026-11-01T05:29:59Z")).userId).toBe(A);
    expect(onCallAt(s, d("2026-11-01T05:30:00Z"))).toMatchObject({
      userId: B,
      shiftStart: d("2026-11-01T05:30:00Z"),
    });
    // The second 01:30 is not another hand-off.
    expect(onCallAt(s, d("2026-11-01T06:30:00Z"))).toMatchObject({
      userId: B,
      shiftStart: d("2026-11-01T05:30:00Z"),
      shiftEnd: d("2026-11-08T06:30:00Z"),
    });
  });

  it("puts every instant of a year inside its shift, with shifts starting at the local hand-off time", () => {
    const zones = [
      { timeZone: "Europe/London", handoff: { weekday: 1, time: "09:00" }, local: / 09:00 \(1\)$/ },
      { timeZone: "America/New_York", handoff: { weekday: 0, time: "01:30" }, local: / 01:30 \(0\)$/ },
    ];
    for (const zone of zones) {
      const s = schedule({ timeZone: zone.timeZone, handoff: zone.handoff });
      const seen = new Set<string>();
      for (
        let t = d("2026-01-01T00:00:00Z").getTime();
        t < d("2027-01-01T00:00:00Z").getTime();
        t += 7 * 3_600_000
      ) {
        const found = onCallAt(s, new Date(t));
        expect(found.shiftStart.getTime()).toBeLessThanOrEqual(t);
        expect(found.shiftEnd.getTime()).toBeGreaterThan(t);
        if (!seen.has(iso(found.shiftStart))) {
          seen.add(iso(found.shiftStart));
          expect(wall(found.shiftStart, zone.timeZone)).toMatch(zone.local);
        }
      }
      expect(seen.size).toBeGreaterThanOrEqual(52);
    }
  });
});

describe("overrides", () => {
  const covering = (o: Partial<Override>): Override => ({
    userId: D,
    coversUserId: A,
    from: d("2026-01-07T12:00:00Z"),
    to: d("2026-01-08T12:00:00Z"),
    ...o,
  });

  it("put someone else on call in the middle of a shift, for [from, to)", () => {
    const s = schedule({ overrides: [covering({})] });
    expect(onCallAt(s, d("2026-01-07T11:59:59Z"))).toMatchObject({
      userId: A,
      until: d("2026-01-07T12:00:00Z"),
    });
    const during = onCallAt(s, d("2026-01-07T12:00:00Z"));
    expect(during).toMatchObject({
      userId: D,
      scheduledUserId: A,
      shiftStart: d("2026-01-05T09:00:00Z"),
      shiftEnd: d("2026-01-12T09:00:00Z"),
      until: d("2026-01-08T12:00:00Z"),
    });
    expect(during.override).toEqual(covering({}));
    expect(onCallAt(s, d("2026-01-08T12:00:00Z"))).toMatchObject({
      userId: A,
      until: d("2026-01-12T09:00:00Z"),
    });
    expect(onCallAt(s, d("2026-01-08T12:00:00Z")).override).toBeUndefined();
  });

  it("make nextShift name the person covering, and then the person coming back", () => {
    const s = schedule({ overrides: [covering({})] });
    expect(nextShift(s, d("2026-01-06T00:00:00Z"))).toMatchObject({
      userId: D,
      scheduledUserId: A,
      handoffAt: d("2026-01-07T12:00:00Z"),
      until: d("2026-01-08T12:00:00Z"),
    });
    expect(nextShift(s, d("2026-01-07T12:00:00Z"))).toMatchObject({
      userId: A,
      handoffAt: d("2026-01-08T12:00:00Z"),
    });
  });

  it("may span a hand-off: the covering person stays on call across it", () => {
    const s = schedule({
      overrides: [
        covering({ coversUserId: B, from: d("2026-01-11T12:00:00Z"), to: d("2026-01-13T12:00:00Z") }),
      ],
    });
    expect(onCallAt(s, d("2026-01-12T09:00:00Z"))).toMatchObject({
      userId: D,
      scheduledUserId: B,
      shiftStart: d("2026-01-12T09:00:00Z"),
      until: d("2026-01-13T12:00:00Z"),
    });
    expect(onCallAt(s, d("2026-01-11T12:00:00Z"))).toMatchObject({ userId: D, scheduledUserId: A });
    expect(nextShift(s, d("2026-01-10T00:00:00Z"))).toMatchObject({
      userId: D,
      handoffAt: d("2026-01-11T12:00:00Z"),
    });
    expect(nextShift(s, d("2026-01-12T00:00:00Z"))).toMatchObject({
      userId: B,
      handoffAt: d("2026-01-13T12:00:00Z"),
    });
  });

  it("overlap: the override added later wins for the time they share", () => {
    const first = covering({ userId: D, from: d("2026-01-07T00:00:00Z"), to: d("2026-01-09T00:00:00Z") });
    const second = covering({ userId: E, from: d("2026-01-08T00:00:00Z"), to: d("2026-01-10T00:00:00Z") });
    const s = schedule({ overrides: [first, second] });
    expect(onCallAt(s, d("2026-01-07T12:00:00Z"))).toMatchObject({
      userId: D,
      until: d("2026-01-08T00:00:00Z"),
    });
    expect(onCallAt(s, d("2026-01-08T12:00:00Z"))).toMatchObject({
      userId: E,
      until: d("2026-01-10T00:00:00Z"),
    });
    expect(onCallAt(s, d("2026-01-09T12:00:00Z")).userId).toBe(E);
    expect(onCallAt(s, d("2026-01-10T00:00:00Z")).userId).toBe(A);

    const reversed = schedule({ overrides: [second, first] });
    expect(onCallAt(reversed, d("2026-01-08T12:00:00Z"))).toMatchObject({
      userId: D,
      until: d("2026-01-09T00:00:00Z"),
    });
    expect(onCallAt(reversed, d("2026-01-09T12:00:00Z")).userId).toBe(E);
  });

  it("of the scheduled person by themselves change nothing about who or until when", () => {
    const s = schedule({ overrides: [covering({ userId: A, coversUserId: undefined })] });
    expect(onCallAt(s, d("2026-01-07T13:00:00Z"))).toMatchObject({
      userId: A,
      until: d("2026-01-12T09:00:00Z"),
    });
  });
});

describe("nextShift", () => {
  it("at a hand-off instant gives the hand-off after it; just before, that one", () => {
    const s = schedule();
    expect(nextShift(s, d("2026-01-12T09:00:00Z"))).toMatchObject({
      userId: C,
      handoffAt: d("2026-01-19T09:00:00Z"),
      shiftStart: d("2026-01-19T09:00:00Z"),
      shiftEnd: d("2026-01-26T09:00:00Z"),
    });
    expect(nextShift(s, d("2026-01-12T08:59:59.999Z"))).toMatchObject({
      userId: B,
      handoffAt: d("2026-01-12T09:00:00Z"),
    });
    expect(nextShift(s, d("2026-01-12T09:00:00.001Z")).handoffAt).toEqual(d("2026-01-19T09:00:00Z"));
  });

  it("skips hand-offs to the same person (a repeated member) to the next real change", () => {
    const s = schedule({ members: [A, A, B] });
    expect(nextShift(s, d("2026-01-06T00:00:00Z"))).toMatchObject({
      userId: B,
      handoffAt: d("2026-01-19T09:00:00Z"),
    });
    expect(onCallAt(s, d("2026-01-06T00:00:00Z")).until).toEqual(d("2026-01-19T09:00:00Z"));
  });

  it("of a one-person schedule is that person again at the next hand-off", () => {
    const s = schedule({ members: [A] });
    expect(onCallAt(s, d("2026-01-06T00:00:00Z")).until).toEqual(d("2026-01-12T09:00:00Z"));
    expect(nextShift(s, d("2026-01-06T00:00:00Z"))).toMatchObject({
      userId: A,
      handoffAt: d("2026-01-12T09:00:00Z"),
    });
  });
});

describe("isScheduledDuring", () => {
  it("is true for whoever has a rotation shift in the span, overrides aside", () => {
    // Alice 5–12 January, Bob 12–19, Carol 19–26; Dan covers all of Bob's week.
    const covered = schedule({
      overrides: [
        { userId: D, coversUserId: B, from: d("2026-01-12T09:00:00Z"), to: d("2026-01-19T09:00:00Z") },
      ],
    });
    const [from, to] = [d("2026-01-13T10:00:00Z"), d("2026-01-14T10:00:00Z")];
    expect(isScheduledDuring(covered, B, from, to)).toBe(true);
    expect(isScheduledDuring(covered, A, from, to)).toBe(false);
    expect(isScheduledDuring(covered, D, from, to)).toBe(false);
    // A span crossing a hand-off reaches the next person.
    expect(isScheduledDuring(covered, C, from, d("2026-01-19T10:00:00Z"))).toBe(true);
    // An empty span has nobody.
    expect(isScheduledDuring(covered, B, from, from)).toBe(false);
  });
});
