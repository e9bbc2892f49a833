import { describe, expect, it } from "vitest";
import { recordFiring } from "../../src/store/alert-firings.ts";
import { importAlerts } from "../../src/store/alert-import.ts";
import { openKey } from "../../src/store/alert-pointers.ts";
import { getAlert } from "../../src/store/alerts.ts";
import { releaseClaim } from "../../src/store/claims.ts";
import { useTestDatabase } from "../support/database.ts";
import { firing, POLICY, storedAlert, T0 } from "./fixtures.ts";

/**
 * Repeats of an alert this process opened read its pointer first (a hint kept in the process); every other
 * repeat tries a new alert's insert first, which the alert's unique open key refuses. Both must count each firing once, and a hint gone stale (the
 * alert resolved by another process) must not keep a new firing from opening a new alert.
 */
describe("repeat firings, whichever process opened the alert", () => {
  const db = useTestDatabase();
  const models = () => db.store().models;
  const context = { now: T0, paging: true, policy: POLICY };

  it("counts 20 concurrent repeats of an alert another process opened: fireCount 21", async () => {
    const [id] = await importAlerts(models(), [storedAlert("elsewhere", "Opened elsewhere")]);
    const repeats = await Promise.all(
      Array.from({ length: 20 }, () => recordFiring(models(), firing("elsewhere"), context)),
    );
    expect(repeats.map((r) => r.kind)).toEqual(Array(20).fill("repeated"));
    expect((await getAlert(models(), String(id)))?.fireCount).toBe(21);
  });

  it("has a repeat taken while its first firing's pointer is being written wait for it, and queue nothing", async () => {
    const queued: string[] = [];
    const pointers: Promise<void>[] = [];
    const queueing = {
      ...context,
      queueWork: async (alert: { id: string }) => {
        queued.push(alert.id);
      },
      trailing: (work: Promise<void>) => pointers.push(work),
    };
    const opened = await recordFiring(models(), firing("pointing"), queueing);
    if (opened.kind !== "opened") throw new Error(`expected an opened alert, got ${opened.kind}`);
    // The webhook answers before the pointer is written (src/alerts/intake.ts): a repeat may come in between.
    expect(pointers).toHaveLength(1);
    const repeat = await recordFiring(models(), firing("pointing"), queueing);
    await Promise.all(pointers);
    expect(repeat).toMatchObject({ kind: "repeated", alert: { id: opened.alert.id, fireCount: 2 } });
    expect(queued).toEqual([opened.alert.id]);
  });

  it("refuses a second alert under a fingerprint already open, with no pointer to go by", async () => {
    const opened = await recordFiring(models(), firing("no-pointer"), context);
    if (opened.kind !== "opened") throw new Error(`expected an opened alert, got ${opened.kind}`);
    // What an opener dying before its pointer leaves, seen from a process that did not open it.
    await releaseClaim(models(), openKey("generic", "no-pointer"));
    const doubles = await Promise.all(
      Array.from({ length: 5 }, () => recordFiring(models(), firing("no-pointer"), context)),
    );
    expect(doubles.map((r) => r.kind)).toEqual(Array(5).fill("repeated"));
    expect(await models().alerts.countDocuments({ fingerprint: "no-pointer" })).toBe(1);
    expect((await getAlert(models(), opened.alert.id))?.fireCount).toBe(6);
    expect((await models().claims.findById(openKey("generic", "no-pointer")).lean())?.meta).toEqual({
      alertId: opened.alert.id,
    });
  });

  it("opens a new alert when the one this process opened was resolved by another process", async () => {
    const opened = await recordFiring(models(), firing("stale-hint"), context);
    if (opened.kind !== "opened") throw new Error(`expected an opened alert, got ${opened.kind}`);
    // What another process's resolve leaves: the alert resolved, its fingerprint's claim released.
    await models().alerts.updateOne(
      { _id: opened.alert.id },
      { $set: { state: "resolved" }, $unset: { openUnder: 1 } },
    );
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
