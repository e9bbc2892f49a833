import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INCIDENT_ACTIONS } from "../../src/slack/ids.ts";
import { DECLARE_BLOCKS } from "../../src/slack/views/declare-modal.ts";
import { eventually } from "../support/eventually.ts";
import { IncidentDriver, option, text } from "../support/incident-driver.ts";
import {
  answersOn,
  buttonsIn,
  countIncidents,
  eventsOf,
  kickoffIn,
  kickoffsIn,
  waitForChannelOf,
  waitForIncident,
} from "../support/incident-e2e.ts";
import type { SlashCommandInput } from "../support/slack-driver.ts";
import { blockActions } from "../support/slack-payloads.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const alice = { id: "U0ALICE", name: "alice" };
const bob = { id: "U0BOB", name: "bob" };
const carol = { id: "U0CAROL", name: "carol" };
const INCIDENTS = "C0INCIDENTS";
const GENERAL = "C0GENERAL";

describe("declare and acknowledge happen once, whatever Slack repeats", () => {
  let t: TestApp;
  let drive: IncidentDriver;
  beforeAll(async () => {
    t = await startTestApp({ env: { INCIDENTS_CHANNEL: INCIDENTS } });
    drive = new IncidentDriver(t);
    for (const person of [alice, bob, carol]) t.slack.addUser(person);
    t.slack.addChannel({ id: INCIDENTS, name: "incidents", members: [t.slack.state.bot.user_id] });
    t.slack.addChannel({ id: GENERAL, name: "general", members: [alice.id, bob.id, carol.id] });
  });
  afterAll(() => t.stop());

  /** `/incident declare sev2 …` with a fixed trigger_id and response_url, as Slack would deliver it again. */
  let declareCommand: SlashCommandInput;

  it("makes one incident, one channel and one kickoff from a slash command delivered twice", async () => {
    declareCommand = {
      command: "/incident",
      text: "declare sev2 Checkout is failing",
      user: alice,
      channelId: GENERAL,
      responseUrl: t.slack.responseUrl("declare-twice"),
      triggerId: t.slack.newTriggerId(alice.id),
    };
    const first = await t.send.slashCommand(declareCommand);
    const retry = await t.send.slashCommand(declareCommand, { retry: { num: 1, reason: "http_timeout" } });
    expect([first.status, retry.status]).toEqual([200, 200]);

    // Both deliveries answer once the work is done: one declared it, the other found it declared.
    const answers = await eventually(() => {
      const texts = answersOn(t, "declare-twice")
        .map((body) => String(body.text))
        .filter((line) => line.includes("INC-"));
      return texts.length >= 2 ? texts : undefined;
    }, "an answer to each delivery");
    const channelId = await waitForChannelOf(t, 1);
    expect(answers.filter((line) => line.startsWith(":rotating_light: INC-1 declared"))).toHaveLength(1);
    expect(
      answers.filter((line) => line.startsWith("INC-1 was already declared from this request")),
    ).toHaveLength(1);
    for (const body of answersOn(t, "declare-twice")) {
      expect(buttonsIn(body.blocks).map((b) => b.actionId)).not.toContain(INCIDENT_ACTIONS.declareAnyway);
    }

    expect(await countIncidents(t)).toBe(1);
    expect(t.slack.callsTo("conversations.create")).toHaveLength(1);
    expect(kickoffsIn(t, channelId)).toHaveLength(1);
    expect(t.slack.state.messages[INCIDENTS] ?? []).toHaveLength(1);
    const incident = await waitForIncident(t, 1);
    const events = await eventsOf(t, incident.id);
    expect(events.filter((e) => e.type === "declared")).toHaveLength(1);
    expect(events.filter((e) => e.type === "channel_created")).toHaveLength(1);
  });

  it("answers a late retry of the same declare with the incident, not with a duplicate warning of itself", async () => {
    // The same request again (same trigger_id); its answer is read on a response_url of its own.
    const lateCommand = { ...declareCommand, responseUrl: t.slack.responseUrl("declare-late") };
    const late = await t.send.slashCommand(lateCommand, { retry: { num: 2, reason: "http_timeout" } });
    expect(late.status).toBe(200);
    const channelId = await waitForChannelOf(t, 1);
    const answer = await drive.answer("declare-late", /INC-/);
    expect(answer.text).toBe(`INC-1 was already declared from this request: <#${channelId}>`);
    expect(buttonsIn(answer.body.blocks)).toEqual([]);
    expect(await countIncidents(t)).toBe(1);
    expect(t.slack.callsTo("conversations.create")).toHaveLength(1);
  });

  it("makes one incident from a declare form submitted twice at once", async () => {
    const { triggerId, responseId } = await drive.incident(bob, "declare");
    const modal = await drive.modalOpenedBy(triggerId);
    const values = {
      [DECLARE_BLOCKS.title]: { [DECLARE_BLOCKS.title]: text("Search results are empty") },
      [DECLARE_BLOCKS.severity]: { [DECLARE_BLOCKS.severity]: option("sev3") },
      [DECLARE_BLOCKS.services]: { [DECLARE_BLOCKS.services]: text("search") },
    };
    const submissions = await Promise.all([
      drive.submit(bob, modal, values),
      drive.submit(bob, modal, values),
    ]);
    expect(submissions.map((s) => s.status)).toEqual([200, 200]);
    // Neither submission may push a duplicate warning about the incident the other one declared.
    for (const submission of submissions) expect(submission.text).toBe("");

    await eventually(
      () =>
        answersOn(t, responseId).filter((b) => /INC-2/.test(String(b.text))).length >= 2 ? true : undefined,
      "an answer to each submission",
    );
    const texts = answersOn(t, responseId).map((b) => String(b.text));
    expect(texts.filter((line) => line.startsWith(":rotating_light: INC-2 declared"))).toHaveLength(1);
    expect(texts.filter((line) => line.startsWith("INC-2 was already declared"))).toHaveLength(1);
    expect(await countIncidents(t)).toBe(2);
    expect(t.slack.callsTo("conversations.create")).toHaveLength(2);
    const channelId = await waitForChannelOf(t, 2);
    expect(kickoffsIn(t, channelId)).toHaveLength(1);

    // A third submission once all is done is still the same declaration: no warning about itself.
    const late = await drive.submit(bob, modal, values);
    expect(late.text).toBe("");
    await eventually(
      () =>
        answersOn(t, responseId).filter((b) => /INC-2 was already declared/.test(String(b.text))).length >= 2
          ? true
          : undefined,
      "the late submission's answer",
    );
    expect(await countIncidents(t)).toBe(2);
  });

  it("acknowledges once when two people click Acknowledge at the same time", async () => {
    const incident = await waitForIncident(t, 1);
    const channelId = await waitForChannelOf(t, 1);
    const kickoff = kickoffIn(t, channelId);
    const [acknowledge] = buttonsIn(kickoff.blocks).filter(
      (b) => b.actionId === INCIDENT_ACTIONS.acknowledge,
    );
    expect(acknowledge?.value).toBe(incident.id);
    const click = (who: { id: string; name: string }) =>
      t.send.interaction(
        blockActions({
          user: who,
          actionId: INCIDENT_ACTIONS.acknowledge,
          blockId: "incident_kickoff_actions",
          value: acknowledge?.value ?? "",
          message: { channelId, ts: kickoff.ts },
          triggerId: t.slack.newTriggerId(who.id),
          responseUrl: t.slack.responseUrl(`ack-${who.id}`),
        }),
      );
    const clicks = await Promise.all([click(bob), click(carol)]);
    expect(clicks.map((c) => c.status)).toEqual([200, 200]);

    const answers = await eventually(() => {
      const bobs = answersOn(t, `ack-${bob.id}`)[0];
      const carols = answersOn(t, `ack-${carol.id}`)[0];
      return bobs && carols ? { [bob.id]: String(bobs.text), [carol.id]: String(carols.text) } : undefined;
    }, "an answer to both clicks");
    const acknowledged = await eventually(async () => {
      const found = await waitForIncident(t, 1);
      return found.acknowledgedBy ? found : undefined;
    }, "the acknowledgement");
    const winner = acknowledged.acknowledgedBy ?? "";
    const loser = winner === bob.id ? carol.id : bob.id;
    expect([bob.id, carol.id]).toContain(winner);
    expect(answers[winner]).toBe("You acknowledged INC-1.");
    expect(answers[loser]).toMatch(new RegExp(`^INC-1 was already acknowledged by <@${winner}>`));
    expect(answersOn(t, `ack-${loser}`)[0]).toMatchObject({ response_type: "ephemeral" });

    const events = await eventsOf(t, incident.id);
    const acks = events.filter((e) => e.type === "acknowledged");
    expect(acks).toHaveLength(1);
    expect(acks[0]?.actorId).toBe(winner);
    // The kickoff is edited in place: it names the winner and no longer offers Acknowledge.
    await eventually(
      () =>
        JSON.stringify(kickoffIn(t, channelId).blocks).includes(`Acknowledged by <@${winner}>`)
          ? true
          : undefined,
      "the kickoff to show the acknowledgement",
    );
    expect(buttonsIn(kickoffIn(t, channelId).blocks).map((b) => b.actionId)).not.toContain(
      INCIDENT_ACTIONS.acknowledge,
    );
  });
});
