import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Incident } from "../../src/domain/incident.ts";
import type { TimelineEvent } from "../../src/domain/timeline.ts";
import { INCIDENT_ACTIONS, INCIDENT_VIEWS } from "../../src/slack/ids.ts";
import { RESOLVE_BLOCKS } from "../../src/slack/views/resolve-modal.ts";
import { SEVERITY_BLOCKS } from "../../src/slack/views/severity-modal.ts";
import { deliverQueued } from "../support/deliver.ts";
import { IncidentDriver, option, text } from "../support/incident-driver.ts";
import { eventsOf, waitForChannelOf, waitForIncident } from "../support/incident-e2e.ts";
import { blockActions, viewSubmission } from "../support/slack-payloads.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

/**
 * With INCIDENT_ADMIN_GROUP set, changing severity, resolving and reopening are for the group only. A click
 * (or a form submitted) by anyone else, whether they work the incident or are outside it, is answered with a
 * private refusal and changes nothing: not the incident, not its timeline, not Slack.
 */

const alice = { id: "U0ALICE", name: "alice" };
/** In the incident's channel, but not an admin. */
const bob = { id: "U0BOB", name: "bob" };
/** The admin. */
const carol = { id: "U0CAROL", name: "carol" };
/** In no incident and no group. */
const mallory = { id: "U0MALLORY", name: "mallory" };
const ADMINS = "S0ADMINS";
const REFUSAL = `Only members of <!subteam^${ADMINS}> may do this.`;

let t: TestApp;
let drive: IncidentDriver;
let channelId = "";
let incidentId = "";
let clicks = 0;

beforeAll(async () => {
  t = await startTestApp({ env: { INCIDENT_ADMIN_GROUP: ADMINS } });
  drive = new IncidentDriver(t);
  for (const person of [alice, bob, carol, mallory]) t.slack.addUser(person);
  t.slack.addUserGroup({ id: ADMINS, handle: "incident-admins", users: [carol.id] });
  const { responseId } = await drive.incident(alice, "declare sev2 Checkout is failing");
  await drive.answer(responseId, /declared/);
  channelId = await waitForChannelOf(t, 1);
  t.slack.state.channels[channelId]?.members.push(bob.id);
  incidentId = (await waitForIncident(t, 1)).id;
});
afterAll(() => t.stop());

/** Clicks a kickoff button as `who`; returns the response_url id its answer goes to. */
async function click(who: typeof bob, actionId: string): Promise<string> {
  const responseId = `click-${++clicks}`;
  const response = await t.send.interaction(
    blockActions({
      user: who,
      actionId,
      value: incidentId,
      triggerId: t.slack.newTriggerId(who.id),
      message: { channelId, ts: "1.000001" },
      responseUrl: t.slack.responseUrl(responseId),
    }),
  );
  expect(response.status).toBe(200);
  return responseId;
}

/** What a refusal must leave alone. */
interface Snapshot {
  incident: Incident;
  events: TimelineEvent[];
  slackCalls: number;
}

/** The state once earlier, allowed work has settled (queued Home refreshes delivered). */
async function snapshot(): Promise<Snapshot> {
  await deliverQueued(t, 60);
  const incident = await waitForIncident(t, 1);
  return { incident, events: await eventsOf(t, incident.id), slackCalls: t.slack.calls.length };
}

/** The private refusal on `responseId`, and proof nothing changed since `before`. */
async function expectRefusedWithoutChange(responseId: string, before: Snapshot): Promise<void> {
  const answer = await drive.answer(responseId);
  expect(answer.text).toBe(REFUSAL);
  expect(answer.body.response_type).toBe("ephemeral");
  expect(await waitForIncident(t, 1)).toEqual(before.incident);
  expect(await eventsOf(t, incidentId)).toEqual(before.events);
  // The membership check may ask Slack who is in the group; nothing else: no form, no message, no topic.
  const since = t.slack.calls.slice(before.slackCalls).map((call) => call.method);
  expect(since.filter((method) => method !== "usergroups.users.list")).toEqual([]);
}

describe("guarded buttons refuse whoever is not in the admin group", () => {
  for (const [name, actionId] of [
    ["Change severity", INCIDENT_ACTIONS.changeSeverity],
    ["Resolve", INCIDENT_ACTIONS.resolve],
  ] as const) {
    it(`refuses ${name} from someone in the incident and from someone outside it`, async () => {
      for (const who of [bob, mallory, alice]) {
        const before = await snapshot();
        await expectRefusedWithoutChange(await click(who, actionId), before);
      }
    });
  }

  it("refuses forms submitted by someone outside the group, though the form is real", async () => {
    // carol (an admin) opens the forms; bob and mallory submit copies of them.
    const severityForm = await drive.modalOpenedBy(
      (await openedBy(carol, INCIDENT_ACTIONS.changeSeverity)).triggerId,
    );
    const resolveForm = await drive.modalOpenedBy(
      (await openedBy(carol, INCIDENT_ACTIONS.resolve)).triggerId,
    );
    expect([severityForm.callback_id, resolveForm.callback_id]).toEqual([
      INCIDENT_VIEWS.severity,
      INCIDENT_VIEWS.resolve,
    ]);
    for (const who of [bob, mallory]) {
      for (const [form, values] of [
        [severityForm, { [SEVERITY_BLOCKS.severity]: { [SEVERITY_BLOCKS.severity]: option("sev1") } }],
        [resolveForm, { [RESOLVE_BLOCKS.resolution]: { [RESOLVE_BLOCKS.resolution]: text("Rolled back") } }],
      ] as const) {
        const before = await snapshot();
        const responseId = `form-${++clicks}`;
        const response = await t.send.interaction(
          viewSubmission({
            user: who,
            viewId: form.id,
            callbackId: form.callback_id,
            // The answer goes where the form says: point it at a response_url this test reads.
            privateMetadata: JSON.stringify({
              incidentId,
              reply: { userId: who.id, responseUrl: t.slack.responseUrl(responseId) },
            }),
            values,
            triggerId: t.slack.newTriggerId(who.id),
          }),
        );
        expect(response.status).toBe(200);
        await expectRefusedWithoutChange(responseId, before);
      }
    }
  });

  it("refuses Reopen on a resolved incident, while an admin may resolve and reopen", async () => {
    const opened = await openedBy(carol, INCIDENT_ACTIONS.resolve);
    const resolveForm = await drive.modalOpenedBy(opened.triggerId);
    await drive.submit(carol, resolveForm, {
      [RESOLVE_BLOCKS.resolution]: { [RESOLVE_BLOCKS.resolution]: text("Rolled back") },
    });
    // Answered once the whole resolution (status page, postmortem) is done.
    await drive.answer(opened.responseId, /resolved/i);
    expect((await waitForIncident(t, 1)).status).toBe("resolved");

    for (const who of [bob, mallory]) {
      const before = await snapshot();
      await expectRefusedWithoutChange(await click(who, INCIDENT_ACTIONS.reopen), before);
    }
    // The refusals were not a broken button: the admin's click reopens it.
    const answer = await drive.answer(await click(carol, INCIDENT_ACTIONS.reopen));
    expect(answer.text).toMatch(/reopened/i);
    expect((await waitForIncident(t, 1)).status).not.toBe("resolved");
  });
});

/** Clicks `actionId` as `who`: the trigger id the form it opens is found by, and where it answers. */
async function openedBy(who: typeof carol, actionId: string) {
  const triggerId = t.slack.newTriggerId(who.id);
  const responseId = `open-${++clicks}`;
  const response = await t.send.interaction(
    blockActions({
      user: who,
      actionId,
      value: incidentId,
      triggerId,
      message: { channelId, ts: "1.000001" },
      responseUrl: t.slack.responseUrl(responseId),
    }),
  );
  expect(response.status).toBe(200);
  return { triggerId, responseId };
}
