import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlertDriver, L1, L2, startAlertingApp } from "../support/alert-driver.ts";
import type { TestApp } from "../support/test-app.ts";

// The app's own embedded FerretDB (not the run's shared server), killed with SIGKILL while alerts arrive
// and escalation steps are due. The supervisor restarts it on the same port and data; the driver reconnects.

const BEFORE = ["early-1", "early-2", "early-3", "early-4"];
const DURING = Array.from({ length: 12 }, (_, i) => `during-${i + 1}`);

/** Waits (in real time: a process restarting is not on the test's clock) until `probe` holds. */
async function until(probe: () => Promise<boolean> | boolean, what: string, limitMs = 60_000) {
  const deadline = Date.now() + limitMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the embedded database killed while alerts arrive and escalation steps are due", () => {
  let t: TestApp;
  let alerts: AlertDriver;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "firebreak-db-faults-"));
    t = await startAlertingApp({ embeddedDataDir: dataDir });
    alerts = new AlertDriver(t);
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const readiness = async () => (await fetch(`${t.url}/readyz`)).status;
  const db = () => t.firebreak.embeddedDb ?? expect.fail("the app runs no embedded database");
  const stored = async (fingerprint: string) =>
    t.firebreak.store.models.alerts.find({ fingerprint }, { fingerprint: 1, fired: 1, message: 1 }).lean();

  it("answers 503 while it is down, restarts it, keeps every accepted alert and fires each due step once", async () => {
    for (const fingerprint of BEFORE) expect((await alerts.fire(fingerprint)).status).toBe(202);
    await alerts.deliver();
    expect(alerts.pagesTo(L1)).toHaveLength(BEFORE.length);
    // Their second level is due now, and stays due through the outage.
    t.clock.advance(15 * 60_000);

    const statuses = new Map<string, number>();
    const send = async (fingerprint: string) =>
      statuses.set(fingerprint, (await alerts.fire(fingerprint)).status);
    const pairs = Array.from({ length: DURING.length / 2 }, (_, i) => DURING.slice(2 * i, 2 * i + 2));
    for (const [index, pair] of pairs.entries()) {
      if (index === 2) {
        const pid = db().pid() ?? expect.fail("FerretDB has no pid");
        process.kill(pid, "SIGKILL");
        await until(() => !db().isUp(), "the supervisor to see FerretDB die", 10_000);
        // Inside the restart's backoff: not ready, and a webhook is refused with a reason at once.
        expect(await readiness()).toBe(503);
        const refused = await alerts.fire("while-down");
        expect(refused).toEqual({
          status: 503,
          body: { error: expect.stringMatching(/retry later/), ref: expect.stringMatching(/^\S+$/) },
        });
        statuses.set("while-down", refused.status);
      }
      await Promise.all(pair.map(send));
    }
    expect([...statuses.values()].every((status) => status === 202 || status === 503)).toBe(true);
    expect([...statuses.values()]).toContain(503);

    await until(async () => (await readiness()) === 200, "/readyz to answer 200 again");
    expect(db().isUp()).toBe(true);
    // The senders retry what was refused (Alertmanager and Grafana retry on 5xx).
    for (const [fingerprint, status] of statuses)
      if (status !== 202) expect((await alerts.fire(fingerprint)).status).toBe(202);

    // Every alert that got 202 exists, once.
    for (const fingerprint of [...BEFORE, ...statuses.keys()])
      expect(await stored(fingerprint)).toHaveLength(1);

    await alerts.deliver();
    // The steps due during the outage fired once each: one page to L2 per early alert, none twice.
    for (const fingerprint of BEFORE) {
      const [alert] = await stored(fingerprint);
      expect(alert?.fired.map((f) => f.step)).toEqual([0, 1]);
    }
    expect(alerts.pagesTo(L2)).toHaveLength(BEFORE.length);
    for (const fingerprint of BEFORE)
      expect(alerts.pagesTo(L2).filter((c) => String(c.args.text).includes(fingerprint))).toHaveLength(1);
    // The alerts taken around the outage were each paged at their first level once.
    for (const fingerprint of statuses.keys()) {
      const [alert] = await stored(fingerprint);
      expect(alert?.fired.map((f) => f.step)).toEqual([0]);
    }

    const died = t.logs.find((line) => String(line.msg).includes("embedded database stopped unexpectedly"));
    expect(died).toMatchObject({ level: 50, ref: expect.stringMatching(/^[A-Z2-9]{6}$/), signal: "SIGKILL" });
    expect(t.logs.some((line) => String(line.msg).includes("embedded database is back"))).toBe(true);
  }, 120_000);
});
