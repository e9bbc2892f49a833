import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEVERITIES } from "../../src/domain/incident.ts";
import { type ImportedIncident, importIncidents } from "../../src/store/incidents.ts";
import { TestClock } from "../support/clock.ts";
import { deliverQueued } from "../support/deliver.ts";
import { assertValidSurface } from "../support/fake-slack/block-kit.ts";
import { IncidentDriver } from "../support/incident-driver.ts";
import { alice, INCIDENTS } from "../support/incident-e2e.ts";
import { TEAM } from "../support/slack-driver.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

// 1,000 incidents in a month, in the real database: each report, previewed and posted through the real
// receiver to the fake Slack (which refuses what breaks Block Kit's limits), counts them all, lists the
// most severe first and says how many more there are and where to find them, never cutting silently.

const REPORTS = "C0REPORTS";
/** Monday 30 November 2026, 10:00 UTC. */
const NOW = new Date("2026-11-30T10:00:00Z");
const DAY = 86_400_000;
const MIN = 60_000;
const COUNT = 1_000;
const OPEN = 100;

/** Incident n (1…1000): declared every 43 minutes back over 30 days; the last 100 still open. */
function seeded(n: number): ImportedIncident {
  const declaredAt = new Date(NOW.getTime() - 30 * DAY + n * 43 * MIN);
  const open = n > COUNT - OPEN;
  return {
    workspaceId: TEAM.id,
    number: n,
    declareKey: `busy-${n}`,
    title: `Incident ${n}: ${"checkout & payments <failing> ".repeat(5)}`.slice(0, 150),
    description: "",
    severity: SEVERITIES[n % 4] ?? "sev1",
    status: open ? "investigating" : "resolved",
    affectedServices: [`service-${n % 7}`],
    roles: { commander: alice.id },
    reporterId: alice.id,
    isPrivate: false,
    declaredAt,
    channelId: `CBUSY${n}`,
    channelName: `inc-${n}-busy`,
    linkedNumbers: [],
    // Acknowledged after 1 to 20 minutes, so some breach SEV1's 5 and SEV2's 15.
    acknowledgedAt: new Date(declaredAt.getTime() + ((n % 20) + 1) * MIN),
    ...(open
      ? { nextUpdateDueAt: new Date(NOW.getTime() - (n % 2) * MIN) }
      : { resolvedAt: new Date(declaredAt.getTime() + 90 * MIN), archivedAt: declaredAt }),
  };
}

describe("reports over a period with 1,000 incidents", () => {
  let t: TestApp;
  let drive: IncidentDriver;
  beforeAll(async () => {
    t = await startTestApp({
      clock: new TestClock(NOW),
      env: {
        REPORT_CHANNEL: REPORTS,
        REPORT_TIMEZONE: "UTC",
        INCIDENTS_CHANNEL: INCIDENTS,
        // Only the reports asked for: none is scheduled, so start-up posts none.
        REPORT_CRON: "off",
        REPORT_WEEKLY_CRON: "off",
        REPORT_MONTHLY_CRON: "off",
      },
    });
    t.slack.addUser(alice);
    t.slack.addChannel({ id: REPORTS, name: "reports", members: [t.slack.state.bot.user_id] });
    await t.firebreak.poller.stop();
    await importIncidents(
      t.firebreak.store.models,
      Array.from({ length: COUNT }, (_, i) => seeded(i + 1)),
    );
    drive = new IncidentDriver(t);
  }, 120_000);
  afterAll(() => t.stop());

  const all = Array.from({ length: COUNT }, (_, i) => seeded(i + 1));
  const RESPONSE_MINUTES = { sev1: 5, sev2: 15, sev3: 60, sev4: 240 };
  /** What each report must count, worked out from the seeds. */
  const expected = (days: number) => {
    const from = NOW.getTime() - days * DAY;
    const inPeriod = (at: Date | undefined) => at !== undefined && at.getTime() >= from;
    const declared = all.filter((i) => inPeriod(i.declaredAt));
    return {
      declared: declared.length,
      resolved: all.filter((i) => inPeriod(i.resolvedAt)).length,
      breaches: declared.filter(
        (i) =>
          (i.acknowledgedAt?.getTime() ?? 0) - i.declaredAt.getTime() > RESPONSE_MINUTES[i.severity] * MIN,
      ).length,
    };
  };
  const more = (n: number) =>
    `_…and ${n - 10} more (counted above): every incident's announcement is in <#${INCIDENTS}>_`;
  /** The lines of the section that starts with `heading`. */
  const sectionLines = (text: string, heading: string) => {
    const lines = text.split("\n");
    const start = lines.findIndex((line) => line.startsWith(heading));
    const end = lines.findIndex((line, i) => i > start && line.startsWith("*"));
    return lines.slice(start + 1, end);
  };

  it.each([
    ["daily", 1],
    ["weekly", 7],
    ["monthly", 30],
  ] as const)(
    "the %s report counts every incident, lists the first ten and links out to the rest",
    async (kind, days) => {
      const { responseId } = await drive.incident(alice, `report ${kind} preview`);
      const preview = await drive.answer(responseId);
      const blocks = preview.body.blocks as never[];
      assertValidSurface({ kind: "message", blocks, text: preview.text });
      expect(blocks.length).toBeLessThanOrEqual(50);
      const { text } = preview;
      const counts = expected(days);
      expect(text).toContain(`*Declared: ${counts.declared}*`);
      expect(text).toContain(`*Response-time breaches: ${counts.breaches}*`);
      expect(text).toContain("*Open incidents: 100*, 100 stale");
      expect(text).toContain("_…and 90 more open: `/incident list` shows them all_");
      if (counts.resolved > 0) expect(text).toContain(`*Resolved: ${counts.resolved}*`);
      for (const [heading, n] of [
        ["*Declared", counts.declared],
        ["*Resolved", counts.resolved],
        ["*Response-time breaches", counts.breaches],
      ] as const) {
        if (n <= 10) continue;
        const lines = sectionLines(text, heading);
        expect(lines).toHaveLength(11);
        expect(lines[10]).toBe(more(n));
      }
    },
  );

  it("posts each of them to the report channel as valid Block Kit", async () => {
    for (const kind of ["daily", "weekly", "monthly"]) {
      const { responseId } = await drive.incident(alice, `report ${kind}`);
      await drive.answer(responseId, /on its way/);
    }
    await deliverQueued(t, 20);
    const posts = t.slack.callsToChannel("chat.postMessage", REPORTS);
    expect(posts.map((p) => [p.ok, String(p.args.text).split("\n")[0]])).toEqual([
      [true, expect.stringContaining("*Daily incident report*")],
      [true, expect.stringContaining("*Weekly incident review*")],
      [true, expect.stringContaining("*Monthly incident review*")],
    ]);
    expect(String(posts[2]?.args.text)).toContain(more(COUNT));
  });
});
