import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IncidentDriver } from "../support/incident-driver.ts";
import { kickoffIn, waitForChannelOf, waitForIncident } from "../support/incident-e2e.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const alice = { id: "U0ALICE", name: "alice" };
const bob = { id: "U0BOB", name: "bob" };

describe("incident channel names that are already taken", () => {
  let t: TestApp;
  let drive: IncidentDriver;
  beforeAll(async () => {
    t = await startTestApp();
    drive = new IncidentDriver(t);
    t.slack.addUser(alice);
    t.slack.addUser(bob);
  });
  afterAll(() => t.stop());

  /** Declares with one line and returns the fake's channel once the declarer has the answer. */
  async function declare(text: string, number: number) {
    const { responseId } = await drive.incident(alice, `declare ${text}`);
    const answer = await drive.answer(responseId, /declared/);
    const channelId = await waitForChannelOf(t, number);
    expect(answer.text).toBe(`:rotating_light: INC-${number} declared: <#${channelId}>`);
    const channel = t.slack.state.channels[channelId] ?? expect.fail(`no channel ${channelId}`);
    return { channel, incident: await waitForIncident(t, number) };
  }

  it("takes the -2 name when a live channel already has the incident's name", async () => {
    const squatter = t.slack.addChannel({ name: "inc-1-checkout-is-failing", members: [bob.id] });
    const { channel, incident } = await declare("sev2 Checkout is failing", 1);
    expect(channel.id).not.toBe(squatter.id);
    expect(channel).toMatchObject({ name: "inc-1-checkout-is-failing-2", is_archived: false });
    expect(incident.channelName).toBe("inc-1-checkout-is-failing-2");
    expect(t.slack.callsTo("conversations.create").map((c) => [c.args.name, c.error ?? "ok"])).toEqual([
      ["inc-1-checkout-is-failing", "name_taken"],
      ["inc-1-checkout-is-failing-2", "ok"],
    ]);
    // The channel that was there first is left alone.
    expect(squatter.members).toEqual([bob.id]);
    expect(t.slack.state.messages[squatter.id] ?? []).toEqual([]);
    // The new one is a working incident channel.
    expect(channel.members).toEqual(expect.arrayContaining([alice.id]));
    expect(kickoffIn(t, channel.id).text).toContain("INC-1");
  });

  it("takes the -2 name when an archived channel holds the name, and gets a working channel", async () => {
    const archived = t.slack.addChannel({ name: "inc-2-search-is-slow", is_archived: true });
    const { channel, incident } = await declare("sev3 Search is slow", 2);
    expect(channel.id).not.toBe(archived.id);
    expect(channel).toMatchObject({ name: "inc-2-search-is-slow-2", is_archived: false });
    expect(incident.channelName).toBe("inc-2-search-is-slow-2");
    expect(archived.is_archived).toBe(true);
    expect(channel.members).toEqual(expect.arrayContaining([alice.id]));
    expect(channel.topic.value).toBe(`SEV3 | Investigating | Commander: <@${alice.id}>`);
    expect(kickoffIn(t, channel.id).text).toContain("INC-2");
  });

  it("keeps counting up past -2 when that is taken as well", async () => {
    t.slack.addChannel({ name: "inc-3-login-page-is-blank", members: [bob.id] });
    t.slack.addChannel({ name: "inc-3-login-page-is-blank-2", is_archived: true });
    const { channel } = await declare("sev4 Login page is blank", 3);
    expect(channel.name).toBe("inc-3-login-page-is-blank-3");
    expect(kickoffIn(t, channel.id).text).toContain("INC-3");
  });
});
