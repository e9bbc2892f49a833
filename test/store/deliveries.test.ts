import { describe, expect, it } from "vitest";
import { releaseChannelLease, takeChannelLease } from "../../src/store/deliveries.ts";
import { useTestDatabase } from "../support/database.ts";

// A channel's lease decides which process sends to it: there must never be two holders, even when a dead
// holder's lease runs out and several processes race to take it over.
describe("channel leases", () => {
  const db = useTestDatabase();
  const at = (s: number) => new Date(Date.parse("2026-11-23T10:00:00Z") + s * 1_000);

  it("has one holder among concurrent takers, and is free again once released", async () => {
    const { models } = db.store();
    const holders = await Promise.all(
      Array.from({ length: 10 }, () => takeChannelLease(models, "C-race", at(0), 60_000)),
    );
    const [holder, ...others] = holders.filter((h) => h !== undefined);
    expect(others).toEqual([]);
    await releaseChannelLease(models, "C-race", "not-the-holder");
    expect(await takeChannelLease(models, "C-race", at(1), 60_000)).toBeUndefined();
    await releaseChannelLease(models, "C-race", holder ?? "");
    expect(await takeChannelLease(models, "C-race", at(1), 60_000)).toBeDefined();
  });

  it("is taken over by exactly one of the processes racing for a lease that ran out", async () => {
    const { models } = db.store();
    for (let round = 0; round < 5; round++) {
      const channel = `C-takeover-${round}`;
      expect(await takeChannelLease(models, channel, at(0), 60_000)).toBeDefined();
      expect(await takeChannelLease(models, channel, at(60), 60_000)).toBeUndefined();
      const takers = await Promise.all(
        Array.from({ length: 10 }, () => takeChannelLease(models, channel, at(61), 60_000)),
      );
      expect(takers.filter((h) => h !== undefined)).toHaveLength(1);
    }
  });
});
