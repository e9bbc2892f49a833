import { describe, expect, it } from "vitest";
import { enqueueDelivery } from "../../src/store/deliveries.ts";
import { dueWorkBacklog, openIncidentsBySeverity } from "../../src/store/gauges.ts";
import { createIncident, updateIncident } from "../../src/store/incidents.ts";
import { useTestDatabase } from "../support/database.ts";
import { minutesAfter, newIncident, T0 } from "./fixtures.ts";

describe("the figures a metrics scrape reads", () => {
  const db = useTestDatabase();
  const models = () => db.store().models;

  it("counts open incidents by severity from the live set, leaving out resolved ones and drills", async () => {
    const declare = async (overrides: Parameters<typeof newIncident>[1]) =>
      (await createIncident(models(), newIncident("T1", overrides))).incident;
    await declare({ severity: "sev1" });
    await declare({ severity: "sev2" });
    await declare({ severity: "sev2", drill: true });
    const resolved = await declare({ severity: "sev3" });
    await updateIncident(models(), resolved.id, { status: "resolved", resolvedAt: T0 });
    const older = await declare({ severity: "sev4" });
    // A live-set entry written before the live set kept the severity: read from the incident.
    await models().liveIncidents.updateOne({ _id: older.id }, { $unset: { severity: 1 } });

    expect(await openIncidentsBySeverity(models())).toEqual({ sev1: 1, sev2: 1, sev3: 0, sev4: 1 });
  });

  it("counts queued Slack work and escalation steps past their due time, not those still ahead", async () => {
    const queue = (key: string, at: Date) =>
      enqueueDelivery(models(), { key, kind: "post-alert", channel: "C1", at });
    await queue("due", minutesAfter(1));
    await queue("later", minutesAfter(10));
    await models().armedAlerts.collection.insertMany([
      { _id: "a1", dueAt: minutesAfter(2) },
      { _id: "a2", dueAt: minutesAfter(3) },
      { _id: "a3", dueAt: minutesAfter(30) },
    ] as never[]);

    expect(await dueWorkBacklog(models(), minutesAfter(5))).toEqual({ deliveries: 1, escalations: 2 });
    expect(await dueWorkBacklog(models(), T0)).toEqual({ deliveries: 0, escalations: 0 });
  });
});
