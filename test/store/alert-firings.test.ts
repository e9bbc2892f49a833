import { describe, expect, it } from "vitest";
import { noteAlertWorkQueued, openKey, recordFiring } from "../../src/store/alert-firings.ts";
import { importAlerts } from "../../src/store/alert-import.ts";
import { getAlert } from "../../src/store/alerts.ts";
import { releaseClaim } from "../../src/store/claims.ts";
import { useTestDatabase } from "../support/database.ts";
import { firing, POLICY, T0 } from "./fixtures.ts";

/**
 * Repeats of an alert this process opened read its claim first (a hint kept in the process); every other
 * repeat tries a new alert's claim first. Both must count each firing once, and a hint gone stale (the
 * alert resolved by another process) must not keep a new firing from opening a new alert.
 */
describe("repeat firings, whichever process opened the alert", () => {
  const db = useTestDatabase();
  const models = () => db.store().models;
  const context = { now: T0, paging: true, policy: POLICY };

  it("counts 20 concurrent repeats of an alert another process opened: fireCount 21", async () => {
    const [id] = await importAlerts(models(), [
      {
        source: "generic",
        fingerprint: "elsewhere",
        state: "open",
        title: "Opened elsewhere",
        severity: "high",
        service: "checkout",
        description: "",
        links: [],
        labels: [],
        annotations: [],
        firstFiredAt: T0,
        lastFiredAt: T0,
        fireCount: 1,
        paging: false,
        policy: POLICY,
        nextStep: 0,
        fired: [],
      },
    ]);
    const repeats = await Promise.all(
      Array.from({ length: 20 }, () => recordFiring(models(), firing("elsewhere"), context)),
    );
    expect(repeats.map((r) => r.kind)).toEqual(Array(20).fill("repeated"));
    expect((await getAlert(models(), String(id)))?.fireCount).toBe(21);
  });

  it("has a repeat taken while its first firing's work-queued mark is being written wait for the mark", async () => {
    const opened = await recordFiring(models(), firing("marking"), context);
    if (opened.kind !== "opened") throw new Error(`expected an opened alert, got ${opened.kind}`);
    // The webhook answers before the mark is written (src/alerts/intake.ts): a repeat may come in between,
    // and must not find the work unqueued (it would queue the post and pages a second time).
    const marking = noteAlertWorkQueued(models(), opened.alert);
    const repeat = await recordFiring(models(), firing("marking"), context);
    await marking;
    expect(repeat).toMatchObject({ kind: "repeated", workQueued: true });
  });

  it("opens a new alert when the one this process opened was resolved by another process", async () => {
    const opened = await recordFiring(models(), firing("stale-hint"), context);
    if (opened.kind !== "opened") throw new Error(`expected an opened alert, got ${opened.kind}`);
    // What another process's resolve leaves: the alert resolved, its fingerprint's claim released.
    await models().alerts.updateOne({ _id: opened.alert.id }, { $set: { state: "resolved" } });
    await releaseClaim(models(), openKey("generic", "stale-hint"));

    const again = await recordFiring(models(), firing("stale-hint"), context);
    expect(again.kind).toBe("opened");
    if (again.kind !== "opened") return;
    expect(again.alert.id).not.toBe(opened.alert.id);
    expect((await getAlert(models(), opened.alert.id))?.fireCount).toBe(1);
    expect((await recordFiring(models(), firing("stale-hint"), context)).kind).toBe("repeated");
    expect((await getAlert(models(), again.alert.id))?.fireCount).toBe(2);
  });
});
