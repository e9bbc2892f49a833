import { pino } from "pino";
import { describe, expect, it, vi } from "vitest";
import { type DueJob, Poller } from "../../src/jobs/poller.ts";
import { TestClock } from "../support/clock.ts";

const silent = pino({ level: "silent" });
const flush = () => new Promise((r) => setImmediate(r));

function recordingJob(name: string, outcome: () => number = () => 1) {
  const seen: Date[] = [];
  const job: DueJob = {
    name,
    runDue: async (now) => {
      seen.push(now);
      return outcome();
    },
  };
  return { job, seen };
}

describe("Poller", () => {
  it("asks every job for work due at the clock's now", async () => {
    const clock = new TestClock("2026-11-23T10:00:00Z");
    const a = recordingJob("a");
    const b = recordingJob("b");
    const poller = new Poller([a.job, b.job], clock, silent);
    await poller.tick();
    clock.advance(15 * 60_000);
    await poller.tick();
    expect(a.seen.map((d) => d.toISOString())).toEqual([
      "2026-11-23T10:00:00.000Z",
      "2026-11-23T10:15:00.000Z",
    ]);
    expect(b.seen).toHaveLength(2);
  });

  it("keeps going when one job throws, and retries it on the next pass", async () => {
    const clock = new TestClock();
    let calls = 0;
    const failing = recordingJob("failing", () => {
      calls++;
      throw new Error("database hiccup");
    });
    const healthy = recordingJob("healthy");
    const poller = new Poller([failing.job, healthy.job], clock, silent);
    await poller.tick();
    await poller.tick();
    expect(calls).toBe(2);
    expect(healthy.seen).toHaveLength(2);
  });

  it("never runs two passes at once: a tick during a pass runs after it, at the clock's new now", async () => {
    const clock = new TestClock("2026-11-23T10:00:00Z");
    const releases: (() => void)[] = [];
    const seen: string[] = [];
    let active = 0;
    let maxActive = 0;
    const slow: DueJob = {
      name: "slow",
      runDue: async (now) => {
        active++;
        maxActive = Math.max(maxActive, active);
        seen.push(now.toISOString());
        await new Promise<void>((r) => releases.push(r));
        active--;
        return 0;
      },
    };
    const poller = new Poller([slow], clock, silent);
    const first = poller.tick();
    await flush();
    clock.advance(60_000);
    const second = poller.tick();
    await flush();
    releases.shift()?.();
    await first;
    await flush();
    releases.shift()?.();
    await second;
    expect(maxActive).toBe(1);
    expect(seen).toEqual(["2026-11-23T10:00:00.000Z", "2026-11-23T10:01:00.000Z"]);
  });

  it("stop waits for the pass in progress", async () => {
    let finished = false;
    let release: () => void = () => {};
    const job: DueJob = {
      name: "step",
      runDue: async () => {
        await new Promise<void>((r) => {
          release = r;
        });
        finished = true;
        return 1;
      },
    };
    const poller = new Poller([job], new TestClock(), silent);
    const pass = poller.tick();
    await flush();
    const stopping = poller.stop();
    release();
    await stopping;
    expect(finished).toBe(true);
    await pass;
  });

  it("runs a job of its own loop while a pass of the other jobs is still going, and both in a tick", async () => {
    const clock = new TestClock();
    const pending: (() => void)[] = [];
    const slow: DueJob = { name: "slow", runDue: () => new Promise<number>((r) => pending.push(() => r(0))) };
    const own = recordingJob("own");
    own.job.ownLoopMs = 5;
    const poller = new Poller([slow, own.job], clock, silent, 60_000);
    poller.start();
    await vi.waitFor(() => expect(own.seen.length).toBeGreaterThanOrEqual(3));
    expect(pending).toHaveLength(1);
    pending.shift()?.();
    await poller.stop();
    const before = own.seen.length;
    const tick = poller.tick();
    await vi.waitFor(() => expect(pending).toHaveLength(1));
    pending.shift()?.();
    await tick;
    expect(own.seen).toHaveLength(before + 1);
  });
});
