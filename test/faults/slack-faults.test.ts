import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Incident } from "../../src/domain/incident.ts";
import { UPDATE_BLOCKS } from "../../src/slack/views/update-modal.ts";
import { AlertDriver, L1, L2, startAlertingApp } from "../support/alert-driver.ts";
import type { InjectedFailure } from "../support/fake-slack/server.ts";
import { IncidentDriver, option, text } from "../support/incident-driver.ts";
import {
  alice,
  eventsOf,
  INCIDENTS,
  kickoffsIn,
  logLineOfReference,
  typesOf,
  waitForIncident,
} from "../support/incident-e2e.ts";
import type { TestApp } from "../support/test-app.ts";

// Slack failing (429 with Retry-After, HTTP 500, internal_error, channel_not_found) at each step of a
// declaration, of a status update and of an escalation's pages. The person is told in a sentence with a
// reference, the incident stays whole, and what Slack failed for a while is done once when it answers.
// The app's own poller is stopped: the test runs the passes, on its clock.

/** Slack's codes and words that must never reach a person. */
const INTERNAL = /ratelimited|internal_error|channel_not_found|http_5\d\d|service_unavailable/;

let t: TestApp;
let drive: IncidentDriver;
beforeAll(async () => {
  t = await startAlertingApp({ env: { INCIDENTS_CHANNEL: INCIDENTS } });
  drive = new IncidentDriver(t);
  t.slack.addUser(alice);
  t.slack.addChannel({ id: INCIDENTS, name: "incidents", members: [t.slack.state.bot.user_id] });
});
afterAll(() => t.stop());

/** Runs passes (a second apart on the clock) until no queued work is left. */
const deliver = () => new AlertDriver(t).deliver();
/** Calls to `method` for `channel`, and how many of them Slack took. */
const callsFor = (method: string, channel: string) => {
  const calls = t.slack.callsToChannel(method, channel);
  return { all: calls.length, ok: calls.filter((c) => c.ok).length };
};
const channelsNamed = (prefix: string) =>
  Object.values(t.slack.state.channels).filter((c) => c.name?.startsWith(prefix));

/** Declares with `failure` injected into `method`; answers the reply's lines and the incident. */
async function declareWith(method: string, failure: InjectedFailure, number: number, title: string) {
  t.slack.failNext(method, failure);
  const { responseId } = await drive.incident(alice, `declare sev2 ${title}`);
  const answer = await drive.answer(responseId, new RegExp(`INC-${number}`));
  expect(answer.text).not.toMatch(INTERNAL);
  return { lines: answer.text.split("\n"), incident: await waitForIncident(t, number) };
}

describe("Slack failing during a declaration", () => {
  it("429 on creating the channel: told it will be retried, then the channel and its steps come once", async () => {
    const { lines, incident } = await declareWith(
      "conversations.create",
      { status429RetryAfter: 3 },
      1,
      "--type database Checkout is failing",
    );
    expect(lines[0]).toBe(":rotating_light: INC-1 declared: no channel yet");
    expect(lines[1]).toMatch(
      /^:hourglass_flowing_sand: I could not create the incident channel yet: Slack asked me to slow down\. I will try again .*\(ref [A-Z2-9]{6}\)\.$/,
    );
    expect(logLineOfReference(t, lines[1])).toMatchObject({ error: "ratelimited" });
    expect(incident.channelId).toBeUndefined();

    // Not before its Retry-After.
    await t.firebreak.poller.tick();
    expect(t.slack.callsTo("conversations.create")).toHaveLength(1);
    t.clock.advance(3_000);
    await deliver();
    await deliver();

    const declared = await waitForIncident(t, 1);
    const channelId = declared.channelId ?? expect.fail("INC-1 still has no channel");
    expect(channelsNamed("inc-1-")).toHaveLength(1);
    expect(t.slack.callsTo("conversations.create").map((c) => c.status)).toEqual([429, 200]);
    expect(kickoffsIn(t, channelId)).toHaveLength(1);
    expect(declared.kickoff).toBeDefined();
    expect(callsFor("conversations.setTopic", channelId)).toEqual({ all: 1, ok: 1 });
    expect(callsFor("conversations.invite", channelId)).toEqual({ all: 1, ok: 1 });
    expect(t.slack.state.channels[channelId]?.members).toContain(alice.id);
    const types = typesOf(await eventsOf(t, incident.id));
    expect(types.filter((type) => type === "channel_created")).toHaveLength(1);
    // The runbook checklist attached at declaration waited for the channel, and came after the kickoff.
    expect(types.filter((type) => type === "runbook_attached")).toHaveLength(1);
    const posted = t.slack.callsToChannel("chat.postMessage", channelId).filter((c) => c.ok);
    expect(posted.map((c) => (/Runbook: /.test(String(c.args.text)) ? "checklist" : "other"))).toEqual([
      "other",
      "checklist",
    ]);
    // The one announcement now names the channel.
    const announcement = (t.slack.state.messages[INCIDENTS] ?? []).find((m) => m.text?.includes("INC-1"));
    expect(JSON.stringify(announcement)).toContain(channelId);
  });

  it("HTTP 500 on the kickoff, internal_error on the invite, 429 on the purpose: each done once later", async () => {
    t.slack.failNext("conversations.invite", { error: "internal_error" });
    t.slack.failNext("conversations.setPurpose", { status429RetryAfter: 2 });
    const { lines, incident } = await declareWith(
      "chat.postMessage",
      { httpStatus: 500 },
      2,
      "Search is slow",
    );
    const channelId = incident.channelId ?? expect.fail("INC-2 has no channel");
    expect(lines[0]).toBe(`:rotating_light: INC-2 declared: <#${channelId}>`);
    const problems = lines.slice(1);
    expect(problems).toHaveLength(3);
    for (const line of problems) {
      expect(line).toMatch(/^:hourglass_flowing_sand: I could not .* yet: .*\(ref [A-Z2-9]{6}\)\.$/);
      expect(logLineOfReference(t, line)).toBeDefined();
    }
    expect(kickoffsIn(t, channelId)).toHaveLength(0);

    t.clock.advance(2_000);
    await deliver();
    await deliver();
    expect(channelsNamed("inc-2-")).toHaveLength(1);
    expect(kickoffsIn(t, channelId)).toHaveLength(1);
    expect(callsFor("chat.postMessage", channelId)).toEqual({ all: 2, ok: 1 });
    expect(callsFor("conversations.invite", channelId)).toEqual({ all: 2, ok: 1 });
    expect(callsFor("conversations.setPurpose", channelId)).toEqual({ all: 2, ok: 1 });
    expect(callsFor("conversations.setTopic", channelId)).toEqual({ all: 1, ok: 1 });
    expect((await waitForIncident(t, 2)).kickoff).toBeDefined();
  });

  it("channel_not_found on the topic: told to do it by hand, recorded, not retried", async () => {
    const { lines, incident } = await declareWith(
      "conversations.setPurpose",
      { error: "channel_not_found" },
      3,
      "Billing emails bounce",
    );
    const channelId = incident.channelId ?? expect.fail("INC-3 has no channel");
    expect(lines[1]).toMatch(
      /^:warning: I could not set the channel's topic and purpose: Slack could not find .* Please do it by hand, .*\(ref [A-Z2-9]{6}\)\.$/,
    );
    expect(logLineOfReference(t, lines[1])).toMatchObject({ error: "channel_not_found" });
    await deliver();
    expect(callsFor("conversations.setPurpose", channelId)).toEqual({ all: 1, ok: 0 });
    expect(kickoffsIn(t, channelId)).toHaveLength(1);
    expect(channelsNamed("inc-3-")).toHaveLength(1);
  });
});

describe("Slack failing to post a status update", () => {
  async function update(incident: Incident, message: string) {
    const channelId = incident.channelId ?? expect.fail("no channel");
    const { triggerId, responseId } = await drive.incident(alice, "update", channelId);
    const modal = await drive.modalOpenedBy(triggerId);
    await drive.submit(alice, modal, {
      [UPDATE_BLOCKS.status]: { [UPDATE_BLOCKS.status]: option("identified") },
      [UPDATE_BLOCKS.message]: { [UPDATE_BLOCKS.message]: text(message) },
    });
    const answer = await drive.answer(responseId, new RegExp(`INC-${incident.number}`));
    expect(answer.text).not.toMatch(INTERNAL);
    return answer.text.split("\n");
  }
  const postsOf = (channelId: string, message: string) =>
    (t.slack.state.messages[channelId] ?? []).filter((m) => JSON.stringify(m).includes(message));

  it.each([
    ["429 with Retry-After", { status429RetryAfter: 2 }, "Slack asked me to slow down", "Rolled back v41"],
    ["HTTP 500", { httpStatus: 500 }, "Slack did not answer", "Replica promoted"],
  ] as const)(
    "%s: the update is recorded, the person told, and it is posted once later",
    async (_, failure, reason, message) => {
      const incident = await waitForIncident(t, 1);
      const channelId = incident.channelId ?? expect.fail("no channel");
      t.slack.failNext("chat.postMessage", { ...failure, channel: channelId });
      const [recorded, problem] = await update(incident, message);
      expect(recorded).toBe("Update recorded on INC-1 (Identified).");
      expect(problem).toMatch(
        new RegExp(
          `^:hourglass_flowing_sand: I could not post the update in the incident channel yet: ${reason}\\. .*\\(ref [A-Z2-9]{6}\\)\\.$`,
        ),
      );
      expect(logLineOfReference(t, problem)).toMatchObject({ retrying: true });
      expect(postsOf(channelId, message)).toHaveLength(0);
      t.clock.advance(2_000);
      await deliver();
      await deliver();
      expect(postsOf(channelId, message)).toHaveLength(1);
    },
  );

  it("channel_not_found: the person is told to post it by hand; nothing is retried", async () => {
    const incident = await waitForIncident(t, 2);
    const channelId = incident.channelId ?? expect.fail("no channel");
    t.slack.failNext("chat.postMessage", { error: "channel_not_found", channel: channelId });
    const [, problem] = await update(incident, "Index rebuilt");
    expect(problem).toMatch(
      /^:warning: I could not post the update in the incident channel: Slack could not find/,
    );
    expect(logLineOfReference(t, problem)).toMatchObject({ error: "channel_not_found" });
    const calls = callsFor("chat.postMessage", channelId).all;
    await deliver();
    expect(callsFor("chat.postMessage", channelId).all).toBe(calls);
    const failed = (await eventsOf(t, incident.id)).filter((e) => e.type === "slack_error");
    expect(failed.at(-1)?.payload).toMatchObject({ action: "post_update", error: "channel_not_found" });
  });
});

describe("Slack failing on an escalation's pages", () => {
  it("429, HTTP 500 and internal_error on page DMs: every level paged once, none lost or doubled", async () => {
    const alerts = new AlertDriver(t);
    const dmsTo = (user: string) =>
      alerts.pagesTo(user).filter((c) => String(c.args.text).includes("Primary database down")).length;
    t.slack.forceRateLimit(L1, 2);
    t.slack.failNext("chat.postMessage", { httpStatus: 500, channel: L1 });
    expect((await alerts.fire("db-down", { title: "Primary database down" })).status).toBe(202);
    await deliver();
    expect(dmsTo(L1)).toBe(1);
    const tries = t.slack
      .callsToChannel("chat.postMessage", L1)
      .filter((c) => c.status !== 200 || String(c.args.text).includes("Primary database down"));
    expect(tries.map((c) => c.status)).toEqual([429, 500, 200]);

    t.slack.failNext("chat.postMessage", { error: "internal_error", channel: L2 });
    t.slack.failNext("chat.postMessage", { httpStatus: 500, channel: L2 });
    t.clock.advance(15 * 60_000);
    await deliver();
    await deliver();
    expect(dmsTo(L1)).toBe(1);
    expect(dmsTo(L2)).toBe(1);
    const [alert] = await t.firebreak.store.models.alerts.find({ fingerprint: "db-down" }).lean();
    expect(alert?.fired.map((f) => f.step)).toEqual([0, 1]);
  });

  it("channel_not_found on a page DM: given up with a reference, and the next level still paged on time", async () => {
    const alerts = new AlertDriver(t);
    const about = (user: string) =>
      alerts.pagesTo(user).filter((c) => String(c.args.text).includes("Cache cluster down")).length;
    t.slack.failNext("chat.postMessage", { error: "channel_not_found", channel: L1 });
    expect((await alerts.fire("cache-down", { title: "Cache cluster down" })).status).toBe(202);
    await deliver();
    expect(about(L1)).toBe(0);
    const givenUp = t.logs.find((line) => line.msg === "Slack work given up" && line.channel === L1);
    expect(givenUp).toMatchObject({
      code: "channel_not_found",
      reference: expect.any(String),
    });
    t.clock.advance(15 * 60_000);
    await deliver();
    expect(about(L2)).toBe(1);
    const [alert] = await t.firebreak.store.models.alerts.find({ fingerprint: "cache-down" }).lean();
    expect(alert?.fired.map((f) => f.step)).toEqual([0, 1]);
  });
});
