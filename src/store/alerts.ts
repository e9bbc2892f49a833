import { type Connection, isObjectIdOrHexString, type Model, Schema, type Types } from "mongoose";
import {
  ALERT_SEVERITIES,
  type AlertLink,
  type AlertState,
  type EscalationPolicy,
  type IncomingAlert,
  type Label,
} from "../domain/alert.ts";
import type { MessageRef } from "../domain/incident.ts";
import { syncArmed } from "./armed-alerts.ts";
import { mapLimited, PAGE_READS } from "./parallel.ts";
import { type AlertEvent, noteAlertEvent } from "./report-rollups.ts";
import { serialised } from "./serial.ts";
import { sharedRead } from "./shared-reads.ts";
import type { Models } from "./store.ts";

/** A step of an alert's escalation that has fired: whom it paged, and how late (when the bot was down). */
export interface FiredStep {
  step: number;
  at: Date;
  paged: string[];
  lateMs?: number;
  /** "escalate now" by a person, rather than the timer. */
  manualBy?: string;
}

export interface Alert {
  id: string;
  source: string;
  fingerprint: string;
  state: AlertState;
  title: string;
  severity: IncomingAlert["severity"];
  service: string;
  description: string;
  links: AlertLink[];
  labels: Label[];
  annotations: Label[];
  firstFiredAt: Date;
  lastFiredAt: Date;
  fireCount: number;
  acknowledgedAt?: Date;
  acknowledgedBy?: string;
  resolvedAt?: Date;
  /** A person, or the source when it sent `resolved`. */
  resolvedBy?: string;
  message?: MessageRef;
  /** Where pages are announced when the alert has no message of its own: an incident's kickoff. */
  thread?: MessageRef;
  incidentNumber?: number;
  /** Set when this escalation is an unacknowledged incident's rather than a monitoring alert's. */
  incidentId?: string;
  /** Pages people at all (by severity routing); a non-paging alert is only posted. */
  paging: boolean;
  policy: EscalationPolicy;
  /** The next step to fire; with `nextDueAt`, the durable timer (the database is the clock). */
  nextStep: number;
  nextDueAt?: Date;
  fired: FiredStep[];
  /** Held back by a maintenance window of its service: recorded and shown, nobody paged until it ends. */
  suppressedBy?: { windowId: string; title: string };
  /** When its escalation started, when later than its first firing (paged at a maintenance window's end). */
  escalatesFrom?: Date;
}

/** The instant an alert's escalation levels count from. */
export const escalationStart = (alert: Pick<Alert, "firstFiredAt" | "escalatesFrom">): Date =>
  alert.escalatesFrom ?? alert.firstFiredAt;

export type AlertDoc = Omit<Alert, "id"> & {
  /**
   * While the alert is not resolved: its source and fingerprint's open key (src/store/alert-firings.ts),
   * unique, so a second alert opened under them is refused by the insert itself. Unset when it is resolved.
   */
  openUnder?: string;
};
export type AlertRecord = AlertDoc & { _id: Types.ObjectId };

const labelSchema = new Schema<Label>({ name: String, value: String }, { _id: false });
const alertSchema = new Schema<AlertDoc>(
  {
    source: { type: String, required: true },
    fingerprint: { type: String, required: true },
    state: { type: String, enum: ["open", "acknowledged", "resolved"], required: true },
    title: { type: String, required: true },
    severity: { type: String, enum: ALERT_SEVERITIES, required: true },
    service: { type: String, default: "" },
    description: { type: String, default: "" },
    links: [new Schema<AlertLink>({ title: String, url: String }, { _id: false })],
    labels: [labelSchema],
    annotations: [labelSchema],
    firstFiredAt: { type: Date, required: true },
    lastFiredAt: { type: Date, required: true },
    fireCount: { type: Number, required: true },
    acknowledgedAt: Date,
    acknowledgedBy: String,
    resolvedAt: Date,
    resolvedBy: String,
    message: new Schema<MessageRef>({ channelId: String, ts: String }, { _id: false }),
    thread: new Schema<MessageRef>({ channelId: String, ts: String }, { _id: false }),
    incidentNumber: Number,
    incidentId: String,
    paging: { type: Boolean, required: true },
    // A snapshot: changing the configured policy later does not rewrite the plan of an alert in flight.
    policy: { type: Schema.Types.Mixed, required: true },
    nextStep: { type: Number, required: true },
    nextDueAt: Date,
    fired: [
      new Schema<FiredStep>(
        { step: Number, at: Date, paged: [String], lateMs: Number, manualBy: String },
        { _id: false },
      ),
    ],
    suppressedBy: new Schema({ windowId: String, title: String }, { _id: false }),
    escalatesFrom: Date,
    openUnder: String,
  },
  { versionKey: false, minimize: false },
);
// Sparse, as resolved alerts have none: MongoDB needs the option, FerretDB drops it but its SQLite index
// ignores absent fields anyway (see incidentSchema's channelId); so openUnder is only ever set or $unset.
alertSchema.index({ openUnder: 1 }, { unique: true, sparse: true });
// No other secondary index: every other read of an alert is by `_id` (the escalation timer reads
// armed_alerts), and each index costs every insert and update (on FerretDB, one more parse of its JSON).

export function alertModel(connection: Connection): Model<AlertDoc> {
  return connection.model<AlertDoc>("Alert", alertSchema, "alerts");
}

export const lockKey = (id: string) => `alerts:${id}`;

export function toAlert({ _id, openUnder, ...fields }: AlertRecord): Alert {
  return { ...fields, id: _id.toString() };
}

export async function getAlert(models: Models, id: string): Promise<Alert | undefined> {
  if (!isObjectIdOrHexString(id)) return undefined;
  const doc = await sharedRead(models.alerts, id, () => models.alerts.findById(id).lean());
  return doc ? toAlert(doc as AlertRecord) : undefined;
}

/** The alerts that still exist of `ids`, in order: `_id` lookups a few at a time, as `$in` would scan. */
export async function getAlerts(models: Models, ids: readonly string[]): Promise<Alert[]> {
  const alerts = await mapLimited([...ids], PAGE_READS, (id) => getAlert(models, id));
  return alerts.filter((alert) => alert !== undefined);
}

/**
 * Which of `ids` are alerts still open: `_id` reads a few at a time, of the state alone (a storm's page fold
 * checks every paged alert, and the whole alert would be read and sent for one field).
 */
export async function openAlertIds(models: Models, ids: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(ids)].filter((id) => isObjectIdOrHexString(id));
  const docs = await mapLimited(unique, PAGE_READS, (id) => models.alerts.findById(id, { state: 1 }).lean());
  return new Set(unique.filter((_, i) => docs[i]?.state === "open"));
}

/** `openUnder: undefined` frees the alert's source and fingerprint for a new alert (on its resolve). */
export type AlertPatch = Partial<Omit<Alert, "id" | "source" | "fingerprint">> & { openUnder?: undefined };

/** Sets and unsets just the patched fields (one writer at a time per alert: no field is lost). */
export async function updateAlert(models: Models, id: string, patch: AlertPatch): Promise<Alert | undefined> {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, 1> = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) $unset[field] = 1;
    else $set[field] = value;
  }
  const update = {
    ...(Object.keys($set).length > 0 && { $set }),
    ...(Object.keys($unset).length > 0 && { $unset }),
  };
  const written = await writeAlert(models, id, update, "state" in patch || "nextDueAt" in patch);
  if (written && patch.acknowledgedAt)
    await noteForReports(models, written, patch.acknowledgedAt, {
      kind: "acknowledged",
      afterMs: patch.acknowledgedAt.getTime() - written.firstFiredAt.getTime(),
    });
  return written;
}

/** Report roll-ups count monitoring alerts; an incident's own escalation is counted with the incident. */
export function noteForReports(models: Models, alert: Pick<Alert, "source">, at: Date, event: AlertEvent) {
  return alert.source === INCIDENT_SOURCE ? Promise.resolve() : noteAlertEvent(models, at, event);
}

/** The source of the escalations that unacknowledged incidents run (src/alerts/incident-escalation.ts). */
export const INCIDENT_SOURCE = "incident";

/**
 * Records a fired escalation step in one write by `_id`: appends it to `fired` ($push, so a concurrent
 * change of another field or another step survives), moves `nextStep` on and re-arms the timer. An
 * acknowledgement that raced the step wins: if the alert read back is no longer open, the timer is taken off
 * again (a guard in the filter, `{ _id, state: "open" }`, would make FerretDB scan every alert).
 */
export async function appendFiredStep(
  models: Models,
  id: string,
  fired: FiredStep,
  next: { nextStep: number; nextDueAt?: Date },
): Promise<Alert | undefined> {
  if (!isObjectIdOrHexString(id)) return undefined;
  return serialised(lockKey(id), async () => {
    const { nextStep, nextDueAt } = next;
    const timer = nextDueAt
      ? { $set: { nextStep, nextDueAt } }
      : { $set: { nextStep }, $unset: { nextDueAt: 1 } };
    let doc = await models.alerts
      .findOneAndUpdate({ _id: id }, { $push: { fired }, ...timer }, { returnDocument: "after" })
      .lean();
    if (doc && doc.state !== "open" && doc.nextDueAt) {
      doc = await models.alerts
        .findOneAndUpdate({ _id: id }, { $unset: { nextDueAt: 1 } }, { returnDocument: "after" })
        .lean();
    }
    if (!doc) return undefined;
    const alert = toAlert(doc as AlertRecord);
    await syncArmed(models, alert);
    // Past its first level once: step numbers only grow, and each step's slot is claimed once.
    if (fired.step === 1) await noteForReports(models, alert, fired.at, { kind: "escalated" });
    return alert;
  });
}

/** One queued write; the timer entry is brought in step only when the write may have moved it. */
async function writeAlert(
  models: Models,
  id: string,
  update: Record<string, unknown>,
  movesTimer: boolean,
): Promise<Alert | undefined> {
  if (!isObjectIdOrHexString(id)) return undefined;
  return serialised(lockKey(id), async () => {
    const doc = await models.alerts.findByIdAndUpdate(id, update, { returnDocument: "after" }).lean();
    if (!doc) return undefined;
    const alert = toAlert(doc as AlertRecord);
    if (movesTimer) await syncArmed(models, alert);
    return alert;
  });
}

/**
 * The alerts of due timer entries that are open with a step due, read by `_id` (re-checked: the alert is the
 * truth); an entry whose alert does not exist is taken out.
 */
export async function readDueAlerts(models: Models, ids: readonly string[], now: Date): Promise<Alert[]> {
  const docs = await mapLimited([...ids], PAGE_READS, (id) => models.alerts.findById(id).lean());
  const orphans = ids.filter((_, i) => !docs[i]);
  await Promise.all(orphans.map((id) => models.armedAlerts.deleteOne({ _id: id })));
  return docs
    .filter((doc) => doc?.state === "open" && doc.nextDueAt !== undefined && doc.nextDueAt <= now)
    .map((doc) => toAlert(doc as AlertRecord));
}
