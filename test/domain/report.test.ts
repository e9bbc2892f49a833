import { describe, expect, it } from "vitest";
import { type AlertTally, emptyTally } from "../../src/domain/alert-tally.ts";
import {
  buildReport,
  changePercent,
  type IncidentSnapshot,
  type OpenIncident,
  type ReportInput,
} from "../../src/domain/report.ts";
import { DEFAULT_SEVERITY_POLICY } from "../../src/domain/severity.ts";
import { topNames } from "../../src/domain/top-names.ts";

/** Every figure below is worked out by hand from these incidents, the comment beside each says how. */
const END = new Date("2026-11-23T09:00:00Z"); // Monday; the period is Nov 22 09:00 → Nov 23 09:00
const at = (iso: string) => new Date(`2026-11-${iso}Z`);
const MIN = 60_000;

const snap = (
  fields: Partial<IncidentSnapshot> & Pick<IncidentSnapshot, "id" | "severity" | "declaredAt">,
) => ({
  number: Number(fields.id.slice(1)),
  title: `Incident ${fields.id}`,
  services: [],
  ...fields,
});

// A: SEV1 declared in the period, acknowledged after 10 min (target 5: a breach), resolved after 120 min.
const A = snap({
  id: "i1",
  severity: "sev1",
  declaredAt: at("22T10:00:00"),
  acknowledgedAt: at("22T10:10:00"),
  resolvedAt: at("22T12:00:00"),
  services: ["checkout"],
  channelId: "CINC1",
});
// B: SEV2 declared in the period, acknowledged after 5 min (target 15), still open.
const B = snap({
  id: "i2",
  severity: "sev2",
  declaredAt: at("23T08:00:00"),
  acknowledgedAt: at("23T08:05:00"),
  services: ["checkout", "search"],
});
// C: SEV3 declared three days before, acknowledged after 20 min, resolved in the period after 3,600 min.
const C = snap({
  id: "i3",
  severity: "sev3",
  declaredAt: at("20T09:00:00"),
  acknowledgedAt: at("20T09:20:00"),
  resolvedAt: at("22T21:00:00"),
  services: ["search"],
});
// D: SEV2 of the previous 7 days: acknowledged after 30 min, resolved after 120 min.
const D = snap({
  id: "i4",
  severity: "sev2",
  declaredAt: at("12T09:00:00"),
  acknowledgedAt: at("12T09:30:00"),
  resolvedAt: at("12T11:00:00"),
});
// E: SEV4 declared 30 min before the end, not acknowledged: 30 min is within its 240.
const E = snap({ id: "i5", severity: "sev4", declaredAt: at("23T08:30:00") });

const tally = (fields: Partial<AlertTally>): AlertTally => ({ ...emptyTally(), ...fields });
const ALERTS = [
  tally({
    received: 3,
    acknowledged: 2,
    acknowledgeMs: 6 * MIN, // 2 min and 4 min
    escalated: 1,
    autoResolved: 1,
    sources: { grafana: 2, generic: 1 },
    services: { checkout: 2, search: 1 },
  }),
  tally({
    received: 4,
    acknowledged: 1,
    acknowledgeMs: 9 * MIN,
    sources: { generic: 3, alertmanager: 1 },
    services: { search: 3, checkout: 1 },
  }),
];

const open = (fields: Partial<OpenIncident> & Pick<OpenIncident, "id" | "severity" | "declaredAt">) => ({
  number: 1,
  title: "Open",
  status: "investigating" as const,
  roles: {},
  ...fields,
});
// O: SEV2, update due 08:30 (overdue at 09:00: stale), so the last was at 08:00 (cadence 30): 60 min ago.
const O = open({
  id: "o1",
  severity: "sev2",
  declaredAt: at("23T06:00:00"),
  nextUpdateDueAt: at("23T08:30:00"),
});
// P: SEV1 declared 08:50, update due 09:20: not stale, last "update" is the declaration, 10 min ago.
const P = open({
  id: "o2",
  severity: "sev1",
  declaredAt: at("23T08:50:00"),
  nextUpdateDueAt: at("23T09:20:00"),
});

const input = (overrides: Partial<ReportInput> = {}): ReportInput => ({
  kind: "daily",
  end: END,
  now: END,
  incidents: [A, B, C, D, E],
  alerts: ALERTS,
  open: { total: 2, stale: 1, incidents: [P, O] },
  onCall: [],
  policies: DEFAULT_SEVERITY_POLICY,
  ...overrides,
});

describe("the daily report's figures", () => {
  const report = buildReport(input());

  it("counts the incidents declared and resolved in the last 24 hours by severity", () => {
    expect(report.declared.incidents.map((i) => i.id)).toEqual(["i1", "i2", "i5"]);
    expect(report.declared.bySeverity).toEqual({ sev1: 1, sev2: 1, sev3: 0, sev4: 1 });
    expect(report.resolved.incidents.map((i) => i.id)).toEqual(["i1", "i3"]);
    expect(report.resolved.bySeverity).toEqual({ sev1: 1, sev2: 0, sev3: 1, sev4: 0 });
    expect(report.quiet).toBe(false);
  });

  it("gives MTTA and MTTR of the day, of 7 days, and the change against the 7 days before", () => {
    expect(report.mtta.period).toBe(7.5 * MIN); // (10 + 5) / 2
    expect(report.mttr.period).toBe(1860 * MIN); // (120 + 3600) / 2
    // 7 days: A 10, B 5, C 20 → 35/3 min; before: D 30 min → (35/3 − 30) / 30 = −61 %.
    expect(report.mtta.trailing).toEqual({
      currentMs: (35 / 3) * MIN,
      previousMs: 30 * MIN,
      changePercent: -61,
    });
    // 7 days: A 120, C 3600 → 1860 min; before: D 120 → (1860 − 120) / 120 = +1450 %.
    expect(report.mttr.trailing).toEqual({
      currentMs: 1860 * MIN,
      previousMs: 120 * MIN,
      changePercent: 1450,
    });
  });

  it("lists response-time breaches against each severity's target", () => {
    expect(report.breaches).toEqual([{ incident: A, responseMs: 10 * MIN, targetMs: 5 * MIN }]);
    // E unacknowledged for 300 min by now: past SEV4's 240.
    const later = buildReport(input({ now: new Date(END.getTime() + 270 * MIN) }));
    expect(later.breaches.map((b) => [b.incident.id, b.responseMs])).toEqual([
      ["i1", 10 * MIN],
      ["i5", 300 * MIN],
    ]);
  });

  it("flags open incidents whose status update is overdue, stale first, with the time since the last update", () => {
    expect(report.open.total).toBe(2);
    expect(report.open.stale).toBe(1);
    expect(report.open.lines.map((l) => [l.incident.id, l.stale, l.ageMs, l.sinceUpdateMs])).toEqual([
      ["o1", true, 180 * MIN, 60 * MIN],
      ["o2", false, 10 * MIN, 10 * MIN],
    ]);
  });

  it("sums the alerts and names the noisiest sources and services", () => {
    expect(report.alerts).toEqual({
      received: 7,
      acknowledged: 3,
      escalated: 1,
      autoResolved: 1,
      meanAcknowledgeMs: 5 * MIN, // (6 + 9) / 3
      topSources: [
        { name: "generic", count: 4 },
        { name: "grafana", count: 2 },
        { name: "alertmanager", count: 1 },
      ],
      topServices: [
        { name: "search", count: 4 },
        { name: "checkout", count: 3 },
      ],
    });
  });

  it("is quiet with no incident declared, resolved or open and no alert", () => {
    const quiet = buildReport(
      input({ incidents: [D], alerts: [], open: { total: 0, stale: 0, incidents: [] } }),
    );
    expect(quiet.quiet).toBe(true);
    expect(quiet.declared.incidents).toEqual([]);
  });
});

describe("the weekly review's figures", () => {
  const report = buildReport(input({ kind: "weekly" }));

  it("compares the week's declared incidents with the week before", () => {
    // A, B, C, E this week; D the week before: (4 − 1) / 1 = +300 %.
    expect(report.declaredTrend).toEqual({ current: 4, previous: 1, changePercent: 300 });
  });

  it("names the top recurring services and the SLO compliance by severity", () => {
    expect(report.topServices).toEqual([
      { name: "checkout", count: 2 },
      { name: "search", count: 2 },
    ]);
    expect(report.slo).toEqual([
      { severity: "sev1", total: 1, withinTarget: 0, percent: 0 },
      { severity: "sev2", total: 1, withinTarget: 1, percent: 100 },
      { severity: "sev3", total: 1, withinTarget: 1, percent: 100 },
      { severity: "sev4", total: 1, withinTarget: 1, percent: 100 },
    ]);
  });
});

describe("helpers", () => {
  it("keeps the five largest counts, ties by name", () => {
    expect(topNames({ a: 1, b: 5, c: 3, d: 3, e: 2, f: 4 })).toEqual([
      { name: "b", count: 5 },
      { name: "f", count: 4 },
      { name: "c", count: 3 },
      { name: "d", count: 3 },
      { name: "e", count: 2 },
    ]);
  });

  it("gives no change without both sides", () => {
    expect(changePercent(10, undefined)).toBeUndefined();
    expect(changePercent(10, 0)).toBeUndefined();
    expect(changePercent(5, 20)).toBe(-75);
  });
});
