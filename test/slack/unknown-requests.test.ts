import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.ts";
import { blockActions, viewSubmission } from "../support/slack-payloads.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

// Requests no surface takes (a button, form or command the app no longer has) are acked at once and the
// person is told nothing was done; requests a surface takes go on to it.
describe("requests no surface takes", () => {
  let t: TestApp;
  const alice = { id: "U0ALICE", name: "alice" };
  beforeAll(async () => {
    t = await startTestApp();
    t.slack.addUser(alice);
  });
  afterAll(() => t.stop());

  const answer = (id: string) =>
    eventually(() => t.slack.responses.find((r) => r.id === id)?.body as { text?: string } | undefined, id);

  it("acks an unknown button and tells the clicker", async () => {
    const responseUrl = t.slack.responseUrl("gone-button");
    const response = await t.send.interaction(
      blockActions({
        user: alice,
        actionId: "gone_button",
        message: { channelId: "C0GENERAL", ts: "1700000000.000100" },
        triggerId: t.slack.newTriggerId(),
        responseUrl,
      }),
    );
    expect(response.status).toBe(200);
    expect((await answer("gone-button")).text).toMatch(/^I do not know that button, so I did nothing/);
  });

  it("acks an unknown form and tells the person by direct message", async () => {
    const submission = viewSubmission({
      user: alice,
      viewId: "V0GONE",
      callbackId: "gone_form",
      values: {},
      triggerId: t.slack.newTriggerId(),
    });
    expect((await t.send.interaction(submission)).status).toBe(200);
    const direct = () => t.slack.callsToChannel("chat.postMessage", alice.id).map((c) => String(c.args.text));
    await eventually(() => direct()[0], "the direct message");
    expect(direct()).toEqual([expect.stringMatching(/^I do not know that form, so I did nothing/)]);
  });

  it("answers an unknown command in its ack, and still passes known ones to their surface", async () => {
    const command = { user: alice, channelId: "C0GENERAL", triggerId: t.slack.newTriggerId() };
    const gone = await t.send.slashCommand({
      ...command,
      command: "/gone",
      responseUrl: t.slack.responseUrl(),
    });
    expect(gone.status).toBe(200);
    expect(JSON.stringify(gone.body)).toContain("I do not know the command /gone");
    const help = await t.send.slashCommand({
      ...command,
      command: "/incident",
      text: "help",
      responseUrl: t.slack.responseUrl(),
    });
    expect(JSON.stringify(help.body)).toContain("/incident declare");
    expect(JSON.stringify(help.body)).not.toContain("I do not know");
  });
});
