import { Schema } from "mongoose";
import { describe, expect, it } from "vitest";
import { nextSequence } from "../../src/store/counters.ts";
import { useTestDatabase } from "../support/database.ts";

// Proves the store talks to a real MongoDB-compatible server over the wire: these behaviours
// come from the server itself and cannot be faked by mongoose.
describe("database over the wire", () => {
  const db = useTestDatabase();

  it("rejects a duplicate key of a unique index with E11000", async () => {
    const schema = new Schema({ workspace: String, number: Number });
    schema.index({ workspace: 1, number: 1 }, { unique: true });
    const Thing = db.store().connection.model("UniqueThing", schema, "unique_things");
    await Thing.init();
    await Thing.create({ workspace: "T1", number: 1 });
    await Thing.create({ workspace: "T2", number: 1 });
    await expect(Thing.create({ workspace: "T1", number: 1 })).rejects.toMatchObject({ code: 11000 });
    expect(await Thing.countDocuments()).toBe(2);
  });

  it("hands out each sequence number once under 50 concurrent callers", async () => {
    const values = await Promise.all(
      Array.from({ length: 50 }, () => nextSequence(db.store().models.sequenceClaims, "incidents:T1")),
    );
    expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await nextSequence(db.store().models.sequenceClaims, "incidents:T1")).toBe(51);
    expect(await nextSequence(db.store().models.sequenceClaims, "incidents:T2")).toBe(1);
  });
});
