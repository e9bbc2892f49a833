import { describe, expect, it } from "vitest";
import { isDuplicateKeyError } from "../../src/store/errors.ts";
import { insertRecord } from "../../src/store/insert-record.ts";
import { useTestDatabase } from "../support/database.ts";

describe("insertRecord (group commit per collection)", () => {
  const db = useTestDatabase();
  const models = () => db.store().models;

  it("settles each caller on its own record when concurrent inserts go in one batch", async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `batch:${i % 10}`);
    const outcomes = await Promise.allSettled(
      keys.map((key, i) => insertRecord(models().claims, { _id: key, at: new Date(), meta: { i } })),
    );
    const won = keys.filter((_, i) => outcomes[i]?.status === "fulfilled");
    expect(won.sort()).toEqual([...new Set(keys)].sort());
    const refused = outcomes.filter((o) => o.status === "rejected");
    expect(refused).toHaveLength(30);
    expect(refused.every((o) => isDuplicateKeyError(o.reason))).toBe(true);
    // Each stored claim is its winner's record.
    const stored = await models()
      .claims.find({ _id: /^batch:/ })
      .lean();
    expect(stored).toHaveLength(10);
    for (const claim of stored) expect(keys[Number(claim.meta?.i)]).toBe(claim._id);
  });

  it("leaves undefined fields out, as a single insert does", async () => {
    await Promise.all([
      insertRecord(models().claims, { _id: "undef:a", at: new Date(), meta: undefined }),
      insertRecord(models().claims, { _id: "undef:b", at: new Date(), meta: undefined }),
    ]);
    const stored = await models()
      .claims.find({ _id: /^undef:/ })
      .lean();
    expect(stored.map((claim) => Object.keys(claim).sort())).toEqual([
      ["_id", "at"],
      ["_id", "at"],
    ]);
  });
});
