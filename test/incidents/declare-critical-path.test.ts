import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IncidentDriver } from "../support/incident-driver.ts";
import { alice, startIncidentApp } from "../support/incident-e2e.ts";
import type { TestApp } from "../support/test-app.ts";

/**
 * The declare critical path, counted in Slack calls rather than timed: the kickoff message is the first
 * thing posted, straight after the channel is created; invites, topic, announcements and the rest follow.
 * (How long the path takes is `npm run bench`'s business.)
 */
describe("declaring an incident: the kickoff comes right after the channel", () => {
  let t: TestApp;
  let drive: IncidentDriver;
  beforeAll(async () => {
    ({ t, drive } = await startIncidentApp());
  });
  afterAll(() => t.stop());

  it("makes no Slack call between the request and the kickoff but conversations.create", async () => {
    const before = t.slack.calls.length;
    const { responseId } = await drive.incident(alice, "declare sev2 Checkout is failing");
    await drive.answer(responseId, /declared/);
    const calls = t.slack.calls.slice(before);
    const kickoff = calls.findIndex(
      (c) =>
        c.method === "chat.postMessage" && JSON.stringify(c.args.blocks).includes("incident_kickoff_actions"),
    );
    expect(kickoff).toBeGreaterThan(-1);
    // The fake keeps calls in the order they started.
    expect(calls.slice(0, kickoff).map((c) => c.method)).toEqual(["conversations.create"]);
    // The rest of the declaration still happens, after it.
    expect(calls.slice(kickoff + 1).map((c) => c.method)).toEqual(
      expect.arrayContaining(["conversations.invite", "conversations.setTopic"]),
    );
  });
});
