import { WebClient } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { startFakeSlack } from "../support/fake-slack/server.ts";
import { useFakeSlack } from "../support/fake-slack/use-fake-slack.ts";

// The fake's transport: authentication, request encodings, the call log, latency, injected failures,
// rate limiting and response_urls, all driven through a real @slack/web-api WebClient.
describe("fake Slack transport", () => {
  const slack = useFakeSlack();

  const post = (path: string, init: { body: string; headers?: Record<string, string> }) =>
    fetch(`${slack.fake.url}${path}`, { method: "POST", ...init });

  it("answers auth.test with the bot identity created at start", async () => {
    const { fake } = slack;
    const answer = await slack.client().auth.test();
    expect(answer).toMatchObject({
      ok: true,
      user_id: fake.state.bot.user_id,
      bot_id: fake.state.bot.bot_id,
      team_id: fake.state.workspace.id,
      url: `https://${fake.state.workspace.domain}.slack.com/`,
    });
    expect(fake.botToken).toMatch(/^xoxb-/);
    expect(fake.apiUrl).toBe(`${fake.url}/api/`);
  });

  it("takes the workspace and bot identity from its options", async () => {
    const bot = { user_id: "U00000BOT", bot_id: "B00000BOT", app_id: "A00000001" };
    const other = await startFakeSlack({ workspace: { id: "T00000001", domain: "firebreak-test", bot } });
    try {
      const client = new WebClient(other.botToken, { slackApiUrl: other.apiUrl });
      await expect(client.auth.test()).resolves.toMatchObject({
        team_id: "T00000001",
        user_id: "U00000BOT",
        bot_id: "B00000BOT",
        url: "https://firebreak-test.slack.com/",
      });
    } finally {
      await other.close();
    }
  });

  it("rejects another token with invalid_auth", async () => {
    const other = slack.client({ headers: { Authorization: "Bearer xoxb-1-2-not-the-bot" } });
    await expect(other.auth.test()).rejects.toMatchObject({ data: { ok: false, error: "invalid_auth" } });
  });

  it("answers not_authed without a token", async () => {
    const answer = await post("/api/auth.test", { body: "" });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ok: false, error: "not_authed" });
  });

  it("answers unknown_method for a method it does not implement", async () => {
    await expect(slack.client().apiCall("admin.teams.list")).rejects.toMatchObject({
      data: { ok: false, error: "unknown_method" },
    });
  });

  it("takes JSON bodies with a Bearer token and form bodies with a token field", async () => {
    const { fake } = slack;
    const channel = fake.addChannel({ name: "general" });
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*hi*" } }];
    const json = await post("/api/chat.postMessage", {
      headers: { "content-type": "application/json", authorization: `Bearer ${fake.botToken}` },
      body: JSON.stringify({ channel: channel.id, text: "hi", blocks }),
    });
    expect(await json.json()).toMatchObject({ ok: true, channel: channel.id });
    const form = await post("/api/chat.postMessage", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: fake.botToken, channel: channel.id, text: "hi again" }).toString(),
    });
    expect(await form.json()).toMatchObject({ ok: true, channel: channel.id });
    expect(fake.state.messages[channel.id]?.map((m) => m.text)).toEqual(["hi", "hi again"]);
    expect(fake.calls[0]?.args.blocks).toEqual(blocks);
  });

  it("logs each call with its decoded arguments, outcome and timing", async () => {
    const { fake } = slack;
    const channel = fake.addChannel({ name: "general" });
    const client = slack.client();
    const blocks = [{ type: "divider" }];
    await client.chat.postMessage({ channel: channel.id, text: "one", blocks });
    await expect(client.chat.postMessage({ channel: "C404", text: "two" })).rejects.toThrow();
    await client.auth.test();

    expect(fake.calls.map((c) => [c.method, c.ok, c.error])).toEqual([
      ["chat.postMessage", true, undefined],
      ["chat.postMessage", false, "channel_not_found"],
      ["auth.test", true, undefined],
    ]);
    // @slack/web-api sends blocks as a JSON string inside a form body; the log has them decoded.
    expect(fake.callsTo("chat.postMessage")[0]?.args).toEqual({ channel: channel.id, text: "one", blocks });
    for (const call of fake.calls) expect(call.endedAt).toBeGreaterThanOrEqual(call.startedAt);
  });

  it("makes every call take at least the configured latency", async () => {
    const { fake } = slack;
    fake.setLatency(60);
    const client = slack.client();
    await client.auth.test();
    await expect(client.users.info({ user: "U404" })).rejects.toThrow();
    expect(fake.calls).toHaveLength(2);
    for (const call of fake.calls) expect(call.endedAt - call.startedAt).toBeGreaterThanOrEqual(60);
  });

  it("records concurrent calls with overlapping start and end times", async () => {
    const { fake } = slack;
    fake.setLatency(80);
    const client = slack.client();
    await Promise.all([client.auth.test(), client.auth.test(), client.auth.test()]);
    const [a, b, c] = fake.calls;
    if (!a || !b || !c) throw new Error("expected three calls");
    expect(a.startedAt).toBeLessThanOrEqual(b.startedAt);
    expect(b.startedAt).toBeLessThanOrEqual(c.startedAt);
    // All three were in flight at once: the last one started before the first one ended.
    expect(c.startedAt).toBeLessThan(a.endedAt);
  });

  it("fails the next calls to a method with an injected error, in queue order", async () => {
    const { fake } = slack;
    fake.failNext("auth.test", { error: "fatal_error", times: 2 });
    fake.failNext("auth.test", { error: "service_unavailable" });
    const client = slack.client();
    for (const error of ["fatal_error", "fatal_error", "service_unavailable"]) {
      await expect(client.auth.test()).rejects.toMatchObject({ data: { error } });
    }
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
    // Other methods are untouched.
    fake.failNext("users.info");
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
    await expect(client.users.info({ user: fake.state.bot.user_id })).rejects.toMatchObject({
      data: { error: "internal_error" },
    });
  });

  it("answers HTTP 429 with Retry-After, which WebClient waits out before retrying", async () => {
    const { fake } = slack;
    fake.failNext("auth.test", { status429RetryAfter: 1 });
    const client = slack.client({ retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 } });
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
    const [limited, retried] = fake.callsTo("auth.test");
    expect(limited).toMatchObject({ status: 429, ok: false, error: "ratelimited" });
    expect(retried).toMatchObject({ status: 200, ok: true });
    expect((retried?.startedAt ?? 0) - (limited?.endedAt ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it("surfaces the Retry-After to a client that rejects rate-limited calls", async () => {
    slack.fake.failNext("chat.postMessage", { status429RetryAfter: 7 });
    const client = slack.client({ rejectRateLimitedCalls: true });
    await expect(client.chat.postMessage({ channel: "C1", text: "x" })).rejects.toMatchObject({
      code: "slack_webapi_rate_limited_error",
      retryAfter: 7,
    });
  });

  it("captures POSTs to a response_url with their JSON body", async () => {
    const { fake } = slack;
    const url = fake.responseUrl("cmd-1");
    const body = { response_type: "ephemeral", replace_original: false, text: "Declared", blocks: [] };
    const answer = await post(new URL(url).pathname, {
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(answer.status).toBe(200);
    expect(fake.responses).toEqual([{ id: "cmd-1", body, receivedAt: expect.any(Number) }]);
    const unknown = await post("/response/never-issued", { body: "{}" });
    expect(unknown.status).toBe(404);
  });

  it("issues distinct response_urls when no id is given", () => {
    const { fake } = slack;
    expect(fake.responseUrl()).not.toBe(fake.responseUrl());
  });

  it("reset empties the workspace, the log and the knobs but keeps the URL and token", async () => {
    const { fake } = slack;
    fake.addChannel({ name: "general" });
    fake.setLatency(200);
    fake.failNext("auth.test");
    await slack.client().chat.postMessage({ channel: "general", text: "x" });
    fake.reset();
    expect(fake.state.channels).toEqual({});
    expect(fake.calls).toEqual([]);
    await expect(slack.client().auth.test()).resolves.toMatchObject({ ok: true });
    expect(fake.calls[0]?.endedAt).toBeLessThan((fake.calls[0]?.startedAt ?? 0) + 200);
  });
});
