import { describe, expect, it } from "vitest";
import { nextSendAt, retryDelayMs } from "../../src/domain/delivery-pacing.ts";

const policy = { baseMs: 1_000, capMs: 60_000 };

describe("retryDelayMs", () => {
  it("doubles per attempt, jittered into the upper half of the step", () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, () => 1, 0, policy))).toEqual([
      1_000, 2_000, 4_000, 8_000,
    ]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, () => 0, 0, policy))).toEqual([500, 1_000, 2_000, 4_000]);
  });

  it("stops growing at the cap", () => {
    expect(retryDelayMs(30, () => 1, 0, policy)).toBe(60_000);
  });

  it("never retries sooner than a Retry-After", () => {
    expect(retryDelayMs(1, () => 0, 5_000, policy)).toBe(5_000);
    expect(retryDelayMs(5, () => 1, 5_000, policy)).toBe(16_000);
  });
});

describe("nextSendAt", () => {
  const now = 100_000;

  it("is now for a channel that has not been sent to", () => {
    expect(nextSendAt({}, now)).toBe(now);
  });

  it("keeps a second between two messages of one channel", () => {
    expect(nextSendAt({ lastSentAt: now - 300 }, now)).toBe(now + 700);
    expect(nextSendAt({ lastSentAt: now - 5_000 }, now)).toBe(now);
  });

  it("waits out a rate-limit pause", () => {
    expect(nextSendAt({ lastSentAt: now - 5_000, pausedUntil: now + 2_000 }, now)).toBe(now + 2_000);
  });
});
