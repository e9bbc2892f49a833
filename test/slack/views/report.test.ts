import { describe, expect, it } from "vitest";
import { emptyTally } from "../../../src/domain/alert-tally.ts";
import { SEVERITIES } from "../../../src/domain/incident.ts";
import { buildReport, type IncidentSnapshot, type ReportInput } from "../../../src/domain/report.ts";
import { DEFAULT_SEVERITY_POLICY } from "../../../src/domain/severity.ts";
import { LIST_LIMIT, reportMessage } from "../../../src/slack/views/report.ts";
import { blockTexts, EVIL, expectNoRawEvil, expectValidMessage } from "./incident-fixtures.ts";

const END = new Date("2026-11-23T09:00:00Z");
const MIN = 60_000;

function incidents(count: number): IncidentSnapshot[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `i${i}`,
    number: i + 1,
    title: i === 0 ? EVIL : `Incident ${i} ${"with a long title ".repeat(8)}`,
    severity: SEVERITIES[i % 4] ?? "sev1",
    services: [i % 2 ? "checkout" : "search.v2"],
    declaredAt: new Date(END.getTime() - (i % 1_400) * MIN - MIN),
    acknowledgedAt: new Date(END.getTime() - (i % 1_400) * MIN + (i % 20) * MIN),
    ...(i % 3 === 0 && { resolvedAt: new Date(END.getTime() - MIN / 2) }),
    channelId: `CINC${i}`,
  }));
}

const input = (overrides: Partial<ReportInput>): ReportInput => ({
  kind: "daily",
  end: END,
  now: END,
  incidents: [],
  alerts: [],
  open: { total: 0, stale: 0, incidents: [] },
  onCall: [],
  policies: DEFAULT_SEVERITY_POLICY,
  ...overrides,
});

const render = (overrides: Partial<ReportInput>) =>
  reportMessage(buildReport(input(overrides)), DEFAULT_SEVERITY_POLICY);

describe("the report message", () => {
  it("is one line on a quiet day", () => {
    const message = render({});
    expectValidMessage(message);
    expect(blockTexts(message)).toEqual([":white_check_mark: No incidents in the last 24 hours."]);
  });

  it("says it is late, with the time it was due", () => {
    const message = render({ lateFor: END, now: new Date(END.getTime() + 120 * MIN) });
    expect(message.text).toContain("This report is late");
    expect(message.text).toContain(`<!date^${END.getTime() / 1000}^`);
  });

  it("stays within Block Kit's limits with 1,000 incidents, and says how many it did not list", () => {
    const many = incidents(1_000);
    const open = many.slice(0, 10).map((i) => ({ ...i, status: "investigating" as const, roles: {} }));
    const message = render({
      incidents: many,
      open: { total: 1_000, stale: 400, incidents: open },
      alerts: [
        {
          ...emptyTally(),
          received: 5_000,
          sources: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`source-${i}`, i])),
          services: { [EVIL]: 3 },
        },
      ],
      onCall: [
        { level: 1, entries: [{ kind: "user", userId: "U1", schedule: "primary" }], uncovered: ["manager"] },
      ],
    });
    expectValidMessage(message);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(message.text).toContain("*Declared: 1000*");
    expect(message.text).toContain(`…and ${1_000 - LIST_LIMIT} more`);
    expect(message.text).toContain("…and 990 more open: `/incident list` shows them all");
    expect(message.text).toContain("*Open incidents: 1000*, 400 stale");
    expect(message.text).toContain("Noisiest sources: source-49 49 · source-48 48");
    expect(message.text).toContain("L1 <@U1> (primary), nobody on manager");
    expectNoRawEvil(message);
  });

  it("shows the trend of MTTA and MTTR with an arrow and a percentage", () => {
    const declaredAt = new Date(END.getTime() - 2 * 3_600_000);
    const before = new Date(END.getTime() - 8 * 86_400_000);
    const message = render({
      incidents: [
        {
          id: "a",
          number: 1,
          title: "Now",
          severity: "sev2",
          services: [],
          declaredAt,
          acknowledgedAt: new Date(declaredAt.getTime() + 5 * MIN),
        },
        {
          id: "b",
          number: 2,
          title: "Then",
          severity: "sev2",
          services: [],
          declaredAt: before,
          acknowledgedAt: new Date(before.getTime() + 20 * MIN),
        },
      ],
    });
    expectValidMessage(message);
    expect(message.text).toContain(
      "*MTTA* (declared → acknowledged): last 24 hours 5 min · 7 days 5 min ▼ 75% vs the 7 days before (20 min)",
    );
  });
});
