import type { TestApp } from "./test-app.ts";

/**
 * Runs due work until the queued Slack work is all done: a poller pass, then a second on the clock
 * (Slack's pace per channel, and past a first retry's backoff), as often as it takes. Returns the passes.
 */
export async function deliverQueued(t: TestApp, maxPasses: number): Promise<number> {
  for (let pass = 1; pass <= maxPasses; pass++) {
    await t.firebreak.poller.tick();
    if ((await t.firebreak.store.models.deliveries.countDocuments()) === 0) return pass;
    t.clock.advance(1_000);
  }
  throw new Error(`queued Slack work still pending after ${maxPasses} passes`);
}
