import { type Connection, type Model, Schema } from "mongoose";
import type { AlertState } from "../domain/alert.ts";
import { insertRecord } from "./insert-record.ts";
import type { Models } from "./store.ts";
import { writeById } from "./write-by-id.ts";
import { WriteListeners } from "./write-listeners.ts";

/**
 * The live set of the escalation timer: one document per open alert with a step due (`_id` the alert's id),
 * so the poller scans the alerts in flight, not every alert ever received. Kept in step with the alert by
 * every write of the alert (src/store/alerts.ts, alert-firings.ts); the alert itself stays the truth (the poller re-checks it).
 */
export interface ArmedAlert {
  _id: string;
  dueAt: Date;
}

const armedAlertSchema = new Schema<ArmedAlert>(
  { _id: { type: String, required: true }, dueAt: { type: Date, required: true } },
  { versionKey: false },
);
armedAlertSchema.index({ dueAt: 1 });

export function armedAlertModel(connection: Connection): Model<ArmedAlert> {
  return connection.model<ArmedAlert>("ArmedAlert", armedAlertSchema, "armed_alerts");
}

/** Arms or disarms the timer entry of an alert from what the alert now is. */
export async function syncArmed(
  models: Models,
  alert: { id: string; state: AlertState; nextDueAt?: Date | undefined },
): Promise<void> {
  const dueAt = alert.state === "open" ? alert.nextDueAt : undefined;
  // Batched with other alerts' timer writes (writeById); this alert's writes are queued (serialised).
  await writeById(models.armedAlerts, alert.id, dueAt ? { replace: { dueAt } } : { delete: true });
  if (dueAt) noteArmed(models, alert.id, dueAt);
}

/** A timer armed by this process, as the escalation job hears of it (`onArmed`). */
export interface ArmedTimer {
  id: string;
  dueAt: Date;
}

const armed = new WriteListeners<ArmedTimer>();

/**
 * Hears every timer this process arms on `models` once its entry is written: the escalation job keeps the
 * timers due soon in memory between its scans of the armed set, and adds this process's own at once.
 * Returns the way to stop listening.
 */
export const onArmed = (models: Models, listener: (timer: ArmedTimer) => void) =>
  armed.listen(models, listener);

/** Tells the listeners of a timer armed by a write of its own (a new alert's entry, once the alert is stored). */
export const noteArmed = (models: Models, id: string, dueAt: Date) => armed.tell(models, { id, dueAt });

/** A new alert's timer entry, inserted beside the alert (batched, insertRecord) under the alert's new id. */
export const insertArmed = (models: Models, id: string, dueAt: Date): Promise<void> =>
  insertRecord(models.armedAlerts, { _id: id, dueAt });

/**
 * The timer entries due by `until`, soonest first: the timer's scan, over the armed set only (on FerretDB it
 * reads every entry armed, however few are due).
 */
export async function findDueTimers(models: Models, until: Date, limit: number): Promise<ArmedTimer[]> {
  const armed = await models.armedAlerts
    .find({ dueAt: { $lte: until } })
    .sort({ dueAt: 1 })
    .limit(limit)
    .lean();
  return armed.map((entry) => ({ id: entry._id, dueAt: entry.dueAt }));
}
