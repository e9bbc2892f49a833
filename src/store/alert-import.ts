import { Types } from "mongoose";
import { openKey } from "./alert-pointers.ts";
import { type AlertDoc, INCIDENT_SOURCE } from "./alerts.ts";
import { type ImportedAlertEvent, importAlertRollups } from "./report-rollups.ts";
import type { Models } from "./store.ts";

/**
 * Bulk-inserts alerts with the open keys, pointers and timer entries the store reads them by (for bulk loads:
 * the bench's year of data, a migration). At most one unresolved alert per source and fingerprint.
 */
export async function importAlerts(models: Models, alerts: AlertDoc[]): Promise<string[]> {
  const docs = alerts.map((alert) => ({
    ...alert,
    _id: new Types.ObjectId(),
    ...(alert.state !== "resolved" && { openUnder: openKey(alert.source, alert.fingerprint) }),
  }));
  await models.alerts.insertMany(docs, { ordered: false, lean: true });
  const open = docs.filter((doc) => doc.state !== "resolved");
  const at = new Date();
  const claims = open.map((doc) => ({
    _id: openKey(doc.source, doc.fingerprint),
    at,
    meta: { alertId: doc._id.toString() },
  }));
  if (claims.length > 0) await models.claims.insertMany(claims, { ordered: false, lean: true });
  const armed = open
    .filter((doc) => doc.state === "open" && doc.nextDueAt)
    .map((doc) => ({ _id: doc._id.toString(), dueAt: doc.nextDueAt as Date }));
  if (armed.length > 0) await models.armedAlerts.insertMany(armed, { ordered: false, lean: true });
  await importAlertRollups(models, docs.filter((doc) => doc.source !== INCIDENT_SOURCE).flatMap(alertEvents));
  return docs.map((doc) => doc._id.toString());
}

/** What an imported alert's history counts in the report roll-ups. */
function alertEvents(doc: AlertDoc): ImportedAlertEvent[] {
  const events: ImportedAlertEvent[] = [
    { at: doc.firstFiredAt, event: { kind: "received", source: doc.source, service: doc.service } },
  ];
  if (doc.acknowledgedAt) {
    const afterMs = doc.acknowledgedAt.getTime() - doc.firstFiredAt.getTime();
    events.push({ at: doc.acknowledgedAt, event: { kind: "acknowledged", afterMs } });
  }
  const escalated = doc.fired.find((step) => step.step === 1);
  if (escalated) events.push({ at: escalated.at, event: { kind: "escalated" } });
  if (doc.resolvedAt && doc.resolvedBy === doc.source)
    events.push({ at: doc.resolvedAt, event: { kind: "autoResolved" } });
  return events;
}
