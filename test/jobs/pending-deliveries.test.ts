import { describe, expect, it } from "vitest";
import { PARTIAL_RESCAN_MS, PendingDeliveries, RESCAN_MS } from "../../src/jobs/pending-deliveries.ts";
import type { Delivery } from "../../src/store/deliveries.ts";

const T0 = Date.parse("2026-11-23T10:00:00Z");
const at = (ms: number) => new Date(T0 + ms);

const item = (key: string, queuedMs: number, seq = 0): Delivery => ({
  key,
  kind: "post",
  channel: "C1",
  payload: {},
  enqueuedAt: at(queuedMs),
  seq,
  attempts: 0,
  dueAt: at(queuedMs),
});

/** The queue as the database holds it, and how often it was scanned. */
function queue(items: Delivery[], limit = 100) {
  const scans: number[] = [];
  const scan = async (max: number) => {
    scans.push(max);
    return [...items]
      .sort((a, b) => a.enqueuedAt.getTime() - b.enqueuedAt.getTime() || a.seq - b.seq)
      .slice(0, max);
  };
  return { items, scans, pending: new PendingDeliveries(scan, limit) };
}

const keys = async (pending: PendingDeliveries, now: Date) => (await pending.inOrder(now)).map((i) => i.key);

describe("PendingDeliveries", () => {
  it("follows this process's own changes between scans, and scans again after RESCAN_MS", async () => {
    const { items, scans, pending } = queue([item("a", 0)]);
    expect(await keys(pending, at(0))).toEqual(["a"]);
    pending.heard({ kind: "queued", item: item("mine", 20) });
    // Queued earlier in arrival order (a reserved place) but heard later: still goes first.
    pending.heard({ kind: "queued", item: item("reserved", 10) });
    pending.heard({ kind: "removed", keys: ["a"] });
    // Another process queues work: not seen until the next scan.
    items.push(item("theirs", 30));
    expect(await keys(pending, at(1_000))).toEqual(["reserved", "mine"]);
    expect(scans).toHaveLength(1);
    expect(await keys(pending, at(RESCAN_MS))).toEqual(["a", "theirs"]);
    expect(scans).toHaveLength(2);
  });

  it("scans again at once when told it is out of date", async () => {
    const { items, scans, pending } = queue([item("a", 0), item("b", 1)]);
    expect(await keys(pending, at(0))).toEqual(["a", "b"]);
    // Another process sent "a": the job finds its first item gone when it re-reads it, and says so.
    items.shift();
    pending.outOfDate();
    expect(await keys(pending, at(100))).toEqual(["b"]);
    expect(scans).toHaveLength(2);
  });

  it("after a scan that hit its limit, leaves newer work for the scan that reaches it", async () => {
    const { items, pending } = queue([item("a", 0), item("b", 1), item("c", 2)], 2);
    expect(await keys(pending, at(0))).toEqual(["a", "b"]);
    // "c" is pending but unread: work queued after it must not overtake it.
    const newer = item("d", 3);
    items.push(newer);
    pending.heard({ kind: "queued", item: newer });
    // A retry of a known item is followed.
    pending.heard({ kind: "queued", item: { ...item("a", 0), attempts: 1 } });
    expect((await pending.inOrder(at(10))).map((i) => [i.key, i.attempts])).toEqual([
      ["a", 1],
      ["b", 0],
    ]);
  });

  it("scans again a second after a partial scan once most of what it returned is worked off", async () => {
    const backlog = Array.from({ length: 10 }, (_, i) => item(`s${i}`, i));
    const { items, scans, pending } = queue(backlog, 4);
    expect(await keys(pending, at(0))).toEqual(["s0", "s1", "s2", "s3"]);
    // A storm summary takes the channel's leading items at once: one of four left, the rest unread.
    items.splice(0, 3);
    pending.heard({ kind: "removed", keys: ["s0", "s1", "s2"] });
    expect(await keys(pending, at(300))).toEqual(["s3"]);
    expect(scans).toHaveLength(1);
    expect(await keys(pending, at(PARTIAL_RESCAN_MS))).toEqual(["s3", "s4", "s5", "s6"]);
    expect(scans).toHaveLength(2);
    // One of four worked off: the rest of the backlog waits for RESCAN_MS.
    items.splice(0, 1);
    pending.heard({ kind: "removed", keys: ["s3"] });
    expect(await keys(pending, at(3 * PARTIAL_RESCAN_MS))).toEqual(["s4", "s5", "s6"]);
    expect(scans).toHaveLength(2);
  });

  it("keeps the changes heard while a scan is in flight, whichever way the scan read them", async () => {
    const items = [item("a", 0), item("gone", 1)];
    let release: () => void = () => {};
    const gate = new Promise<void>((done) => {
      release = done;
    });
    // The scan reads the queue as it was when it started, and answers after the changes below.
    const pending = new PendingDeliveries(async () => {
      const read = [...items];
      await gate;
      return read;
    }, 100);
    const scanned = pending.inOrder(at(0));
    pending.heard({ kind: "queued", item: item("new", 2) });
    pending.heard({ kind: "removed", keys: ["gone"] });
    release();
    expect((await scanned).map((i) => i.key)).toEqual(["a", "new"]);
  });
});
