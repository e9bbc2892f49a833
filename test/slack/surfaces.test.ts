import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DECLARE_FROM_MESSAGE_SHORTCUT, DECLARE_SHORTCUT } from "../../src/slack/shortcuts/declare.ts";
import { eventually } from "../support/eventually.ts";
import { appHomeOpened, globalShortcut, messageShortcut } from "../support/slack-payloads.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

describe("Slack surfaces through the real receiver", () => {
  let t: TestApp;
  const alice = { id: "U0ALICE", name: "alice" };
  beforeAll(async () => {
    t = await startTestApp();
    t.slack.addUser({ id: alice.id, name: alice.name });
  });
  afterAll(() => t.stop());

  it("publishes the Home tab when it is opened, and not for the Messages tab", async () => {
    const messages = await t.send.event(appHomeOpened({ user: alice.id, tab: "messages" }));
    const home = await t.send.event(appHomeOpened({ user: alice.id }));
    expect([messages.status, home.status]).toEqual([200, 200]);
    const published = await eventually(() => t.slack.callsTo("views.publish")[0], "views.publish");
    expect(published).toMatchObject({ ok: true, args: { user_id: alice.id } });
    expect(t.slack.callsTo("views.publish")).toHaveLength(1);
  });

  it("answers /oncall ephemerally on its response_url", async () => {
    const responseUrl = t.slack.responseUrl("oncall");
    const response = await t.send.slashCommand({
      command: "/oncall",
      responseUrl,
      triggerId: t.slack.newTriggerId(),
    });
    expect(response.status).toBe(200);
    const answer = await eventually(
      () => t.slack.responses.find((r) => r.id === "oncall"),
      "the /oncall answer",
    );
    expect(answer.body).toMatchObject({
      response_type: "ephemeral",
      text: expect.stringContaining("no on-call schedules"),
    });
  });

  it("opens a modal for the global Declare shortcut", async () => {
    const triggerId = t.slack.newTriggerId(alice.id);
    const response = await t.send.interaction(
      globalShortcut({ user: alice, callbackId: DECLARE_SHORTCUT, triggerId }),
    );
    expect(response.status).toBe(200);
    const opened = await eventually(() => t.slack.callsTo("views.open")[0], "views.open");
    expect(opened).toMatchObject({ ok: true, args: { trigger_id: triggerId } });
  });

  it("opens the declare modal for the message shortcut, pre-filled from the message", async () => {
    const triggerId = t.slack.newTriggerId(alice.id);
    await t.send.interaction(
      messageShortcut({
        user: alice,
        callbackId: DECLARE_FROM_MESSAGE_SHORTCUT,
        triggerId,
        responseUrl: t.slack.responseUrl("msg-shortcut"),
        channelId: "C0GENERAL",
        message: { ts: "1700000000.000100", user: alice.id, text: "checkout is down\nsince 10:02" },
      }),
    );
    const opened = await eventually(
      () => t.slack.callsTo("views.open").find((c) => c.args.trigger_id === triggerId),
      "views.open",
    );
    expect(opened.ok).toBe(true);
    const view = JSON.stringify(opened.args.view);
    expect(view).toContain("checkout is down");
    expect(view).toContain("1700000000.000100");
  });
});
