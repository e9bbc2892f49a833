import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INCIDENT_VIEWS } from "../../src/slack/ids.ts";
import { IncidentDriver } from "../support/incident-driver.ts";
import { eventsOf, typesOf, waitForChannelOf, waitForIncident } from "../support/incident-e2e.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const alice = { id: "U0ALICE", name: "alice" };
const bob = { id: "U0BOB", name: "bob" };
const carol = { id: "U0CAROL", name: "carol" };
const ADMINS = "S0ADMINS";

/** Starts an app, adds the people, and declares INC-1 as alice; returns the app and INC-1's channel. */
async function appWithIncident(env: Record<string, string>) {
  const t = await startTestApp({ env });
  const drive = new IncidentDriver(t);
  for (const person of [alice, bob, carol]) t.slack.addUser(person);
  const { responseId } = await drive.incident(alice, "declare sev2 Checkout is failing");
  await drive.answer(responseId, /declared/);
  return { t, drive, channelId: await waitForChannelOf(t, 1) };
}

/** Modals opened since `since` calls to views.open, by callback id. */
const modalsOpened = (t: TestApp, since: number) =>
  t.slack
    .callsTo("views.open")
    .slice(since)
    .filter((call) => call.ok)
    .map((call) => (call.args.view as { callback_id?: string }).callback_id);

describe("with INCIDENT_ADMIN_GROUP, only the group changes severity and resolves", () => {
  let t: TestApp;
  let drive: IncidentDriver;
  let channelId = "";
  beforeAll(async () => {
    ({ t, drive, channelId } = await appWithIncident({ INCIDENT_ADMIN_GROUP: ADMINS }));
    t.slack.addUserGroup({ id: ADMINS, handle: "incident-admins", users: [carol.id] });
    // bob works the incident (he is in its channel) but is not an admin.
    t.slack.state.channels[channelId]?.members.push(bob.id);
  });
  afterAll(() => t.stop());

  const refusal = `Only members of <!subteam^${ADMINS}> may do this.`;

  it("refuses /incident severity sev1 to someone outside the group, privately, and changes nothing", async () => {
    for (const who of [bob, alice]) {
      const { responseId } = await drive.incident(who, "severity sev1", channelId);
      const answer = await drive.answer(responseId);
      expect(answer.text).toBe(refusal);
      expect(answer.body.response_type).toBe("ephemeral");
    }
    const incident = await waitForIncident(t, 1);
    expect(incident.severity).toBe("sev2");
    expect(typesOf(await eventsOf(t, incident.id))).not.toContain("severity_changed");
    expect(t.slack.state.channels[channelId]?.topic.value).toMatch(/^SEV2 \|/);
  });

  it("refuses /incident resolve to someone outside the group without opening the form", async () => {
    const opened = t.slack.callsTo("views.open").length;
    const { responseId } = await drive.incident(bob, "resolve", channelId);
    const answer = await drive.answer(responseId);
    expect(answer.text).toBe(refusal);
    expect(answer.body.response_type).toBe("ephemeral");
    expect(modalsOpened(t, opened)).toEqual([]);
    expect((await waitForIncident(t, 1)).status).toBe("investigating");
  });

  it("lets a member of the group change severity and open the resolve form", async () => {
    const severity = await drive.incident(carol, "severity sev1", channelId);
    expect((await drive.answer(severity.responseId)).text).toBe("INC-1 is now SEV1.");
    const incident = await waitForIncident(t, 1);
    expect(incident.severity).toBe("sev1");
    const changed = (await eventsOf(t, incident.id)).filter((e) => e.type === "severity_changed");
    expect(changed.map((e) => [e.actorId, e.payload])).toEqual([[carol.id, { from: "sev2", to: "sev1" }]]);

    const opened = t.slack.callsTo("views.open").length;
    const { triggerId } = await drive.incident(carol, "resolve", channelId);
    const modal = await drive.modalOpenedBy(triggerId);
    expect(modal.callback_id).toBe(INCIDENT_VIEWS.resolve);
    expect(modalsOpened(t, opened)).toEqual([INCIDENT_VIEWS.resolve]);
  });

  it("refuses with an answer, not silence, when Slack cannot list the group", async () => {
    t.slack.failNext("usergroups.users.list", { error: "no_such_subteam" });
    const { responseId } = await drive.incident(carol, "severity sev2", channelId);
    const answer = await drive.answer(responseId);
    expect(answer.text).toMatch(
      new RegExp(
        `^I could not check who is in <!subteam\\^${ADMINS}>, so I did not do this\\. Please try again in a minute \\(ref [A-Z2-9]{6}\\)\\.$`,
      ),
    );
    expect((await waitForIncident(t, 1)).severity).toBe("sev1");
  });
});

describe("without an admin group, only people in the incident change severity and resolve", () => {
  let t: TestApp;
  let drive: IncidentDriver;
  let channelId = "";
  beforeAll(async () => {
    ({ t, drive, channelId } = await appWithIncident({}));
  });
  afterAll(() => t.stop());

  it("refuses someone who is not in the incident channel and tells them to join it", async () => {
    expect(t.slack.state.channels[channelId]?.members).not.toContain(bob.id);
    const severity = await drive.incident(bob, "severity INC-1 sev1");
    const answer = await drive.answer(severity.responseId);
    expect(answer.text).toBe(`Only people in the incident may do this: join <#${channelId}> first.`);
    expect(answer.body.response_type).toBe("ephemeral");

    const opened = t.slack.callsTo("views.open").length;
    const resolve = await drive.incident(bob, "resolve INC-1");
    expect((await drive.answer(resolve.responseId)).text).toBe(
      `Only people in the incident may do this: join <#${channelId}> first.`,
    );
    expect(modalsOpened(t, opened)).toEqual([]);
    const incident = await waitForIncident(t, 1);
    expect(incident).toMatchObject({ severity: "sev2", status: "investigating" });
    expect(typesOf(await eventsOf(t, incident.id))).not.toContain("severity_changed");
  });

  it("lets them in once they have joined the channel", async () => {
    t.slack.state.channels[channelId]?.members.push(bob.id);
    const severity = await drive.incident(bob, "severity INC-1 sev1");
    expect((await drive.answer(severity.responseId)).text).toBe("INC-1 is now SEV1.");
    expect((await waitForIncident(t, 1)).severity).toBe("sev1");
  });

  it("refuses with an answer, not silence, when Slack cannot list the channel's members", async () => {
    t.slack.failNext("conversations.members", { error: "internal_error" });
    const { responseId } = await drive.incident(carol, "severity INC-1 sev4");
    const answer = await drive.answer(responseId);
    expect(answer.text).toMatch(
      new RegExp(
        `^I could not check who is in <#${channelId}>, so I did not do this\\. Please try again in a minute \\(ref [A-Z2-9]{6}\\)\\.$`,
      ),
    );
    expect((await waitForIncident(t, 1)).severity).toBe("sev1");
  });

  it("lets the reporter act without being asked to join", async () => {
    const severity = await drive.incident(alice, "severity INC-1 sev3");
    expect((await drive.answer(severity.responseId)).text).toBe("INC-1 is now SEV3.");
  });
});
