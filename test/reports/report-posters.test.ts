import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { TestClock } from "../support/clock.ts";
import { deliverQueued } from "../support/deliver.ts";
import { IncidentDriver } from "../support/incident-driver.ts";
import { alice } from "../support/incident-e2e.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

// REPORT_POSTERS over the real receiver and database: a listed person and a member of a listed user group
// post a report to the report channel; anyone else is told who may, and that a preview is still theirs.

const REPORTS = "C0REPORTS";
const ONCALL_LEADS = "S0LEADS";
const bob = { id: "U0BOB", name: "bob" };
const carol = { id: "U0CAROL", name: "carol" };
const dave = { id: "U0DAVE", name: "dave" };
/** A Sunday noon: no report is due at start-up. */
const SUNDAY_NOON = "2026-11-08T12:00:00Z";

describe("REPORT_POSTERS", () => {
  const valid = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" };
  const posters = (value: string | undefined) => {
    const result = parseConfig({ ...valid, REPORT_POSTERS: value });
    return result.ok ? result.config.reports.posters : result.problems;
  };

  it("reads people and user groups, in any mix of commas and spaces; unset or empty lets anyone post", () => {
    expect(posters("U0BOB, S0LEADS W0GRID")).toEqual({ userIds: ["U0BOB", "W0GRID"], groupIds: ["S0LEADS"] });
    expect(posters(undefined)).toBeUndefined();
    expect(posters(" ")).toBeUndefined();
  });

  it("refuses anything else, saying which entry and what to write", () => {
    expect(posters("U0BOB,@carol")).toEqual([
      expect.stringMatching(
        /^REPORT_POSTERS lists "@carol", which is neither a user ID \(U0123ABCD\) nor a user group ID \(S0123ABCD\)\. User IDs/,
      ),
    ]);
  });
});

describe("/incident report with REPORT_POSTERS", () => {
  let t: TestApp;
  let drive: IncidentDriver;
  beforeAll(async () => {
    t = await startTestApp({
      clock: new TestClock(SUNDAY_NOON),
      env: {
        REPORT_CHANNEL: REPORTS,
        REPORT_TIMEZONE: "UTC",
        REPORT_POSTERS: `${bob.id},${ONCALL_LEADS}`,
      },
    });
    for (const person of [alice, bob, carol, dave]) t.slack.addUser(person);
    t.slack.addChannel({ id: REPORTS, name: "reports", members: [t.slack.state.bot.user_id] });
    t.slack.addUserGroup({ id: ONCALL_LEADS, handle: "oncall-leads", users: [carol.id] });
    await t.firebreak.poller.stop();
    drive = new IncidentDriver(t);
  });
  afterAll(() => t.stop());

  const reportPosts = () => t.slack.callsToChannel("chat.postMessage", REPORTS).filter((c) => c.ok);
  const ask = async (who: typeof alice, line: string) => {
    const { responseId } = await drive.incident(who, line);
    return drive.answer(responseId);
  };

  it("refuses someone not listed, privately, naming who may post and offering the preview", async () => {
    const answer = await ask(dave, "report weekly");
    expect(answer.body.response_type).toBe("ephemeral");
    expect(answer.text).toBe(
      `Only <@${bob.id}> and members of <!subteam^${ONCALL_LEADS}> may post reports to <#${REPORTS}>. You can still see it yourself with \`/incident report weekly preview\`.`,
    );
    await deliverQueued(t, 5);
    expect(reportPosts()).toHaveLength(0);
    const preview = await ask(dave, "report weekly preview");
    expect(preview.text).toBe(":white_check_mark: No incidents in the last 7 days.");
    expect(reportPosts()).toHaveLength(0);
  });

  it("posts for a listed person and for a member of a listed group", async () => {
    expect((await ask(bob, "report")).text).toBe(`The daily report is on its way to <#${REPORTS}>.`);
    expect((await ask(carol, "report monthly")).text).toBe(
      `The monthly report is on its way to <#${REPORTS}>.`,
    );
    await deliverQueued(t, 20);
    expect(reportPosts().map((p) => p.args.text)).toEqual([
      ":white_check_mark: No incidents in the last 24 hours.",
      ":white_check_mark: No incidents in the last 30 days.",
    ]);
  });

  it("says so, with a reference in the log, when Slack cannot list the group", async () => {
    t.slack.failNext("usergroups.users.list", { error: "no_such_subteam" });
    const answer = await ask(carol, "report");
    const ref = /\(ref ([A-Z2-9]{6})\)/.exec(answer.text)?.[1];
    expect(answer.text).toBe(
      `I could not check who is in <!subteam^${ONCALL_LEADS}>, so I did not post the report to <#${REPORTS}>. Please try again in a minute (ref ${ref}). You can still see it yourself with \`/incident report daily preview\`.`,
    );
    expect(t.logs.find((line) => line.ref === ref)).toMatchObject({ error: "no_such_subteam" });
  });
});
