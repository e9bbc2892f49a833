import { describe, expect, it } from "vitest";
import {
  foldIntoStorm,
  MAX_STORM_SERVICES,
  type StormAlert,
  stormStep,
  summarizeStorm,
} from "../../src/domain/storm.ts";

const policy = { threshold: 5, windowMs: 60_000, topK: 3 };
const now = 1_000_000;

describe("stormStep", () => {
  it("sends alerts on their own while the channel is under its threshold", () => {
    expect(stormStep({ recentPosts: [] }, now, policy)).toBe("single");
    expect(
      stormStep({ recentPosts: [now - 4_000, now - 3_000, now - 2_000, now - 1_000] }, now, policy),
    ).toBe("single");
  });

  it("folds once the threshold of the window is used up", () => {
    const five = [1, 2, 3, 4, 5].map((s) => now - s * 1_000);
    expect(stormStep({ recentPosts: five }, now, policy)).toBe("fold");
  });

  it("forgets posts older than the window", () => {
    const old = [1, 2, 3, 4, 5].map((s) => now - 60_000 - s);
    expect(stormStep({ recentPosts: old }, now, policy)).toBe("single");
  });

  it("keeps folding while the storm goes on, and stops a quiet window later", () => {
    expect(stormStep({ recentPosts: [], lastFoldedAt: now - 59_000 }, now, policy)).toBe("fold");
    expect(stormStep({ recentPosts: [], lastFoldedAt: now - 60_000 }, now, policy)).toBe("single");
  });
});

describe("summarizeStorm", () => {
  const at = (s: number) => new Date(now + s * 1_000);
  const alerts: StormAlert[] = [
    { id: "a", title: "disk", severity: "low", service: "db", firedAt: at(1) },
    { id: "b", title: "cpu", severity: "critical", service: "api", firedAt: at(2) },
    { id: "c", title: "mem", severity: "high", service: "api", firedAt: at(3) },
    { id: "d", title: "5xx", severity: "critical", service: "api", firedAt: at(4) },
    { id: "e", title: "lag", severity: "medium", service: "", firedAt: at(0) },
  ];

  it("counts by severity (most severe first) and by service (largest first)", () => {
    const summary = summarizeStorm(alerts, policy.topK);
    expect(summary?.total).toBe(5);
    expect(summary?.bySeverity).toEqual([
      { severity: "critical", count: 2 },
      { severity: "high", count: 1 },
      { severity: "medium", count: 1 },
      { severity: "low", count: 1 },
    ]);
    expect(summary?.byService).toEqual([
      { service: "api", count: 3 },
      { service: "", count: 1 },
      { service: "db", count: 1 },
    ]);
  });

  it("lists the top alerts by severity, then most recent first, and the storm's span", () => {
    const summary = summarizeStorm(alerts, policy.topK);
    expect(summary?.top.map((a) => a.id)).toEqual(["d", "b", "c"]);
    expect(summary?.firstAt).toEqual(at(0));
    expect(summary?.lastAt).toEqual(at(4));
  });

  it("has nothing to say about no alerts", () => {
    expect(summarizeStorm([], 3)).toBeUndefined();
  });

  it("folds batches into a running summary that equals summarising them all at once", () => {
    let running: ReturnType<typeof summarizeStorm>;
    for (const batch of [alerts.slice(0, 2), [], alerts.slice(2, 3), alerts.slice(3)])
      running = foldIntoStorm(running, batch, policy.topK);
    expect(running).toEqual(summarizeStorm(alerts, policy.topK));
  });

  it("stays small however long the storm: past its services limit the rest count together", () => {
    const many: StormAlert[] = Array.from({ length: MAX_STORM_SERVICES + 30 }, (_, i) => ({
      id: `s${i}`,
      title: "t",
      severity: "low",
      service: `svc${i}`,
      firedAt: at(i),
    }));
    let running = foldIntoStorm(undefined, many, policy.topK);
    running = foldIntoStorm(running, many.slice(0, 10), policy.topK);
    expect(running?.total).toBe(many.length + 10);
    expect(running?.byService).toHaveLength(MAX_STORM_SERVICES);
    expect(running?.otherServices).toBe(30);
    expect(running?.top).toHaveLength(policy.topK);
  });
});
