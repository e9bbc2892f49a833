import { describe, expect, it } from "vitest";
import { LOOKAHEAD_MS, RESCAN_MS, UpcomingTimers } from "../../src/jobs/upcoming-timers.ts";
import type { ArmedTimer } from "../../src/store/armed-alerts.ts";

const T0 = Date.parse("2026-11-23T10:00:00Z");
const at = (ms: number) => new Date(T0 + ms);

/** The armed set as the database holds it, and the scans the timers made of it. */
function armedSet(entries: ArmedTimer[]) {
  const scans: Date[] = [];
  const scan = async (until: Date, limit: number) => {
    scans.push(until);
    return entries
      .filter((e) => e.dueAt <= until)
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
      .slice(0, limit);
  };
  return { entries, scans, timers: new UpcomingTimers(scan) };
}

describe("UpcomingTimers", () => {
  it("finds what falls due from one scan of the window, and scans again once RESCAN_MS has passed", async () => {
    const { entries, scans, timers } = armedSet([
      { id: "a", dueAt: at(1_000) },
      { id: "b", dueAt: at(2_000) },
      { id: "late", dueAt: at(LOOKAHEAD_MS + 1_000) },
    ]);
    // A fired step takes its entry out of the armed set.
    const fired = (id: string) =>
      entries.splice(
        entries.findIndex((e) => e.id === id),
        1,
      );
    expect(await timers.takeDue(at(0), 10)).toEqual([]);
    expect(await timers.takeDue(at(1_000), 10)).toEqual(["a"]);
    // Another process arms a timer after the scan: seen at the next scan, not before.
    entries.push({ id: "other", dueAt: at(2_500) });
    expect(await timers.takeDue(at(3_000), 10)).toEqual(["b"]);
    fired("a");
    fired("b");
    expect(scans).toHaveLength(1);
    expect(await timers.takeDue(at(RESCAN_MS), 10)).toEqual(["other"]);
    expect(scans).toHaveLength(2);
    fired("other");
    expect(await timers.takeDue(at(LOOKAHEAD_MS + 1_000), 10)).toEqual(["late"]);
  });

  it("takes this process's own arms at once, puts back what did not fire, and rescans when the clock jumps", async () => {
    const { scans, timers } = armedSet([]);
    expect(await timers.takeDue(at(0), 10)).toEqual([]);
    timers.heard({ id: "mine", dueAt: at(500) });
    timers.heard({ id: "far", dueAt: at(LOOKAHEAD_MS + 60_000) });
    expect(await timers.takeDue(at(1_000), 10)).toEqual(["mine"]);
    timers.putBack([{ id: "mine", dueAt: at(500) }]);
    expect(await timers.takeDue(at(2_000), 10)).toEqual(["mine"]);
    expect(scans).toHaveLength(1);
    // "far" is beyond the window: the scan that covers it finds it in the database, not in memory.
    expect(await timers.takeDue(at(LOOKAHEAD_MS + 60_000), 10)).toEqual([]);
    expect(await timers.takeDue(at(-60_000), 10)).toEqual([]);
    expect(scans).toHaveLength(3);
  });

  it("keeps a timer armed while a scan is in flight, which the scan may have missed", async () => {
    let release: () => void = () => undefined;
    const timers = new UpcomingTimers(async () => {
      // The scan read the armed set before "during" was written, and answers after it was heard.
      await new Promise<void>((resume) => {
        release = resume;
      });
      return [];
    });
    const taking = timers.takeDue(at(1_000), 10);
    timers.heard({ id: "during", dueAt: at(500) });
    release();
    expect(await taking).toEqual(["during"]);
  });
});
