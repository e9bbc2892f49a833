import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { isNotModified, Representation, SnapshotCache } from "../../src/http/render-cache.ts";
import { createLogger } from "../../src/logger.ts";
import { TestClock } from "../support/clock.ts";

const logger = createLogger("silent");

function cacheOver(load: () => Promise<{ n: number }>, clock: TestClock) {
  return new SnapshotCache(load, { clock, logger, maxAgeMs: 5_000, waitMs: 1_000 });
}

describe("the status page's cache", () => {
  it("reads at most once per max age, one read shared by every request waiting", async () => {
    const clock = new TestClock();
    let reads = 0;
    const cache = cacheOver(async () => ({ n: ++reads }), clock);
    const first = await Promise.all([cache.get(), cache.get(), cache.get()]);
    expect(first.map((s) => s.n)).toEqual([1, 1, 1]);
    clock.advance(4_999);
    expect((await cache.get()).n).toBe(1);
    clock.advance(1);
    expect((await cache.get()).n).toBe(2);
    expect(reads).toBe(2);
  });

  it("serves the last good data while the database fails, and fresh data once it is back", async () => {
    const clock = new TestClock();
    let down = false;
    let reads = 0;
    const cache = cacheOver(async () => {
      if (down) throw new Error("connection refused");
      return { n: ++reads };
    }, clock);
    expect((await cache.get()).n).toBe(1);
    down = true;
    clock.advance(5_000);
    expect((await cache.get()).n).toBe(1);
    down = false;
    expect((await cache.get()).n).toBe(2);
  });

  it("fails only when there never was good data, with a reference", async () => {
    const cache = cacheOver(() => Promise.reject(new Error("connection refused")), new TestClock());
    await expect(cache.get()).rejects.toMatchObject({ ref: expect.stringMatching(/^[A-Z0-9]{6}$/) });
  });

  it("keeps Last-Modified while the body is unchanged, and honours If-None-Match before If-Modified-Since", () => {
    const clock = new TestClock("2026-11-23T09:00:00.700Z");
    const html = new Representation<{ text: string }>("text/plain", (d) => d.text, clock);
    const a = html.of({ text: "same" });
    clock.advance(60_000);
    const b = html.of({ text: "same" });
    expect(b.etag).toBe(a.etag);
    expect(b.lastModified.toISOString()).toBe("2026-11-23T09:00:00.000Z");
    const c = html.of({ text: "changed" });
    expect(c.etag).not.toBe(a.etag);
    expect(c.lastModified.toISOString()).toBe("2026-11-23T09:01:00.000Z");

    const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
    expect(isNotModified(request({ "if-none-match": c.etag }), c)).toBe(true);
    expect(isNotModified(request({ "if-none-match": `W/${c.etag}, "x"` }), c)).toBe(true);
    expect(isNotModified(request({ "if-none-match": a.etag }), c)).toBe(false);
    const since = c.lastModified.toUTCString();
    expect(isNotModified(request({ "if-modified-since": since }), c)).toBe(true);
    expect(isNotModified(request({ "if-none-match": a.etag, "if-modified-since": since }), c)).toBe(false);
    expect(isNotModified(request({ "if-modified-since": "Mon, 23 Nov 2026 08:59:00 GMT" }), c)).toBe(false);
  });
});
