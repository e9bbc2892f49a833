import { describe, expect, it } from "vitest";
import { type HomeSummary, homeSummary, type OpenFollowUpEntry } from "../../../src/domain/home.ts";
import { type Incident, SEVERITIES } from "../../../src/domain/incident.ts";
import { DEFAULT_SEVERITY_POLICY } from "../../../src/domain/severity.ts";
import { HOME_DECLARE_ACTION, HOME_LIST_LIMIT, homeView } from "../../../src/slack/views/home.ts";
import { assertValidSurface } from "../../support/fake-slack/block-kit.ts";
import { EVIL, EVIL_RAW_PARTS, LONG_TITLE, makeIncident, NOW } from "./incident-fixtures.ts";

const VIEWER = "UVIEWER";
const policies = DEFAULT_SEVERITY_POLICY;

/** `count` open incidents, severities in turn, each with a title that grows fourfold when escaped. */
function openIncidents(count: number, overrides: (i: number) => Partial<Incident> = () => ({})): Incident[] {
  return Array.from({ length: count }, (_, i) =>
    makeIncident({
      id: `inc${i}`,
      number: i + 1,
      title: LONG_TITLE,
      severity: SEVERITIES[i % 4],
      declaredAt: new Date(NOW.getTime() - (i + 1) * 60_000),
      channelId: `CINC${i + 1}`,
      roles: { commander: i % 2 === 0 ? VIEWER : "UOTHER" },
      ...overrides(i),
    }),
  );
}

function followUps(count: number, dueAt: (i: number) => Date | undefined): OpenFollowUpEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    incidentId: `inc${i}`,
    number: i + 1,
    seq: 1,
    text: `${EVIL} ${"long follow-up text ".repeat(20)}`,
    ownerId: VIEWER,
    createdBy: "UOTHER",
    ...(dueAt(i) && { dueAt: dueAt(i) }),
  }));
}

const summary = (incidents: Incident[], entries: OpenFollowUpEntry[] = []): HomeSummary =>
  homeSummary({
    viewerId: VIEWER,
    now: NOW,
    incidents,
    followUps: entries,
    channels: new Map(incidents.map((incident) => [incident.id, incident.channelId ?? ""])),
    onCall: [
      { level: 1, entries: [{ kind: "user", userId: VIEWER, schedule: "primary" }], uncovered: [] },
      { level: 2, entries: [{ kind: "usergroup", groupId: "SOPS" }], uncovered: ["secondary"] },
    ],
  });

const textOf = (view: ReturnType<typeof homeView>) => JSON.stringify(view.blocks);

describe("the App Home view", () => {
  it("stays valid Block Kit with 100 open incidents and 100 follow-ups, summarising every list", () => {
    const hour = 3_600_000;
    const view = homeView(
      summary(
        openIncidents(100),
        followUps(100, (i) => new Date(NOW.getTime() + (i % 2 === 0 ? -hour : hour))),
      ),
      policies,
    );
    assertValidSurface({ kind: "home", ...view });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = textOf(view);
    expect(text).toContain("*Open incidents: 100* (SEV1 25 · SEV2 25 · SEV3 25 · SEV4 25)");
    // Each severity lists HOME_LIST_LIMIT and counts the rest; the viewer commands every other one.
    expect(text.match(/…and 15 more: `\/incident list` shows them all/g)).toHaveLength(4);
    expect(text).toContain("*Your incidents: 50*");
    expect(text).toContain("…and 40 more: `/incident list` shows every open incident");
    expect(text).toContain("*Your follow-ups: 100* (50 overdue)");
    expect(text).toContain("…and 90 more: `/incident followup list` in each incident's channel");
    // User text is escaped everywhere.
    for (const raw of EVIL_RAW_PARTS) expect(text).not.toContain(raw);
  });

  it("takes no more blocks for 100 open incidents than for 10", () => {
    const blocks = (n: number) => homeView(summary(openIncidents(n)), policies).blocks.length;
    expect(blocks(100)).toBe(blocks(4 * HOME_LIST_LIMIT));
  });

  it("shows the viewer's incidents with their roles, overdue follow-ups first, and whether they are on call", () => {
    const incidents = openIncidents(3, (i) => ({
      title: `Incident ${i + 1}`,
      roles: i === 1 ? { commander: "UOTHER", scribe: VIEWER } : { commander: "UOTHER" },
    }));
    const entries = followUps(2, (i) => (i === 0 ? undefined : new Date(NOW.getTime() - 60_000)));
    const view = homeView(summary(incidents, entries), policies);
    assertValidSurface({ kind: "home", ...view });
    const text = textOf(view);
    expect(text).toContain("*Your incidents: 1*");
    expect(text).toMatch(
      /\*INC-2\* Incident 2 — SEV2 · Investigating · 2 min · <#CINC2> · you are \*Scribe\*/,
    );
    const overdue = text.indexOf("*INC-2 F1* <#CINC2>");
    const undated = text.indexOf("*INC-1 F1* <#CINC1>");
    expect(overdue).toBeGreaterThan(-1);
    expect(undated).toBeGreaterThan(overdue);
    expect(text).toContain(":warning: overdue since <!date^");
    expect(text).toContain("no due date");
    expect(text).toContain("You are on call now (L1).");
    expect(text).toContain(`*L1* <@${VIEWER}> (primary) — *you*`);
    expect(text).toContain("*L2* <!subteam^SOPS>, _nobody on secondary_");
    expect(view.blocks[1]).toMatchObject({
      type: "actions",
      elements: [{ action_id: HOME_DECLARE_ACTION, style: "primary" }],
    });
  });

  it("lists drills on their own, labelled, and counts them in no severity", () => {
    const incidents = openIncidents(3, (i) => ({
      title: `Incident ${i + 1}`,
      severity: "sev2",
      drill: i === 0,
      roles: i === 0 ? { commander: VIEWER } : {},
    }));
    const text = textOf(homeView(summary(incidents), policies));
    expect(text).toContain("*Open incidents: 2* (SEV2 2)");
    expect(text).toContain(":test_tube: DRILL *Drills in progress: 1* (practice, not counted above)");
    expect(text).toContain(":test_tube: DRILL :large_orange_circle: *INC-1* Incident 1");
  });

  it("says so when nothing is open, nothing is the viewer's and nobody is on call", () => {
    const empty = homeSummary({
      viewerId: VIEWER,
      now: NOW,
      incidents: [],
      followUps: [],
      channels: new Map(),
      onCall: [{ level: 1, entries: [], uncovered: ["primary"] }],
    });
    const view = homeView(empty, policies);
    assertValidSurface({ kind: "home", ...view });
    const text = textOf(view);
    expect(text).toContain("No open incidents.");
    expect(text).toContain("You hold no role in an open incident.");
    expect(text).toContain("No open follow-up is yours.");
    expect(text).toContain("You are not on call now.");
    expect(text).toContain("*L1* _nobody on primary_");
  });
});
