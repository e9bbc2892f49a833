import { describe, expect, it } from "vitest";
import { InFlight } from "../src/in-flight.ts";

function deferred() {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("InFlight", () => {
  it("drains once every tracked handler has settled, failures included", async () => {
    const inFlight = new InFlight();
    const slow = deferred();
    void inFlight.track(slow.promise);
    inFlight.track(Promise.reject(new Error("handler failed"))).catch(() => {});
    expect(inFlight.size).toBe(2);
    const draining = inFlight.drain(5_000);
    slow.resolve();
    expect(await draining).toBe("drained");
    expect(inFlight.size).toBe(0);
  });

  it("waits for work tracked while it drains: a request's writes that go on after its answer", async () => {
    const inFlight = new InFlight();
    const request = deferred();
    const trailing = deferred();
    let trailingDone = false;
    void inFlight.track(
      request.promise.then(() => {
        void inFlight.track(trailing.promise.then(() => (trailingDone = true)));
      }),
    );
    // Whether the trailing work was done when the drain said it was over.
    const draining = inFlight.drain(5_000).then((outcome) => [outcome, trailingDone]);
    request.resolve();
    await new Promise((r) => setTimeout(r, 10));
    trailing.resolve();
    expect(await draining).toEqual(["drained", true]);
  });

  it("gives up after the grace period and says so", async () => {
    const inFlight = new InFlight();
    void inFlight.track(new Promise(() => {}));
    expect(await inFlight.drain(10)).toBe("timed-out");
    expect(inFlight.size).toBe(1);
  });
});
