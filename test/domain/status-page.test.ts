import { describe, expect, it } from "vitest";
import { DEFAULT_SEVERITY_POLICY } from "../../src/domain/severity.ts";
import {
  daysBetween,
  type HistoryIncident,
  publicByPolicy,
  serviceHistory,
  stateForSeverity,
  uptimePercent,
  worstState,
} from "../../src/domain/status-page.ts";

const at = (iso: string) => new Date(iso);

describe("the status page's rules", () => {
  it("publishes SEV1 and SEV2 by the default policy, not SEV3 or SEV4", () => {
    expect(publicByPolicy(DEFAULT_SEVERITY_POLICY.sev1)).toBe(true);
    expect(publicByPolicy(DEFAULT_SEVERITY_POLICY.sev2)).toBe(true);
    expect(publicByPolicy(DEFAULT_SEVERITY_POLICY.sev3)).toBe(false);
    expect(publicByPolicy(DEFAULT_SEVERITY_POLICY.sev4)).toBe(false);
  });

  it("maps severities to Statuspage's states and picks the worst", () => {
    expect(["sev1", "sev2", "sev3", "sev4"].map((s) => stateForSeverity(s as "sev1"))).toEqual([
      "major_outage",
      "partial_outage",
      "degraded_performance",
      "degraded_performance",
    ]);
    expect(worstState([])).toBe("operational");
    expect(worstState(["degraded_performance", "major_outage", "partial_outage"])).toBe("major_outage");
    expect(worstState(["under_maintenance", "operational"])).toBe("under_maintenance");
  });

  it("lists the UTC days between two times, at most the latest `max`", () => {
    expect(daysBetween(at("2026-11-28T23:00:00Z"), at("2026-11-30T01:00:00Z"))).toEqual([
      "2026-11-28",
      "2026-11-29",
      "2026-11-30",
    ]);
    expect(daysBetween(at("2026-01-01T00:00:00Z"), at("2026-11-30T00:00:00Z"), 2)).toEqual([
      "2026-11-29",
      "2026-11-30",
    ]);
  });

  it("counts a major outage fully down, a partial one 30 %, overlaps once, degraded as up", () => {
    const start = at("2026-11-01T00:00:00Z");
    const end = at("2026-11-11T00:00:00Z"); // 240 hours
    const major: HistoryIncident = {
      id: "a",
      name: "a",
      services: ["x"],
      state: "major_outage",
      from: at("2026-11-02T00:00:00Z"),
      to: at("2026-11-02T12:00:00Z"),
    };
    expect(uptimePercent([major], start, end)).toBe(95);
    const partialInside = { ...major, id: "b", state: "partial_outage" as const };
    expect(uptimePercent([major, partialInside], start, end)).toBe(95);
    const partial = { ...partialInside, from: at("2026-11-05T00:00:00Z"), to: at("2026-11-06T00:00:00Z") };
    expect(uptimePercent([partial], start, end)).toBe(97);
    expect(uptimePercent([{ ...partial, state: "degraded_performance" }], start, end)).toBe(100);
  });

  it("marks each day with the worst incident of that service open on it, open ones until now", () => {
    const now = at("2026-11-30T12:00:00Z");
    const incidents: HistoryIncident[] = [
      {
        id: "1",
        name: "Partial outage: checkout",
        services: ["Checkout"],
        state: "partial_outage",
        from: at("2026-11-27T22:00:00Z"),
        to: at("2026-11-28T02:00:00Z"),
      },
      {
        id: "2",
        name: "Degraded",
        services: ["checkout", "search"],
        state: "degraded_performance",
        from: at("2026-11-29T10:00:00Z"),
      },
    ];
    const [checkout, search] = serviceHistory(["checkout", "search"], incidents, now, 5);
    expect(checkout?.days.map((d) => [d.date, d.state])).toEqual([
      ["2026-11-26", "operational"],
      ["2026-11-27", "partial_outage"],
      ["2026-11-28", "partial_outage"],
      ["2026-11-29", "degraded_performance"],
      ["2026-11-30", "degraded_performance"],
    ]);
    expect(checkout?.days[1]?.incidents).toEqual([
      { id: "1", name: "Partial outage: checkout", state: "partial_outage" },
    ]);
    expect(search?.days.map((d) => d.state)).toEqual([
      "operational",
      "operational",
      "operational",
      "degraded_performance",
      "degraded_performance",
    ]);
    expect(search?.uptime).toBe(100);
    expect(checkout?.uptime).toBeLessThan(100);
  });
});
