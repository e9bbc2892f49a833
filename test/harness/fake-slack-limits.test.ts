import { describe, expect, it } from "vitest";
import { useFakeSlack } from "../support/fake-slack/use-fake-slack.ts";

// Slack's rate limits and outages, on the fake's clock: every knob is off until a test asks for it.
describe("fake Slack limits and outages", () => {
  let now = Date.parse("2026-11-23T09:00:00Z");
  const slack = useFakeSlack({ clock: () => now });

  const rejecting = () => slack.client({ rejectRateLimitedCalls: true });
  const post = (channel: string, text: string) => rejecting().chat.postMessage({ channel, text });

  function channel(name: string): string {
    return slack.fake.addChannel({ name }).id;
  }

  it("takes any number of posts while the rate limit is off", async () => {
    const c = channel("quiet");
    for (let i = 0; i < 10; i++) await post(c, `m${i}`);
    expect(slack.fake.state.messages[c]).toHaveLength(10);
  });

  it("limits chat.postMessage per channel: a burst, then one a second, else 429 with Retry-After", async () => {
    const { fake } = slack;
    fake.limitPostMessages({ burst: 2 });
    const a = channel("a");
    const b = channel("b");
    await post(a, "1");
    await post(a, "2");
    await expect(post(a, "3")).rejects.toMatchObject({
      code: "slack_webapi_rate_limited_error",
      retryAfter: 1,
    });
    await post(b, "other channel, own budget");
    now += 1_000;
    await post(a, "3 again");
    await expect(post(a, "4")).rejects.toMatchObject({ retryAfter: 1 });
    expect(fake.state.messages[a]?.map((m) => m.text)).toEqual(["1", "2", "3 again"]);
    expect(fake.callsToChannel("chat.postMessage", a).map((c) => c.status)).toEqual([
      200, 200, 429, 200, 429,
    ]);
    fake.limitPostMessages(false);
    await post(a, "5");
    expect(fake.state.messages[a]).toHaveLength(4);
  });

  it("forces 429 with a given Retry-After for one channel only, as many times as asked", async () => {
    const { fake } = slack;
    const c = channel("throttled");
    const other = channel("fine");
    fake.forceRateLimit(c, 2, 2);
    await expect(post(c, "x")).rejects.toMatchObject({ retryAfter: 2 });
    await post(other, "y");
    await expect(rejecting().chat.update({ channel: c, ts: "1.0", text: "z" })).rejects.toMatchObject({
      retryAfter: 2,
    });
    await post(c, "x");
    expect(fake.state.messages[c]?.map((m) => m.text)).toEqual(["x"]);
    expect(fake.callsToChannel("chat.postMessage", c)).toHaveLength(2);
  });

  it("fails every call with HTTP 503 while down, until back up", async () => {
    const { fake } = slack;
    const c = channel("outage");
    fake.goDown();
    await expect(post(c, "lost")).rejects.toMatchObject({ code: "slack_webapi_http_error", statusCode: 503 });
    await expect(rejecting().auth.test()).rejects.toMatchObject({ statusCode: 503 });
    fake.backUp();
    await post(c, "after");
    expect(fake.state.messages[c]?.map((m) => m.text)).toEqual(["after"]);
    expect(fake.calls.map((call) => call.status)).toEqual([503, 503, 200]);
  });

  it("comes back by itself when its clock reaches the end of the outage", async () => {
    const { fake } = slack;
    const c = channel("timed-outage");
    fake.goDown(now + 30_000);
    now += 29_999;
    await expect(post(c, "still down")).rejects.toMatchObject({ statusCode: 503 });
    now += 1;
    await post(c, "back");
    expect(fake.state.messages[c]?.map((m) => m.text)).toEqual(["back"]);
  });

  it("forgets every knob on reset", async () => {
    const { fake } = slack;
    fake.limitPostMessages({ burst: 1 });
    fake.forceRateLimit("C1", 5);
    fake.goDown();
    fake.reset();
    const c = channel("reset");
    await post(c, "1");
    await post(c, "2");
    expect(fake.state.messages[c]).toHaveLength(2);
  });
});
