import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type DeliveryHandler,
  DeliveryJob,
  type DeliveryJobOptions,
  type StormBatch,
} from "../../src/jobs/deliveries.ts";
import type { SendOutcome } from "../../src/send-outcome.ts";
import { connectDatabase } from "../../src/store/connection.ts";
import { type Delivery, enqueueDelivery, takeChannelLease } from "../../src/store/deliveries.ts";
import { openStore, type Store } from "../../src/store/store.ts";
import { TestClock } from "../support/clock.ts";
import { useTestDatabase } from "../support/database.ts";

// The delivery queue and its job over the wire, on the clock: handlers here are small fake senders at the
// job's seam (what a Slack notifier returns), recording what was sent when and answering scripted outcomes.
const silent = pino({ level: "silent" });
const db = useTestDatabase();

interface Sent {
  key: string;
  channel: string;
  at: number;
}

/** A handler that records every try and answers what `script` says (done by default). */
function fakeSender(
  clock: TestClock,
  script: (item: Delivery, tries: number) => SendOutcome<unknown> = done,
) {
  const tries: Sent[] = [];
  const sent: Sent[] = [];
  const handler: DeliveryHandler = {
    send: async (item) => {
      const record = { key: item.key, channel: item.channel, at: clock.nowMs() };
      tries.push(record);
      const outcome = script(item, tries.filter((t) => t.key === item.key).length);
      if (outcome.status === "done") sent.push(record);
      return outcome;
    },
  };
  return { handler, tries, sent };
}

const done = (): SendOutcome<unknown> => ({ status: "done", value: undefined });

function job(
  clock: TestClock,
  handlers: DeliveryJobOptions["handlers"],
  extra: Partial<DeliveryJobOptions> = {},
) {
  return new DeliveryJob({ store: db.store(), clock, logger: silent, handlers, random: () => 1, ...extra });
}

async function enqueue(clock: TestClock, channel: string, keys: string[], kind = "post"): Promise<void> {
  for (const key of keys) {
    await enqueueDelivery(db.store().models, { key, kind, channel, payload: { ref: key }, at: clock.now() });
  }
}

/** Passes of the job every `stepMs` on the clock until the queue is empty (or `maxPasses`). */
async function drain(clock: TestClock, jobs: DeliveryJob[], stepMs = 500, maxPasses = 400): Promise<number> {
  for (let pass = 0; pass < maxPasses; pass++) {
    if ((await db.store().models.deliveries.countDocuments()) === 0) return pass;
    await Promise.all(jobs.map((j) => j.runDue(clock.now())));
    clock.advance(stepMs);
  }
  throw new Error(`the queue still holds work after ${maxPasses} passes`);
}

const keysOf = (sent: Sent[], channel: string) => sent.filter((s) => s.channel === channel).map((s) => s.key);
const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}:${i + 1}`);

/** The smallest gap between two tries to one channel. */
function smallestGap(tries: Sent[]): number {
  const last = new Map<string, number>();
  let smallest = Number.POSITIVE_INFINITY;
  for (const { channel, at } of tries) {
    const previous = last.get(channel);
    if (previous !== undefined) smallest = Math.min(smallest, at - previous);
    last.set(channel, at);
  }
  return smallest;
}

describe("delivery queue", () => {
  let clock: TestClock;

  beforeEach(async () => {
    clock = new TestClock("2026-11-23T10:00:00Z");
    const { models } = db.store();
    await Promise.all([
      models.deliveries.deleteMany({}),
      models.deliveryChannels.deleteMany({}),
      models.claims.deleteMany({}),
    ]);
  });

  it("queues a piece of work once per key", async () => {
    const { models } = db.store();
    const work = { key: "refresh-alert:a1", kind: "refresh", channel: "C1", at: clock.now() };
    expect(await enqueueDelivery(models, work)).toBe(true);
    expect(await enqueueDelivery(models, work)).toBe(false);
    expect(await models.deliveries.countDocuments()).toBe(1);
  });

  it("sends a channel's items in order, a second apart, and different channels side by side", async () => {
    const sender = fakeSender(clock);
    await enqueue(clock, "C1", range("c1", 5));
    await enqueue(clock, "C2", range("c2", 3));
    await drain(clock, [job(clock, { post: sender.handler })], 300);
    expect(keysOf(sender.sent, "C1")).toEqual(range("c1", 5));
    expect(keysOf(sender.sent, "C2")).toEqual(range("c2", 3));
    expect(smallestGap(sender.tries)).toBeGreaterThanOrEqual(1_000);
    const firstOf = (c: string) => sender.sent.find((s) => s.channel === c)?.at;
    expect(firstOf("C2")).toBe(firstOf("C1"));
  });

  it("pauses a rate-limited channel for its Retry-After, without counting it as a failure", async () => {
    const start = clock.nowMs();
    const sender = fakeSender(clock, (item, tries) =>
      item.key === "c1:1" && tries === 1
        ? { status: "rate_limited", retryAfterMs: 2_000, code: "ratelimited" }
        : done(),
    );
    await enqueue(clock, "C1", range("c1", 2));
    const delivery = job(clock, { post: sender.handler });
    await delivery.runDue(clock.now());
    expect((await db.store().models.deliveries.findById("c1:1").lean())?.attempts).toBe(0);
    await drain(clock, [delivery], 250);
    expect(sender.tries.map((t) => [t.key, t.at - start])).toEqual([
      ["c1:1", 0],
      ["c1:1", 2_000],
      ["c1:2", 3_000],
    ]);
  });

  it("retries an unavailable Slack with growing backoff", async () => {
    const start = clock.nowMs();
    const sender = fakeSender(clock, (_, tries) =>
      tries <= 3 ? { status: "unavailable", code: "service_unavailable" } : done(),
    );
    await enqueue(clock, "C1", ["c1:1"]);
    await drain(clock, [job(clock, { post: sender.handler })], 250);
    // random() = 1: the top of each step, 1 s, 2 s, 4 s.
    expect(sender.tries.map((t) => t.at - start)).toEqual([0, 1_000, 3_000, 7_000]);
    expect(sender.sent).toHaveLength(1);
  });

  it("gives up work Slack refuses or cannot find, reports it with a reference, and goes on", async () => {
    const given: { key: string; code: string; reference: string }[] = [];
    const sender = fakeSender(clock, (item) =>
      item.key === "c1:1" ? { status: "not_found", code: "channel_not_found" } : done(),
    );
    await enqueue(clock, "C1", range("c1", 2));
    await enqueue(clock, "C1", ["unknown:1"], "no-such-kind");
    const delivery = job(
      clock,
      { post: sender.handler },
      {
        onGiveUp: (item, failure, reference) =>
          void given.push({ key: item.key, code: failure.code, reference }),
      },
    );
    await drain(clock, [delivery]);
    expect(sender.tries.map((t) => t.key)).toEqual(["c1:1", "c1:2"]);
    expect(given).toEqual([
      { key: "c1:1", code: "channel_not_found", reference: expect.stringMatching(/^[0-9a-f]{8}$/) },
      { key: "unknown:1", code: "no_handler_for_kind", reference: expect.stringMatching(/^[0-9a-f]{8}$/) },
    ]);
  });

  it("coalesces refreshes of one message, and queues anew one requested while a refresh is being sent", async () => {
    const { models } = db.store();
    const refresh = { key: "refresh-alert:a1", kind: "refresh", channel: "C1", at: clock.now() };
    let sends = 0;
    const handlers = {
      refresh: {
        latestState: true,
        send: async () => {
          sends++;
          // The alert changes while its message is being rendered and sent.
          if (sends === 1) expect(await enqueueDelivery(models, { ...refresh, at: clock.now() })).toBe(true);
          return done();
        },
      },
    };
    await enqueueDelivery(models, refresh);
    await enqueueDelivery(models, refresh);
    await drain(clock, [job(clock, handlers)]);
    expect(sends).toBe(2);
  });

  it("puts a refresh back when its send fails", async () => {
    const sender = fakeSender(clock, (_, tries) =>
      tries === 1 ? { status: "unavailable", code: "service_unavailable" } : done(),
    );
    await enqueue(clock, "C1", ["refresh-alert:a1"], "refresh");
    await drain(clock, [job(clock, { refresh: { ...sender.handler, latestState: true } })]);
    expect(sender.tries.map((t) => t.key)).toEqual(["refresh-alert:a1", "refresh-alert:a1"]);
    expect(sender.sent).toHaveLength(1);
  });

  describe("across processes", () => {
    let other: Store;

    beforeAll(async () => {
      const connection = await connectDatabase(db.uri, { autoIndex: true, dbName: db.dbName });
      other = await openStore(connection, "ensure");
    });
    afterAll(() => other.connection.close());

    it("sends each item once, in order, with two processes polling the same database at once", async () => {
      const sender = fakeSender(clock);
      // More channels than each process works on at once, so the two interleave channel by channel.
      const channels = ["C1", "C2", "C3", "C4", "C5", "C6"];
      for (const c of channels) await enqueue(clock, c, range(c, 4));
      const handlers = { post: sender.handler };
      const first = job(clock, handlers, { concurrency: 2 });
      const second = new DeliveryJob({ store: other, clock, logger: silent, handlers, concurrency: 2 });
      await drain(clock, [first, second]);
      for (const c of channels) expect(keysOf(sender.tries, c)).toEqual(range(c, 4));
      expect(smallestGap(sender.tries)).toBeGreaterThanOrEqual(1_000);
    });

    it("loses nothing to a restart between enqueue and send", async () => {
      await enqueue(clock, "C1", range("c1", 3));
      // The process that enqueued is gone; a new one, on its own connection, finds the work.
      const sender = fakeSender(clock);
      const restarted = new DeliveryJob({
        store: other,
        clock,
        logger: silent,
        handlers: { post: sender.handler },
      });
      await drain(clock, [restarted]);
      expect(sender.sent.map((s) => s.key)).toEqual(range("c1", 3));
    });

    it("takes over a channel whose process died mid-send once its lease runs out", async () => {
      await enqueue(clock, "C1", ["c1:1"]);
      // A process took the channel and died: its lease stays behind.
      await takeChannelLease(other.models, "C1", clock.now(), 60_000);
      const sender = fakeSender(clock);
      const survivor = job(clock, { post: sender.handler }, { leaseMs: 60_000 });
      await survivor.runDue(clock.now());
      clock.advance(60_000);
      await survivor.runDue(clock.now());
      expect(sender.tries).toEqual([]);
      clock.advance(1);
      await survivor.runDue(clock.now());
      expect(sender.sent.map((s) => s.key)).toEqual(["c1:1"]);
    });
  });

  it("folds a storm of 300 new-alert posts into a handful of messages, every alert accounted once", async () => {
    const singles: string[] = [];
    const batches: StormBatch[] = [];
    const foldTimes: number[] = [];
    const posts: DeliveryHandler = {
      send: async (item) => {
        singles.push(item.key);
        foldTimes.push(clock.nowMs());
        return done();
      },
      // The running summary is a count here: each batch gets back what the one before it returned.
      fold: async (batch) => {
        batches.push(batch);
        foldTimes.push(clock.nowMs());
        const summary = Number(batch.summary ?? 0) + batch.added.length;
        return { status: "done", value: { messageRef: batch.messageRef ?? "summary-ts-1", summary } };
      },
    };
    const delivery = job(clock, { "post-alert": posts });
    // 300 alerts in 10 s, 30 a second, with the poller's pass every second.
    for (let second = 0; second < 10; second++) {
      await enqueue(clock, "C1", range(`alert-${second}`, 30), "post-alert");
      await delivery.runDue(clock.now());
      clock.advance(1_000);
    }
    await drain(clock, [delivery], 1_000);
    const all = Array.from({ length: 10 }, (_, s) => range(`alert-${s}`, 30)).flat();
    expect(singles).toEqual(all.slice(0, 5));
    const folded = batches.flatMap((b) => b.added.map((i) => i.key));
    expect([...singles, ...folded]).toEqual(all);
    // One summary message, posted once and then edited in place with everything folded so far.
    expect(batches.filter((b) => b.messageRef === undefined)).toHaveLength(1);
    expect(batches.at(-1)?.summary).toBe(all.length - 5 - (batches.at(-1)?.added.length ?? 0));
    expect(singles.length + batches.length).toBeLessThanOrEqual(12);
    expect(smallestGap(foldTimes.map((at) => ({ key: "", channel: "C1", at })))).toBeGreaterThanOrEqual(
      1_000,
    );
  });

  it("starts a new summary after a quiet window, with the channel's next alerts on their own first", async () => {
    const summaries: (string | undefined)[] = [];
    let singles = 0;
    const posts: DeliveryHandler = {
      send: async () => {
        singles++;
        return done();
      },
      fold: async (batch) => {
        summaries.push(batch.messageRef);
        return { status: "done", value: { messageRef: batch.messageRef ?? `summary-${summaries.length}` } };
      },
    };
    const delivery = job(clock, { "post-alert": posts });
    await enqueue(clock, "C1", range("first", 8), "post-alert");
    await drain(clock, [delivery], 1_000);
    clock.advance(60_000);
    await enqueue(clock, "C1", range("second", 8), "post-alert");
    await drain(clock, [delivery], 1_000);
    expect(singles).toBe(10);
    expect(summaries).toEqual([undefined, undefined]);
  });

  it("retries work whose handler threw, as if Slack were unavailable", async () => {
    let calls = 0;
    const throwingOnce: DeliveryHandler = {
      send: async () => {
        calls++;
        if (calls === 1) throw new Error("bug in a renderer");
        return done();
      },
    };
    await enqueue(clock, "C1", ["c1:1"]);
    await drain(clock, [job(clock, { post: throwingOnce })]);
    expect(calls).toBe(2);
  });

  it("delivers everything once, in order, after a 30 s outage", async () => {
    const downUntil = clock.nowMs() + 30_000;
    const sender = fakeSender(clock, () =>
      clock.nowMs() < downUntil ? { status: "unavailable", code: "service_unavailable" } : done(),
    );
    const channels = ["C1", "C2", "C3"];
    for (const c of channels) await enqueue(clock, c, range(c, 5));
    await drain(clock, [job(clock, { post: sender.handler }, { random: () => 0.5 })], 1_000);
    for (const c of channels) expect(keysOf(sender.sent, c)).toEqual(range(c, 5));
    expect(sender.sent.every((s) => s.at >= downUntil)).toBe(true);
    expect(sender.sent).toHaveLength(15);
  });
});
