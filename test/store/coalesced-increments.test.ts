import { describe, expect, it } from "vitest";
import { addIncrements } from "../../src/store/coalesced-increments.ts";

/** A write that takes a turn of the event loop, recording what it was asked to apply. */
function recordingWrite() {
  const writes: Record<string, number>[] = [];
  const write = async (inc: Record<string, number>) => {
    await new Promise((done) => setImmediate(done));
    writes.push({ ...inc });
  };
  return { writes, write };
}

describe("counter increments merged while a write is in flight", () => {
  it("applies every increment once, in far fewer writes than callers", async () => {
    const { writes, write } = recordingWrite();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => addIncrements("doc-a", { received: 1, [`s${i % 3}`]: 2 }, write)),
    );
    const total = (field: string) => writes.reduce((sum, w) => sum + (w[field] ?? 0), 0);
    expect(total("received")).toBe(50);
    expect([total("s0"), total("s1"), total("s2")]).toEqual([34, 34, 32]);
    expect(writes.length).toBeLessThanOrEqual(2);
  });

  it("settles each caller only after a write holding its increment", async () => {
    const { writes, write } = recordingWrite();
    await addIncrements("doc-b", { n: 1 }, write);
    expect(writes).toEqual([{ n: 1 }]);
  });

  it("fails the callers of a failed write, and later callers write again", async () => {
    let fail = true;
    const applied: Record<string, number>[] = [];
    const write = async (inc: Record<string, number>) => {
      await new Promise((done) => setImmediate(done));
      if (fail) throw new Error("database unavailable");
      applied.push(inc);
    };
    const failed = await Promise.allSettled([
      addIncrements("doc-c", { n: 1 }, write),
      addIncrements("doc-c", { n: 1 }, write),
    ]);
    expect(failed.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    await addIncrements("doc-c", { n: 5 }, write);
    expect(applied).toEqual([{ n: 5 }]);
  });
});
