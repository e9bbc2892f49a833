import { type Connection, isObjectIdOrHexString, type Model, Schema, type Types } from "mongoose";
import {
  ALERT_SEVERITIES,
  type AlertLink,
  type AlertState,
  type EscalationPolicy,
  type IncomingAlert,
  type Label,
} from "../domain/alert.ts";
import { plannedStep } from "../domain/escalation.ts";
import type { MessageRef } from "../domain/incident.ts";
import { pollUntil } from "../poll-until.ts";
import { claimOnce, releaseClaim } from "./claims.ts";
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
}

type AlertDoc = Omit<Alert, "id">;
type AlertRecord = AlertDoc & { _id: Types.ObjectId };

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
  },
  { versionKey: false, minimize: false },
);
alertSchema.index({ source: 1, fingerprint: 1, state: 1 });
// The timer query: due steps of open alerts, soonest first.
alertSchema.index({ nextDueAt: 1 });

export function alertModel(connection: Connection): Model<AlertDoc> {
  return connection.model<AlertDoc>("Alert", alertSchema, "alerts");
}

function toAlert({ _id, ...fields }: AlertRecord): Alert {
  return { ...fields, id: _id.toString() };
}

/** While an alert is open, its fingerprint is claimed: concurrent firings open one alert, not two. */
const openKey = (source: string, fingerprint: string) => `alert-open:${source}:${fingerprint}`;

export type RecordFiring =
  | { kind: "opened"; alert: Alert }
  | { kind: "repeated"; alert: Alert }
  | { kind: "resolved"; alert: Alert }
  | { kind: "ignored"; reason: string };

/**
 * Records one notification: a first firing opens an alert with its escalation armed, a repeat bumps the
 * counter of the open one, a `resolved` closes it and disarms the timer.
 * The counter is a read-modify-write, so on FerretDB v1 two repeats at the same instant may count once.
 */
export async function recordFiring(
  models: Models,
  incoming: IncomingAlert,
  context: {
    now: Date;
    paging: boolean;
    policy: EscalationPolicy;
    incident?: { id: string; number: number; thread?: MessageRef };
  },
): Promise<RecordFiring> {
  const key = openKey(incoming.source, incoming.fingerprint);
  const open = () =>
    models.alerts
      .findOne({ source: incoming.source, fingerprint: incoming.fingerprint, state: { $ne: "resolved" } })
      .lean();
  if (incoming.status === "resolved") {
    const existing = await open();
    if (!existing) return { kind: "ignored", reason: "no open alert with that fingerprint" };
    const resolved = await closeAlert(models, toAlert(existing), { now: context.now, by: incoming.source });
    return resolved ? { kind: "resolved", alert: resolved } : { kind: "ignored", reason: "already resolved" };
  }
  if (await claimOnce(models, key)) {
    const first = context.paging ? plannedStep(context.policy, context.now, 0) : undefined;
    const doc = await models.alerts.create({
      ...incoming,
      state: "open",
      firstFiredAt: context.now,
      lastFiredAt: context.now,
      fireCount: 1,
      paging: context.paging,
      policy: context.policy,
      nextStep: 0,
      nextDueAt: first?.dueAt,
      fired: [],
      ...(context.incident && {
        incidentId: context.incident.id,
        incidentNumber: context.incident.number,
        thread: context.incident.thread,
      }),
    });
    return { kind: "opened", alert: toAlert(doc.toObject() as AlertRecord) };
  }
  // The winner of the claim may still be inserting.
  const existing = await pollUntil(open, (found) => Boolean(found), { attempts: 50, intervalMs: 20 });
  if (existing) {
    const updated = await models.alerts
      .findByIdAndUpdate(
        existing._id,
        { $inc: { fireCount: 1 }, $set: { lastFiredAt: context.now } },
        { returnDocument: "after" },
      )
      .lean();
    return { kind: "repeated", alert: toAlert((updated ?? existing) as AlertRecord) };
  }
  throw new Error(`alert ${incoming.source}/${incoming.fingerprint} is claimed open but never appeared`);
}

export async function getAlert(models: Models, id: string): Promise<Alert | undefined> {
  if (!isObjectIdOrHexString(id)) return undefined;
  const doc = await models.alerts.findById(id).lean();
  return doc ? toAlert(doc as AlertRecord) : undefined;
}

export type AlertPatch = Partial<Omit<Alert, "id" | "source" | "fingerprint">>;

export async function updateAlert(models: Models, id: string, patch: AlertPatch): Promise<Alert | undefined> {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, 1> = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) $unset[field] = 1;
    else $set[field] = value;
  }
  const doc = await models.alerts
    .findByIdAndUpdate(
      id,
      { ...(Object.keys($set).length > 0 && { $set }), ...(Object.keys($unset).length > 0 && { $unset }) },
      { returnDocument: "after" },
    )
    .lean();
  return doc ? toAlert(doc as AlertRecord) : undefined;
}

/** Closes an alert once (a claim), disarms its timer and frees its fingerprint for a new firing. */
export async function closeAlert(
  models: Models,
  alert: Alert,
  by: { now: Date; by: string },
): Promise<Alert | undefined> {
  if (!(await claimOnce(models, `alert-resolve:${alert.id}`))) return undefined;
  const closed = await updateAlert(models, alert.id, {
    state: "resolved",
    resolvedAt: by.now,
    resolvedBy: by.by,
    nextDueAt: undefined,
  });
  await releaseClaim(models, openKey(alert.source, alert.fingerprint));
  return closed;
}

/** Open alerts whose next escalation step is due: the timer's query, soonest first. */
export async function findDueEscalations(models: Models, now: Date, limit: number): Promise<Alert[]> {
  const docs = await models.alerts
    .find({ state: "open", nextDueAt: { $lte: now } })
    .sort({ nextDueAt: 1 })
    .limit(limit)
    .lean();
  return docs.map((doc) => toAlert(doc as AlertRecord));
}

/** The escalation of an incident, while it runs. */
export async function findIncidentEscalation(models: Models, incidentId: string): Promise<Alert | undefined> {
  const doc = await models.alerts
    .findOne({ source: "incident", fingerprint: incidentId, state: "open" })
    .lean();
  return doc ? toAlert(doc as AlertRecord) : undefined;
}
