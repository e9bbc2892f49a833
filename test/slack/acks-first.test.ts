import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { afterPendingAcks, countingUnanswered } from "../../src/slack/acks-first.ts";

/** A request listener that answers nothing by itself: the test says when each response finishes. */
function arrive(): EventEmitter {
  const response = new EventEmitter();
  countingUnanswered(() => {})({} as IncomingMessage, response as unknown as ServerResponse);
  return response;
}

const settled = async (promise: Promise<void>) => {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe("work after an ack waits for the acks still pending", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("goes ahead at once when no Slack request is waiting", async () => {
    expect(await settled(afterPendingAcks())).toBe(true);
  });

  it("waits until every pending request is answered, counting a dropped connection as answered", async () => {
    const first = arrive();
    const second = arrive();
    const work = afterPendingAcks();
    expect(await settled(work)).toBe(false);
    first.emit("finish");
    first.emit("close");
    expect(await settled(work)).toBe(false);
    second.emit("close");
    expect(await settled(work)).toBe(true);
    expect(await settled(afterPendingAcks())).toBe(true);
  });

  it("does not wait for ever behind a flood: at most a quarter of a second", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const stuck = arrive();
    const work = afterPendingAcks();
    vi.advanceTimersByTime(249);
    expect(await settled(work)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await settled(work)).toBe(true);
    stuck.emit("finish");
  });
});
