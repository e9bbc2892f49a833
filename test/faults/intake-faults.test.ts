import { Types } from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openKey } from "../../src/store/alerts.ts";
import { claimOnce } from "../../src/store/claims.ts";
import { AlertDriver, WEBHOOK_SECRET } from "../support/alert-driver.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const L1 = "U0LEVEL1";
const CHANNEL = "C0ALERTS";

describe("an alert whose first firing died between its claim and its insert", () => {
  let t: TestApp;
  let alerts: AlertDriver;
  beforeAll(async () => {
    t = await startTestApp({
      env: {
        ALERTS_CHANNEL: CHANNEL,
        ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
        ESCALATION_POLICY: JSON.stringify({ levels: [{ afterMinutes: 0, targets: [L1] }] }),
      },
    });
    await t.firebreak.poller.stop();
    t.slack.addUser({ id: L1 });
    t.slack.addChannel({ id: CHANNEL, name: "alerts", members: [t.slack.state.bot.user_id] });
    alerts = new AlertDriver(t);
  });
  afterAll(() => t.stop());

  it("is stored, posted and paged once when the sender retries the 503 it got", async () => {
    // What a process (or database) dying after the fingerprint's claim and before the alert's insert leaves.
    const claimedId = new Types.ObjectId().toString();
    expect(
      await claimOnce(t.firebreak.store.models, openKey("generic", "half-open"), { alertId: claimedId }),
    ).toBe(true);

    expect((await alerts.fire("half-open")).status).toBe(202);
    expect((await alerts.fire("half-open")).status).toBe(202);

    const stored = await t.firebreak.store.models.alerts.find({ fingerprint: "half-open" }).lean();
    expect(stored.map((alert) => [alert._id.toString(), alert.fireCount])).toEqual([[claimedId, 2]]);
    await alerts.deliver();
    const posts = t.slack
      .callsToChannel("chat.postMessage", CHANNEL)
      .filter((c) => c.ok && !c.args.thread_ts);
    expect(posts.filter((c) => String(c.args.text).includes("half-open"))).toHaveLength(1);
    expect(alerts.pagesTo(L1)).toHaveLength(1);
  });
});
