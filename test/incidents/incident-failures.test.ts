import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendEvent } from "../../src/store/timeline.ts";
import { eventually } from "../support/eventually.ts";
import type { IncidentDriver } from "../support/incident-driver.ts";
import {
  alice,
  eventsOf,
  INCIDENTS,
  kickoffIn,
  logLineOfReference,
  startIncidentApp,
  typesOf,
  waitForIncident,
} from "../support/incident-e2e.ts";
import type { TestApp } from "../support/test-app.ts";

describe("a Slack failure in the middle of a declaration", () => {
  let t: TestApp;
  let drive: IncidentDriver;
  beforeAll(async () => {
    ({ t, drive } = await startIncidentApp());
  });
  afterAll(() => t.stop());

  it("keeps the incident and its channel when inviting fails, and says so", async () => {
    t.slack.failNext("conversations.invite", { error: "user_not_found" });
    const { responseId } = await drive.incident(alice, "declare sev2 Checkout is failing");
    const answer = await drive.answer(responseId, /declared/);
    const incident = await waitForIncident(t, 1);
    const channelId = incident.channelId ?? expect.fail("INC-1 has no channel");
    const [declared, problem] = answer.text.split("\n");
    expect(declared).toBe(`:rotating_light: INC-1 declared: <#${channelId}>`);
    expect(problem).toMatch(
      new RegExp(
        `^:warning: I could not invite <@${alice.id}>: Slack could not find .*\\(ref [A-Z2-9]{6}\\)\\.$`,
      ),
    );
    expect(problem).not.toContain("user_not_found");
    expect(logLineOfReference(t, problem)).toMatchObject({ error: "user_not_found" });
    const channel = t.slack.state.channels[channelId];
    expect(channel).toMatchObject({ name: "inc-1-checkout-is-failing", is_archived: false });
    expect(channel?.members).not.toContain(alice.id);
    expect(kickoffIn(t, channelId).text).toContain("INC-1");
    expect(t.slack.state.messages[INCIDENTS]).toHaveLength(1);

    const events = await eventsOf(t, incident.id);
    // A SEV2 also goes on the status page, beside the other steps (test/status-page covers it).
    expect(typesOf(events).filter((type) => type !== "status_page_published")).toEqual([
      "declared",
      "channel_created",
      "slack_error",
    ]);
    expect(events.find((e) => e.type === "slack_error")?.payload).toEqual({
      action: "invite",
      userId: alice.id,
      error: "user_not_found",
    });
  });

  it("shows failed steps on the timeline page, those recorded as words before steps were data too", async () => {
    const incident = await waitForIncident(t, 1);
    const channelId = incident.channelId ?? expect.fail("INC-1 has no channel");
    // How a failed invite was recorded before: the step in Slack's words.
    await appendEvent(t.firebreak.store.models, {
      incidentId: incident.id,
      type: "slack_error",
      at: t.clock.now(),
      actorId: "firebreak",
      payload: { step: "invite <@U0OLDTIMER> & co", error: "user_not_found" },
    });
    await drive.incident(alice, "timeline", channelId);
    const page = await eventually(
      () => t.slack.state.messages[channelId]?.find((m) => m.text?.startsWith("Timeline of INC-1")),
      "the timeline page in the channel",
    );
    const shown = JSON.stringify(page.blocks);
    expect(shown).toContain(`:warning: Could not invite <@${alice.id}> (Slack refused or failed)`);
    expect(shown).toContain(":warning: Could not invite <@U0OLDTIMER> &amp; co (Slack refused or failed)");
  });

  it("keeps the incident without a channel when Slack refuses to create one, and says so", async () => {
    t.slack.failNext("conversations.create", { error: "restricted_action" });
    const creates = t.slack.callsTo("conversations.create").length;
    const invites = t.slack.callsTo("conversations.invite").length;
    const { responseId } = await drive.incident(alice, "declare sev1 Search index is stale");
    const answer = await drive.answer(responseId, /INC-2/);
    const [declared, problem] = answer.text.split("\n");
    expect(declared).toBe(":rotating_light: INC-2 declared: no channel yet");
    expect(problem).toMatch(
      /^:warning: I could not create the incident channel: Slack did not allow it\. .*\(ref [A-Z2-9]{6}\)\.$/,
    );
    expect(logLineOfReference(t, problem)).toMatchObject({ error: "restricted_action" });
    const incident = await waitForIncident(t, 2);
    expect(incident).toMatchObject({
      title: "Search index is stale",
      severity: "sev1",
      status: "investigating",
    });
    expect(incident.channelId).toBeUndefined();
    // One refused attempt: restricted_action is not a name clash, so no other name is tried.
    expect(
      t.slack
        .callsTo("conversations.create")
        .slice(creates)
        .map((c) => c.error),
    ).toEqual(["restricted_action"]);
    // Nothing to invite anyone to.
    expect(t.slack.callsTo("conversations.invite")).toHaveLength(invites);

    const events = await eventsOf(t, incident.id);
    expect(typesOf(events)).toEqual(["declared", "slack_error", "status_page_published"]);
    expect(events[1]?.payload).toEqual({ action: "create_channel", error: "restricted_action" });
    // It is still announced, so people can see it exists.
    const announcements = t.slack.state.messages[INCIDENTS] ?? [];
    expect(announcements).toHaveLength(2);
    expect(announcements[1]?.text).toContain("INC-2");
  });

  it("lets the channel-less incident be found and worked on by name", async () => {
    const { responseId } = await drive.incident(alice, "note INC-2 Restarting the indexer");
    expect((await drive.answer(responseId)).text).toBe("Note added to the timeline of INC-2.");
    const incident = await waitForIncident(t, 2);
    expect(typesOf(await eventsOf(t, incident.id))).toContain("note");
  });
});
