import { describe, expect, it } from "vitest";
import type { IncidentSnapshot } from "../../src/domain/report.ts";
import {
  dailyResponseTimes,
  describeResponseTimes,
  hasResponseTimes,
} from "../../src/domain/response-times.ts";
import { DEFAULT_SEVERITY_POLICY } from "../../src/domain/severity.ts";

const MIN = 60_000;
const END = new Date("2026-11-23T09:00:00Z");

function incident(id: string, declared: string, ackAfter?: number, resolveAfter?: number): IncidentSnapshot {
  const declaredAt = new Date(declared);
  return {
    id,
    number: 1,
    title: id,
    severity: "sev2",
    services: [],
    declaredAt,
    ...(ackAfter !== undefined && { acknowledgedAt: new Date(declaredAt.getTime() + ackAfter * MIN) }),
    ...(resolveAfter !== undefined && { resolvedAt: new Date(declaredAt.getTime() + resolveAfter * MIN) }),
  };
}

describe("MTTA and MTTR per day", () => {
  // Day windows end at 09:00 UTC: the last is 22 Nov 09:00 → 23 Nov 09:00, the first 24 Oct → 25 Oct.
  const incidents = [
    // Last day: A acknowledged after 8 min, resolved after 60; B acknowledged after 12, resolved after 120.
    incident("a", "2026-11-22T14:00:00Z", 8, 60),
    incident("b", "2026-11-22T15:00:00Z", 12, 120),
    // Declared on 10 Nov at 08:50 (the day ending 10 Nov 09:00), acknowledged 20 min later (the day ending
    // 11 Nov) and resolved 250 min later: both count on the day they happened.
    incident("c", "2026-11-10T08:50:00Z", 20, 250),
    // Acknowledged on 1 Nov at 10:03 (the day ending 2 Nov), still open; and one older than the chart,
    // resolved inside it.
    incident("d", "2026-11-01T10:00:00Z", 3),
    incident("e", "2026-10-20T10:00:00Z", 30, 7 * 24 * 60),
  ];
  const days = dailyResponseTimes(incidents, END);

  it("has 30 days of 24 hours, oldest first, the last ending at the report's time", () => {
    expect(days).toHaveLength(30);
    expect(days[0]?.window).toEqual({
      from: new Date("2026-10-24T09:00:00Z"),
      to: new Date("2026-10-25T09:00:00Z"),
    });
    expect(days[29]?.window.to).toEqual(END);
  });

  it("averages each day's acknowledgements and resolutions, as worked out by hand", () => {
    const byEnd = new Map(days.map((d) => [d.window.to.toISOString().slice(0, 10), d]));
    expect(byEnd.get("2026-11-23")).toMatchObject({ mttaMs: 10 * MIN, mttrMs: 90 * MIN });
    expect(byEnd.get("2026-11-11")).toMatchObject({ mttaMs: 20 * MIN, mttrMs: 250 * MIN });
    expect(byEnd.get("2026-11-10")).toEqual(expect.not.objectContaining({ mttaMs: expect.anything() }));
    expect(byEnd.get("2026-11-02")).toEqual({ window: expect.anything(), mttaMs: 3 * MIN });
    // E: resolved 27 Oct 10:00, 7 days after it was declared.
    expect(byEnd.get("2026-10-28")).toEqual({ window: expect.anything(), mttrMs: 7 * 24 * 60 * MIN });
    expect(days.filter((d) => d.mttaMs !== undefined || d.mttrMs !== undefined)).toHaveLength(4);
    expect(hasResponseTimes(days)).toBe(true);
    expect(hasResponseTimes(dailyResponseTimes([], END))).toBe(false);
  });

  it("says the same figures in words, day by day, and sums them up for a screen reader", () => {
    const { comment, altText } = describeResponseTimes(days, DEFAULT_SEVERITY_POLICY, "Europe/London");
    expect(comment.split("\n")).toEqual([
      "MTTA (declared → acknowledged) and MTTR (declared → resolved) per day, 25 Oct to 23 Nov. Response targets: SEV1 5 min · SEV2 15 min · SEV3 1 h · SEV4 4 h.",
      "28 Oct: MTTA none, MTTR 7 d",
      "2 Nov: MTTA 3 min, MTTR none",
      "11 Nov: MTTA 20 min, MTTR 4 h 10 min",
      "23 Nov: MTTA 10 min, MTTR 1 h 30 min",
      "Days not listed had no incident acknowledged or resolved.",
    ]);
    expect(altText).toBe(
      "Line chart of MTTA and MTTR per day, 25 Oct to 23 Nov, in minutes on a log scale, with the response " +
        "targets SEV1 5 min · SEV2 15 min · SEV3 1 h · SEV4 4 h as dashed lines: MTTA on 3 of 30 days, from " +
        "3 min to 20 min; MTTR on 3 of 30 days, from 1 h 30 min to 7 d. The message lists each day's figures.",
    );
  });
});
