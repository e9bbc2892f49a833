import { describe, expect, it } from "vitest";
import { createIncident, updateIncident } from "../../src/store/incidents.ts";
import {
  incidentDayKey,
  noteAlertEvent,
  readAlertTallies,
  readIncidentSnapshots,
} from "../../src/store/report-rollups.ts";
import { useTestDatabase } from "../support/database.ts";
import { minutesAfter, newIncident, T0 } from "./fixtures.ts";

const DAY_MS = 86_400_000;
const around = (days: number) => ({
  from: new Date(T0.getTime() - days * DAY_MS),
  to: new Date(T0.getTime() + days * DAY_MS),
});

describe("report roll-ups", () => {
  const db = useTestDatabase();
  const models = () => db.store().models;

  it("counts every one of 60 concurrent alert events in one hour, dotted names included", async () => {
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        noteAlertEvent(models(), minutesAfter(i % 50), {
          kind: "received",
          source: i % 2 ? "grafana" : "generic",
          service: i % 3 ? "api.v2" : "$checkout",
        }),
      ),
    );
    await Promise.all(
      Array.from({ length: 20 }, () =>
        noteAlertEvent(models(), minutesAfter(5), { kind: "acknowledged", afterMs: 90_000 }),
      ),
    );
    const tallies = await readAlertTallies(models(), around(1));
    const sum = (pick: (t: (typeof tallies)[number]) => number) => tallies.reduce((n, t) => n + pick(t), 0);
    expect(sum((t) => t.received)).toBe(60);
    expect(sum((t) => t.acknowledged)).toBe(20);
    expect(sum((t) => t.acknowledgeMs)).toBe(20 * 90_000);
    expect(sum((t) => t.sources.grafana ?? 0)).toBe(30);
    expect(sum((t) => t.services["api.v2"] ?? 0)).toBe(40);
    expect(sum((t) => t.services.$checkout ?? 0)).toBe(20);
    // Counted by whole UTC hours: the hour 12:00–12:59 is inside a window from 12:00, not one from 12:01.
    expect(await readAlertTallies(models(), { from: T0, to: minutesAfter(60) })).toHaveLength(1);
    expect(await readAlertTallies(models(), { from: minutesAfter(1), to: minutesAfter(120) })).toHaveLength(
      0,
    );
  });

  it("keeps each incident's snapshot of its latest event, whichever day it fell on", async () => {
    const { incident } = await createIncident(models(), newIncident("TROLL", { declaredAt: T0 }));
    const nextDay = new Date(T0.getTime() + DAY_MS);
    await updateIncident(models(), incident.id, { acknowledgedAt: minutesAfter(10) });
    await updateIncident(models(), incident.id, {
      status: "resolved",
      resolvedAt: nextDay,
      severity: "sev1",
    });
    const day = await models().reportRollups.findById(incidentDayKey("TROLL", T0)).lean();
    expect(Object.keys(day?.incidents ?? {})).toEqual([incident.id]);
    const [snapshot, ...others] = await readIncidentSnapshots(models(), "TROLL", around(3));
    expect(others).toEqual([]);
    expect(snapshot).toMatchObject({
      id: incident.id,
      number: incident.number,
      severity: "sev1",
      declaredAt: T0,
      acknowledgedAt: minutesAfter(10),
      resolvedAt: nextDay,
    });
    // The day of the declaration alone still has the incident as it was acknowledged.
    const [first] = await readIncidentSnapshots(models(), "TROLL", { from: T0, to: minutesAfter(60) });
    expect(first).toMatchObject({ acknowledgedAt: minutesAfter(10), severity: incident.severity });
    expect(first?.resolvedAt).toBeUndefined();
  });
});
