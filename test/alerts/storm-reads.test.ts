import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, inject, it } from "vitest";
import { ALERTS, AlertDriver, L1, startAlertingApp } from "../support/alert-driver.ts";
import type { TestApp } from "../support/test-app.ts";

// Scale without timing: a storm's summaries are edited in place pass after pass, and each edit must cost
// the alerts it adds, not every alert folded so far (which made a storm of n alerts cost n² reads). The
// commands the app sends are recorded with the driver's command monitoring.

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop();
});

/** The run's server URI for `dbName`, with command monitoring on. */
function monitoredUri(dbName: string): string {
  const [base = "", query] = inject("mongoUri").split("?");
  const host = base.replace(/^(mongodb(?:\+srv)?:\/\/[^/]+).*$/, "$1");
  return `${host}/${dbName}?${query ? `${query}&` : ""}monitorCommands=true`;
}

describe("a storm's cost grows with its alerts, not with their square", () => {
  it("reads each alert a bounded number of times while 100 alerts in 10 s fold into a channel and a DM", async () => {
    const dbName = `app_${randomBytes(6).toString("hex")}`;
    const t = await startAlertingApp({ dbName, env: { MONGODB_URI: monitoredUri(dbName) } });
    apps.push(t);
    const alerts = new AlertDriver(t);
    let alertReads = 0;
    t.firebreak.store.connection.getClient().on("commandStarted", (event) => {
      if (event.commandName === "find" && event.command.find === "alerts") alertReads++;
    });

    const total = 100;
    for (let second = 0; second < 10; second++) {
      for (let i = 0; i < total / 10; i++)
        expect((await alerts.fire(`storm-${second}-${i}`, { severity: "high" })).status).toBe(202);
      await t.firebreak.poller.tick();
      t.clock.advance(1_000);
    }
    await alerts.deliver();

    const summary = t.slack.state.messages[ALERTS]?.find((m) => m.text?.includes("Alert storm"));
    expect(summary?.text).toContain("Alert storm:");
    expect(alerts.pagesTo(L1).some((c) => String(c.args.text).includes("You are paged for"))).toBe(true);
    // No read per alert: a post's and a page's items carry what the summaries show, and the pending pages
    // are of open alerts (acknowledging takes them off the queue). The first few posted and paged on their
    // own are read whole (5 + 5); each edit of the DM summary reads the state of its named alerts again
    // (5): 33 here. Checking every paged alert's state took 125; reading each folded alert whole, 220.
    expect(alertReads).toBeLessThanOrEqual(2 * 5 + 5 * 10);
  }, 120_000);
});
