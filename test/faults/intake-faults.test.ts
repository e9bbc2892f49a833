import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordFiring } from "../../src/store/alert-firings.ts";
import { openKey } from "../../src/store/alert-pointers.ts";
import { releaseClaim } from "../../src/store/claims.ts";
import { firing } from "../store/fixtures.ts";
import { ALERTS, AlertDriver, L1, startAlertingApp } from "../support/alert-driver.ts";
import type { TestApp } from "../support/test-app.ts";

describe("an alert whose first firing died before writing its pointer", () => {
  let t: TestApp;
  let alerts: AlertDriver;
  beforeAll(async () => {
    t = await startAlertingApp();
    alerts = new AlertDriver(t);
  });
  afterAll(() => t.stop());

  it("is counted and posted once, its page sent again, when its work was queued and the sender fires again", async () => {
    expect((await alerts.fire("half-open")).status).toBe(202);
    await alerts.deliver();
    // What a process (or database) dying after queueing a new alert's work, before its pointer, leaves.
    expect(await releaseClaim(t.firebreak.store.models, openKey("generic", "half-open"))).toBe(true);

    expect((await alerts.fire("half-open")).status).toBe(202);
    expect((await alerts.fire("half-open")).status).toBe(202);

    const stored = await t.firebreak.store.models.alerts.find({ fingerprint: "half-open" }).lean();
    expect(stored.map((alert) => alert.fireCount)).toEqual([3]);
    await alerts.deliver();
    const posts = t.slack.callsToChannel("chat.postMessage", ALERTS).filter((c) => c.ok && !c.args.thread_ts);
    expect(posts.filter((c) => String(c.args.text).includes("half-open"))).toHaveLength(1);
    // Its first page is queued again with its post, and goes out again: whether it went is not recorded,
    // and a page sent twice is better than none (docs/database.md, "Alert intake").
    expect(alerts.pagesTo(L1)).toHaveLength(2);
  });

  it("is posted once when it was stored but its Slack work never queued, and the sender retries", async () => {
    // What a process (or database) dying between storing a new alert and queueing its post leaves.
    const policy = {
      id: "default",
      name: "Default",
      levels: [{ afterMinutes: 0, targets: [{ kind: "user" as const, userId: L1 }] }],
      repeat: 0,
      repeatAfterMinutes: 0,
    };
    await expect(
      recordFiring(
        t.firebreak.store.models,
        { ...firing("stored-only"), title: "Checkout errors stored-only" },
        {
          now: t.clock.now(),
          paging: true,
          policy,
          firstStepNow: true,
          queueWork: () => Promise.reject(new Error("the database went away")),
        },
      ),
    ).rejects.toThrow("the database went away");
    expect(await t.firebreak.store.models.alerts.countDocuments({ fingerprint: "stored-only" })).toBe(1);
    const pagesBefore = alerts.pagesTo(L1).length;

    expect((await alerts.fire("stored-only")).status).toBe(202);
    expect((await alerts.fire("stored-only")).status).toBe(202);
    await alerts.deliver();
    const posts = t.slack
      .callsToChannel("chat.postMessage", ALERTS)
      .filter((c) => c.ok && !c.args.thread_ts && String(c.args.text).includes("stored-only"));
    expect(posts).toHaveLength(1);
    expect(alerts.pagesTo(L1).length).toBe(pagesBefore + 1);
    expect(await t.firebreak.store.models.alerts.countDocuments({ fingerprint: "stored-only" })).toBe(1);
  });
});
