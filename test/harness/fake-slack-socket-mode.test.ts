import { App, SocketModeReceiver } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack/server.ts";
import { silent } from "../support/fake-slack/use-fake-slack.ts";
import { blockActions, viewSubmission } from "../support/slack-payloads.ts";

const alice = { id: "U0ALICE", name: "alice" };

/** A raw client: opens the URL apps.connections.open gave, and collects what the gateway sends. */
async function connectRaw(fake: FakeSlack): Promise<{ ws: WebSocket; messages: Record<string, unknown>[] }> {
  const opened = await fetch(`${fake.apiUrl}apps.connections.open`, {
    method: "POST",
    headers: { authorization: `Bearer ${fake.appToken}` },
  });
  const { url } = (await opened.json()) as { url: string };
  const ws = new WebSocket(url);
  const messages: Record<string, unknown>[] = [];
  ws.on("message", (data) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return { ws, messages };
}

async function nextMessage(messages: Record<string, unknown>[], index: number) {
  for (let attempt = 0; attempt < 250 && messages.length <= index; attempt++)
    await new Promise((r) => setTimeout(r, 20));
  return messages[index] ?? expect.fail(`no message #${index} from the gateway`);
}

// Slack's Socket Mode gateway as the fake serves it: its wire format read by a raw WebSocket, then driven
// end to end by Bolt's own SocketModeReceiver (what Firebreak runs when SLACK_APP_TOKEN is set).
describe("fake Slack Socket Mode", () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack({ socketMode: { pingIntervalMs: 50 } });
  });
  afterAll(() => fake.close());

  it("opens connections only for the app-level token", async () => {
    const call = (token: string) =>
      fetch(`${fake.apiUrl}apps.connections.open`, {
        method: "POST",
        headers: token ? { authorization: `Bearer ${token}` } : {},
      }).then((r) => r.json());
    expect(await call("")).toEqual({ ok: false, error: "not_authed" });
    expect(await call(fake.botToken)).toEqual({ ok: false, error: "not_allowed_token_type" });
    expect(await call("xapp-1-A1-2-other")).toEqual({ ok: false, error: "invalid_auth" });
    expect(await call(fake.appToken)).toMatchObject({
      ok: true,
      url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[0-9a-f]+&app_id=A/),
    });
    // The bot token is still the only one the other methods take.
    const botCall = await fetch(`${fake.apiUrl}auth.test`, {
      method: "POST",
      headers: { authorization: `Bearer ${fake.appToken}` },
    });
    expect(await botCall.json()).toEqual({ ok: false, error: "not_allowed_token_type" });
  });

  it("says hello on connect, pings, and refuses a URL used twice", async () => {
    const { ws, messages } = await connectRaw(fake);
    const pinged = new Promise<void>((resolve) => ws.once("ping", () => resolve()));
    try {
      expect(await nextMessage(messages, 0)).toMatchObject({
        type: "hello",
        num_connections: 1,
        debug_info: { approximate_connection_time: expect.any(Number) },
        connection_info: { app_id: expect.stringMatching(/^A/) },
      });
      await pinged;
      const reused = new WebSocket(ws.url);
      const status = await new Promise<number | undefined>((resolve) =>
        reused.once("unexpected-response", (_req, res) => resolve(res.statusCode)),
      );
      expect(status).toBe(401);
    } finally {
      ws.close();
    }
  });

  it("delivers envelopes as Slack marks them and resolves each with its ack's payload", async () => {
    const { ws, messages } = await connectRaw(fake);
    try {
      await nextMessage(messages, 0);
      const command = fake.socketMode.slashCommand({
        command: "/incident",
        text: "help",
        user: alice,
        responseUrl: fake.responseUrl(),
        triggerId: fake.newTriggerId(alice.id),
      });
      const envelope = await nextMessage(messages, 1);
      expect(envelope).toMatchObject({
        type: "slash_commands",
        envelope_id: expect.any(String),
        accepts_response_payload: true,
        payload: { command: "/incident", text: "help", user_id: alice.id },
      });
      ws.send(JSON.stringify({ envelope_id: envelope.envelope_id, payload: { text: "Here is help" } }));
      await expect(command).resolves.toEqual({ text: "Here is help" });

      const click = fake.socketMode.interactive(
        blockActions({
          user: alice,
          actionId: "go",
          value: "1",
          triggerId: fake.newTriggerId(),
          view: { id: "V1" },
        }),
      );
      const submit = fake.socketMode.interactive(
        viewSubmission({ user: alice, viewId: "V1", callbackId: "form", values: {}, triggerId: "t" }),
      );
      const event = fake.socketMode.event({ type: "app_home_opened", user: alice.id });
      const [clickEnvelope, submitEnvelope, eventEnvelope] = [
        await nextMessage(messages, 2),
        await nextMessage(messages, 3),
        await nextMessage(messages, 4),
      ];
      expect(clickEnvelope).toMatchObject({
        type: "interactive",
        accepts_response_payload: false,
        payload: { type: "block_actions", api_app_id: expect.any(String) },
      });
      expect(submitEnvelope).toMatchObject({ type: "interactive", accepts_response_payload: true });
      expect(eventEnvelope).toMatchObject({
        type: "events_api",
        accepts_response_payload: false,
        retry_attempt: 0,
        retry_reason: "",
        payload: { type: "event_callback", event: { type: "app_home_opened" } },
      });
      for (const sent of [clickEnvelope, submitEnvelope, eventEnvelope])
        ws.send(JSON.stringify({ envelope_id: sent.envelope_id }));
      await expect(Promise.all([click, submit, event])).resolves.toEqual([{}, {}, {}]);

      // An ack nobody waits for is kept aside, not taken as an answer.
      ws.send(JSON.stringify({ envelope_id: clickEnvelope.envelope_id }));
      await new Promise((r) => setTimeout(r, 50));
      expect(fake.socketMode.strayMessages).toEqual([
        JSON.stringify({ envelope_id: clickEnvelope.envelope_id }),
      ]);
      fake.socketMode.strayMessages.length = 0;
    } finally {
      ws.close();
    }
  });

  it("fails a delivery the app never acks when the connection goes, and one with no connection", async () => {
    const { messages } = await connectRaw(fake);
    await nextMessage(messages, 0);
    const unanswered = fake.socketMode.event({ type: "app_home_opened", user: alice.id });
    await nextMessage(messages, 1);
    fake.socketMode.drop();
    await expect(unanswered).rejects.toThrow(/closed before the app acked the events_api envelope/);
    await expect(fake.socketMode.event({ type: "app_home_opened" })).rejects.toThrow(
      /no Socket Mode connection/,
    );
  });

  it("fails a delivery the app does not ack in time", async () => {
    const slow = await startFakeSlack({ socketMode: { ackTimeoutMs: 50 } });
    try {
      const { messages } = await connectRaw(slow);
      await nextMessage(messages, 0);
      await expect(slow.socketMode.event({ type: "app_home_opened" })).rejects.toThrow(
        /did not ack .* 50 ms/,
      );
    } finally {
      await slow.close();
    }
  });

  describe("with Bolt's SocketModeReceiver", () => {
    let app: App;
    const seen: string[] = [];
    beforeAll(async () => {
      const receiver = new SocketModeReceiver({
        appToken: fake.appToken,
        logger: silent,
        // Reconnects wait this long (5 s by default): short here, so the test stays quick.
        clientPingTimeout: 1_000,
        installerOptions: { clientOptions: { slackApiUrl: fake.apiUrl } },
      });
      app = new App({
        token: fake.botToken,
        receiver,
        logger: silent,
        clientOptions: { slackApiUrl: fake.apiUrl },
      });
      app.command("/echo", async ({ command, ack }) => {
        await ack({ response_type: "ephemeral", text: `echo: ${command.text}` });
      });
      app.action("go", async ({ ack, action }) => {
        await ack();
        seen.push(`clicked ${"value" in action ? action.value : ""}`);
      });
      app.view("form", async ({ ack }) => {
        await ack({ response_action: "errors", errors: { title: "Give it a title" } });
      });
      app.event("app_home_opened", async ({ event }) => {
        seen.push(`home of ${event.user}`);
      });
      const before = fake.socketMode.connections;
      await app.start();
      expect(fake.socketMode.connections).toBe(before + 1);
    });
    afterAll(() => app.stop());

    const echo = (text: string) =>
      fake.socketMode.slashCommand({
        command: "/echo",
        text,
        user: alice,
        responseUrl: fake.responseUrl(),
        triggerId: fake.newTriggerId(alice.id),
      });

    it("answers a command, a click, a form and an event through the real client", async () => {
      expect(await echo("one")).toEqual({ response_type: "ephemeral", text: "echo: one" });
      const clicked = await fake.socketMode.interactive(
        blockActions({
          user: alice,
          actionId: "go",
          value: "7",
          triggerId: fake.newTriggerId(),
          view: { id: "V1" },
        }),
      );
      expect(clicked).toEqual({});
      const submitted = await fake.socketMode.interactive(
        viewSubmission({ user: alice, viewId: "V1", callbackId: "form", values: {}, triggerId: "t" }),
      );
      expect(submitted).toEqual({ response_action: "errors", errors: { title: "Give it a title" } });
      await fake.socketMode.event({ type: "app_home_opened", user: alice.id, tab: "home" });
      await expect.poll(() => seen).toEqual(["clicked 7", `home of ${alice.id}`]);
      expect(fake.socketMode.strayMessages).toEqual([]);
    });

    it("reconnects through apps.connections.open after a disconnect message and after a dropped socket", async () => {
      const opens = fake.callsTo("apps.connections.open").length;
      const connections = fake.socketMode.connections;
      fake.socketMode.requestDisconnect("refresh_requested");
      await fake.socketMode.waitForConnections(connections + 1);
      expect(await echo("after refresh")).toEqual({
        response_type: "ephemeral",
        text: "echo: after refresh",
      });

      fake.socketMode.drop();
      await fake.socketMode.waitForConnections(connections + 2);
      expect(await echo("after drop")).toEqual({ response_type: "ephemeral", text: "echo: after drop" });
      expect(
        fake
          .callsTo("apps.connections.open")
          .slice(opens)
          .map((c) => c.ok),
      ).toEqual([true, true]);
      expect(fake.socketMode.open).toBe(1);
    });
  });
});
