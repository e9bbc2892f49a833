import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { handoffAnnouncementsJob } from "../../src/jobs/handoffs.ts";
import { createLogger } from "../../src/logger.ts";
import { SlackNotifier } from "../../src/slack/notifier.ts";
import { getScheduleByName } from "../../src/store/schedules.ts";
import { eventually } from "../support/eventually.ts";
import { TEAM } from "../support/slack-driver.ts";
import type { Actor } from "../support/slack-payloads.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const alice = { id: "U0ALICE", name: "alice" };
const bob = { id: "U0BOB", name: "bob" };
const carol = { id: "U0CAROL", name: "carol" };
const ONCALL = "C0ONCALL";

/** `<!date^…` for an instant, as the answers show times. */
const dateToken = (iso: string) => `<!date^${Date.parse(iso) / 1000}^{date_short_pretty} {time}|`;

describe("/oncall through the real receiver and database", () => {
  let t: TestApp;
  let sequence = 0;

  beforeAll(async () => {
    t = await startTestApp();
    // Tuesday 24 November 2026, 12:00 London (GMT): in the middle of a Monday-to-Monday shift.
    t.clock.set("2026-11-24T12:00:00Z");
    for (const person of [alice, bob, carol]) t.slack.addUser({ id: person.id, name: person.name });
    t.slack.addChannel({ id: ONCALL, name: "oncall", members: [t.slack.state.bot.user_id] });
  });
  afterAll(() => t.stop());

  /** Sends `/oncall <text>` and returns the ephemeral answer that arrives on its response_url. */
  async function oncall(user: Actor, text: string): Promise<{ text: string; body: Record<string, unknown> }> {
    const responseId = `oncall-${++sequence}`;
    const response = await t.send.slashCommand({
      command: "/oncall",
      text,
      user,
      responseUrl: t.slack.responseUrl(responseId),
      triggerId: t.slack.newTriggerId(user.id),
    });
    expect(response.status).toBe(200);
    expect(response.text).toBe("");
    const body = await eventually(
      () => t.slack.responses.find((r) => r.id === responseId)?.body as Record<string, unknown> | undefined,
      `the answer to /oncall ${text}`,
    );
    expect(body.response_type).toBe("ephemeral");
    return { text: String(body.text), body };
  }

  it("says there are no schedules yet, and how to make one", async () => {
    const answer = await oncall(alice, "");
    expect(answer.text).toContain("There are no on-call schedules yet.");
    expect(answer.text).toContain("/oncall schedule create");
  });

  it("creates a schedule: the first person takes the running shift, the next one the next", async () => {
    const answer = await oncall(
      alice,
      "schedule create Primary monday 09:00 Europe/London <@U0ALICE|alice> <@U0BOB> <@U0CAROL|carol>",
    );
    expect(answer.text).toContain(
      ":white_check_mark: Created the on-call schedule *Primary*, handing off Mondays at 09:00 (Europe/London).",
    );
    expect(answer.text).toContain("Rotation: <@U0ALICE> → <@U0BOB> → <@U0CAROL>");
    expect(answer.text).toContain(`Now: <@U0ALICE> until ${dateToken("2026-11-30T09:00:00Z")}`);
    expect(answer.text).toContain(`Next: <@U0BOB> from ${dateToken("2026-11-30T09:00:00Z")}`);
    const stored = await getScheduleByName(t.firebreak.store.models, TEAM.id, "primary");
    expect(stored).toMatchObject({ members: [alice.id, bob.id, carol.id], createdBy: alice.id });
  });

  it("answers /oncall with who is on call now and next on every schedule", async () => {
    const answer = await oncall(bob, "");
    expect(answer.text).toContain("*Primary* · hands off Mondays at 09:00 (Europe/London)");
    expect(answer.text).toContain(`:pager: Now: <@U0ALICE> until ${dateToken("2026-11-30T09:00:00Z")}`);
    expect(answer.text).toContain(`Next: <@U0BOB> from ${dateToken("2026-11-30T09:00:00Z")}`);
    expect(answer.body.blocks).toHaveLength(1);
  });

  it("adds an override and shows it: the covering person now, the covered one back next", async () => {
    const added = await oncall(
      carol,
      "override primary <@U0CAROL> covers <@U0ALICE> 2026-11-24 11:00 → 2026-11-24 15:00",
    );
    expect(added.text).toContain(
      `<@U0CAROL> covers <@U0ALICE> on *Primary* from ${dateToken("2026-11-24T11:00:00Z")}`,
    );
    const shown = await oncall(bob, "Primary");
    expect(shown.text).toContain(
      `Now: <@U0CAROL> (covering for <@U0ALICE>) until ${dateToken("2026-11-24T15:00:00Z")}`,
    );
    expect(shown.text).toContain(`Next: <@U0ALICE> from ${dateToken("2026-11-24T15:00:00Z")}`);
  });

  it("adds an override for someone off the rotation then, and says the covering person has all of it", async () => {
    // Carol's next shift is 7–14 December; on 15 December Alice is on call.
    const added = await oncall(
      bob,
      "override Primary <@U0BOB> covers <@U0CAROL> 2026-12-15 10:00 to 2026-12-15 12:00",
    );
    expect(added.text).toContain(
      "<@U0CAROL> is not on the rotation during that time; <@U0BOB> is on call for all of it anyway.",
    );
    const unknown = await oncall(
      bob,
      "override Tertiary <@U0BOB> covers <@U0CAROL> 2026-12-15 10:00 to 2026-12-15 12:00",
    );
    expect(unknown.text).toBe("I can't find a schedule named *Tertiary*. Schedules: *Primary*");
  });

  it("answers bad input with what was wrong and the usage", async () => {
    const weekday = await oncall(alice, "schedule create Secondary someday 09:00 Europe/London <@U0ALICE>");
    expect(weekday.text).toContain('"someday" is not a weekday');
    expect(weekday.text).toContain("Usage: `/oncall schedule create &lt;name&gt;");
    const duplicate = await oncall(alice, "schedule create PRIMARY tue 10:00 UTC <@U0BOB>");
    expect(duplicate.text).toBe('There is already a schedule named "PRIMARY"; pick another name.');
    const unknown = await oncall(alice, "Secondary");
    expect(unknown.text).toBe("I can't find a schedule named *Secondary*. Schedules: *Primary*");
    const past = await oncall(
      alice,
      "override Primary <@U0BOB> covers <@U0ALICE> 2026-11-01 10:00 to 2026-11-02 10:00",
    );
    expect(past.text).toBe("That time has already passed.");
    const help = await oncall(alice, "help");
    expect(help.text).toContain("Here is what `/oncall` can do:");
  });

  it("announces a hand-off once when the clock passes it, taking over from the previous person", async () => {
    const client = new WebClient(t.slack.botToken, { slackApiUrl: t.slack.apiUrl });
    const logger = createLogger("silent");
    const parsed = parseConfig({ SLACK_BOT_TOKEN: t.slack.botToken, SLACK_SIGNING_SECRET: "x" });
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    const notifier = new SlackNotifier(client, { config: parsed.config, clock: t.clock, logger });
    const job = handoffAnnouncementsJob({ store: t.firebreak.store, logger, notifier }, ONCALL);
    // Created mid-shift: that shift had no hand-off to announce.
    expect(await job.runDue(t.clock.now())).toBe(0);
    t.clock.set("2026-11-30T08:59:59Z");
    expect(await job.runDue(t.clock.now())).toBe(0);

    t.clock.set("2026-11-30T09:00:30Z");
    expect(await job.runDue(t.clock.now())).toBe(1);
    expect(await job.runDue(t.clock.now())).toBe(0);
    const messages = t.slack.state.messages[ONCALL] ?? [];
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).toBe(
      `:pager: Hand-off for *Primary*: <@U0BOB> is now on call until ${dateToken("2026-12-07T09:00:00Z")}Mon 7 Dec 2026, 09:00 GMT>, taking over from <@U0ALICE>.`,
    );

    // An hour later than the window, nothing is announced any more (e.g. after downtime).
    t.clock.set("2026-12-07T10:00:01Z");
    expect(await job.runDue(t.clock.now())).toBe(0);
    expect(t.slack.state.messages[ONCALL]).toHaveLength(1);
  });
});
