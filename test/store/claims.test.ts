import { describe, expect, it } from "vitest";
import { claimOnce, releaseClaim } from "../../src/store/claims.ts";
import { useTestDatabase } from "../support/database.ts";

describe("claims", () => {
  const db = useTestDatabase();
  const models = () => db.store().models;

  it("grants a key to exactly one of 20 concurrent callers", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => claimOnce(models(), "race")));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await claimOnce(models(), "race")).toBe(false);
  });

  it("keeps keys independent", async () => {
    const keys = ["a", "b", "c", "a", "b", "a"];
    const results = await Promise.all(keys.map((key) => claimOnce(models(), `k:${key}`)));
    const winners = keys.filter((_, i) => results[i]);
    expect(winners.sort()).toEqual(["a", "b", "c"]);
  });

  it("stores when and with what context a key was claimed", async () => {
    const before = Date.now();
    expect(await claimOnce(models(), "with-meta", { step: "archive", incident: 7 })).toBe(true);
    const claim = await models().claims.findById("with-meta").lean();
    expect(claim?.meta).toEqual({ step: "archive", incident: 7 });
    expect(claim?.at.getTime()).toBeGreaterThanOrEqual(before);
  });

  it("lets a released key be claimed again, and reports the release to one caller", async () => {
    expect(await claimOnce(models(), "retry")).toBe(true);
    const releases = await Promise.all(Array.from({ length: 10 }, () => releaseClaim(models(), "retry")));
    expect(releases.filter(Boolean)).toHaveLength(1);
    expect(await claimOnce(models(), "retry")).toBe(true);
    expect(await releaseClaim(models(), "never-claimed")).toBe(false);
  });
});
