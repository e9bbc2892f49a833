import { ErrorCode, type WebClient } from "@slack/web-api";
import { pino } from "pino";
import { beforeEach, describe, expect, it } from "vitest";
import { DeliveryJob } from "../../src/jobs/deliveries.ts";
import type { SendOutcome } from "../../src/send-outcome.ts";
import { type Delivery, enqueueDelivery } from "../../src/store/deliveries.ts";
import { TestClock } from "../support/clock.ts";
import { useTestDatabase } from "../support/database.ts";
import { useFakeSlack } from "../support/fake-slack/use-fake-slack.ts";

// The delivery job against the fake Slack over HTTP, with Slack's per-channel rate limit on: a tiny
// WebClient sender stands where the Slack notifier will, turning Slack's answers into SendOutcomes.
const db = useTestDatabase();
let clock = new TestClock();
const slack = useFakeSlack({ clock: () => clock.nowMs() });

async function postMessage(client: WebClient, item: Delivery): Promise<SendOutcome> {
  try {
    await client.chat.postMessage({ channel: item.channel, text: String(item.payload.text) });
    return { status: "done", value: undefined };
  } catch (error) {
    const failure = error as { code?: string; retryAfter?: number; data?: { error?: string } };
    if (failure.code === ErrorCode.RateLimitedError)
      return { status: "rate_limited", retryAfterMs: (failure.retryAfter ?? 1) * 1_000, code: "ratelimited" };
    if (failure.code === ErrorCode.PlatformError)
      return { status: "refused", code: failure.data?.error ?? "platform_error" };
    return { status: "unavailable", code: failure.code ?? "unknown" };
  }
}

describe("delivery job over the fake Slack", () => {
  beforeEach(async () => {
    clock = new TestClock("2026-11-23T10:00:00Z");
    await db.store().models.deliveries.deleteMany({});
  });

  it("loses and duplicates nothing under Slack's rate limit, a forced 429 and a short outage", async () => {
    const { fake } = slack;
    fake.limitPostMessages();
    const channels = [fake.addChannel({ name: "alerts-a" }).id, fake.addChannel({ name: "alerts-b" }).id];
    const texts = (c: string) => Array.from({ length: 10 }, (_, i) => `${c} message ${i + 1}`);
    for (const channel of channels) {
      for (const [i, text] of texts(channel).entries()) {
        await enqueueDelivery(db.store().models, {
          key: `post:${channel}:${i}`,
          kind: "post",
          channel,
          payload: { text },
          at: clock.now(),
        });
      }
    }
    const [throttled = ""] = channels;
    fake.forceRateLimit(throttled, 2);
    fake.goDown(clock.nowMs() + 5_000);
    const client = slack.client({ rejectRateLimitedCalls: true });
    const delivery = new DeliveryJob({
      store: db.store(),
      clock,
      logger: pino({ level: "silent" }),
      handlers: { post: { send: (item) => postMessage(client, item) } },
    });
    for (let pass = 0; pass < 200 && (await db.store().models.deliveries.countDocuments()) > 0; pass++) {
      await delivery.runDue(clock.now());
      clock.advance(500);
    }
    for (const channel of channels) {
      expect(fake.state.messages[channel]?.map((m) => m.text)).toEqual(texts(channel));
    }
    const statuses = fake.callsTo("chat.postMessage").map((c) => c.status);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    // Only the forced 429: the job's own pace stays within Slack's.
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
  });
});
