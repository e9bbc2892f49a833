import { describe, expect, it } from "vitest";
import { recordFiring } from "../../src/store/alert-firings.ts";
import type { FiredStep } from "../../src/store/alerts.ts";
import { appendFiredStep, getAlert, updateAlert } from "../../src/store/alerts.ts";
import {
  addLinkedNumber,
  createIncident,
  getIncidentById,
  type IncidentPatch,
  updateIncident,
} from "../../src/store/incidents.ts";
import { useTestDatabase } from "../support/database.ts";
import { firing, minutesAfter, newIncident, POLICY, T0 } from "./fixtures.ts";

// FerretDB v1 applies an update as a read and a whole-document write: without the store's per-document
// write queue these concurrent changes overwrite each other there. On MongoDB the operators are atomic.
describe("no lost updates under concurrent changes to one document", () => {
  const db = useTestDatabase();
  const models = () => db.store().models;

  it("keeps all of 50 concurrent changes to one incident: fields, roles, status and linked incidents", async () => {
    const { incident } = await createIncident(models(), newIncident("TLOST"));
    const patches: IncidentPatch[] = [
      { severity: "sev1" },
      { status: "identified" },
      { roles: { commander: "U1", comms: "U9" } },
      { description: "a note" },
      { title: "Checkout is down hard" },
      { rootCause: "a bad deploy" },
      { affectedServices: ["checkout", "payments"] },
      { nextUpdateDueAt: minutesAfter(30) },
      { channelName: "inc-lost" },
      { isPrivate: true },
    ];
    const linked = Array.from({ length: 40 }, (_, i) => 1000 + i);
    await Promise.all([
      ...patches.map((patch) => updateIncident(models(), incident.id, patch)),
      ...linked.map((number) => addLinkedNumber(models(), incident.id, number)),
    ]);
    const stored = await getIncidentById(models(), incident.id);
    expect(stored).toMatchObject(Object.assign({}, ...patches));
    expect([...(stored?.linkedNumbers ?? [])].sort((a, b) => a - b)).toEqual(linked);
  });

  it("adds a linked number once however often it is added", async () => {
    const { incident } = await createIncident(models(), newIncident("TLOST"));
    await Promise.all(Array.from({ length: 10 }, () => addLinkedNumber(models(), incident.id, 7)));
    expect((await getIncidentById(models(), incident.id))?.linkedNumbers).toEqual([7]);
  });

  it("counts 50 concurrent repeat firings of one alert: fireCount 51", async () => {
    const context = { now: T0, paging: true, policy: POLICY };
    const opened = await recordFiring(models(), firing("repeats"), context);
    const repeats = await Promise.all(
      Array.from({ length: 50 }, () => recordFiring(models(), firing("repeats"), context)),
    );
    expect(repeats.every((outcome) => outcome.kind === "repeated")).toBe(true);
    if (opened.kind !== "opened") throw new Error(`expected an opened alert, got ${opened.kind}`);
    expect((await getAlert(models(), opened.alert.id))?.fireCount).toBe(51);
  });

  it("keeps the poster's message and every fired step when both are written at once", async () => {
    const opened = await recordFiring(models(), firing("poster-vs-timer"), {
      now: T0,
      paging: true,
      policy: POLICY,
    });
    if (opened.kind !== "opened") throw new Error(`expected an opened alert, got ${opened.kind}`);
    const id = opened.alert.id;
    const step = (n: number): FiredStep => ({ step: n, at: minutesAfter(n), paged: [`U${n}`] });
    await Promise.all([
      updateAlert(models(), id, { message: { channelId: "C1", ts: "1.1" } }),
      ...Array.from({ length: 20 }, (_, n) =>
        appendFiredStep(models(), id, step(n), { nextStep: n + 1, nextDueAt: minutesAfter(15) }),
      ),
      updateAlert(models(), id, { incidentNumber: 12 }),
    ]);
    const stored = await getAlert(models(), id);
    expect(stored?.message).toEqual({ channelId: "C1", ts: "1.1" });
    expect(stored?.incidentNumber).toBe(12);
    expect(stored?.fired.map((fired) => fired.step).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, n) => n),
    );
  });

  it("does not re-arm an alert acknowledged while its step was being recorded", async () => {
    const opened = await recordFiring(models(), firing("ack-race"), {
      now: T0,
      paging: true,
      policy: POLICY,
    });
    if (opened.kind !== "opened") throw new Error(`expected an opened alert, got ${opened.kind}`);
    const id = opened.alert.id;
    await updateAlert(models(), id, { state: "acknowledged", acknowledgedBy: "U1", nextDueAt: undefined });
    const after = await appendFiredStep(
      models(),
      id,
      { step: 0, at: T0, paged: ["U1"] },
      { nextStep: 1, nextDueAt: minutesAfter(15) },
    );
    expect(after).toMatchObject({ state: "acknowledged", nextStep: 1 });
    expect(after?.nextDueAt).toBeUndefined();
    expect(await models().armedAlerts.countDocuments({ _id: id })).toBe(0);
  });
});
