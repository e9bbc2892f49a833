import { type Connection, isObjectIdOrHexString, type Model, Schema, Types } from "mongoose";
import {
  ALERT_SEVERITIES,
  type AlertLink,
  type AlertState,
  type EscalationPolicy,
  type IncomingAlert,
  type Label,
} from "../domain/alert.ts";
import { type PlannedStep, plannedStep } from "../domain/escalation.ts";
import type { MessageRef } from "../domain/incident.ts";
import { pollUntil } from "../poll-until.ts";
import { insertArmed, noteArmed, syncArmed } from "./armed-alerts.ts";
import { claimOnce, getClaim, releaseClaim } from "./claims.ts";
import { isDuplicateKeyError } from "./errors.ts";
import { insertRecord } from "./insert-record.ts";
import { mapLimited, PAGE_READS } from "./parallel.ts";
import {
  type AlertEvent,
  type ImportedAlertEvent,
  importAlertRollups,
  noteAlertEvent,
} from "./report-rollups.ts";
import { serialised } from "./serial.ts";
import { sharedRead } from "./shared-reads.ts";
import type { Models } from "./store.ts";
import { writeById } from "./write-by-id.ts";

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
    suppressedBy: new Schema({ windowId: String, title: String }, { _id: false }),
    escalatesFrom: Date,
  },
  { versionKey: false, minimize: false },
);
alertSchema.index({ source: 1, fingerprint: 1, state: 1 });
alertSchema.index({ nextDueAt: 1 });

export function alertModel(connection: Connection): Model<AlertDoc> {
  return connection.model<AlertDoc>("Alert", alertSchema, "alerts");
}

const lockKey = (id: string) => `alerts:${id}`;

function toAlert({ _id, ...fields }: AlertRecord): Alert {
  return { ...fields, id: _id.toString() };
}

/** While an alert is open, its fingerprint is claimed: concurrent firings open one alert, not two. */
export const openKey = (source: string, fingerprint: string) => `alert-open:${source}:${fingerprint}`;

export type RecordFiring =
  | { kind: "opened"; alert: Alert }
  /**
   * `workQueued` false: the firing that opened it stored it but died before queueing its Slack work (its
   * sender got a 503 and is retrying): the caller queues that work now, as for a new alert.
   */
  | { kind: "repeated"; alert: Alert; workQueued: boolean }
  | { kind: "resolved"; alert: Alert }
  | { kind: "ignored"; reason: string };

/**
 * The alert open under a fingerprint, by `_id` lookups only: the open claim names the alert (`meta.alertId`).
 * Undefined while the claim's winner is still inserting. A claim taken before claims named their alert is
 * found by the old query (openStore's backfill names the ones it finds).
 */
async function findOpen(
  models: Models,
  source: string,
  fingerprint: string,
): Promise<AlertRecord | undefined> {
  const claim = await getClaim(models, openKey(source, fingerprint));
  if (!claim) return undefined;
  const alertId = claim.meta?.alertId;
  const doc =
    typeof alertId === "string"
      ? await models.alerts.findById(alertId).lean()
      : await models.alerts.findOne({ source, fingerprint, state: { $ne: "resolved" } }).lean();
  return doc && doc.state !== "resolved" ? (doc as AlertRecord) : undefined;
}

/**
 * Open keys this process opened: a repeat of one of them reads its claim first instead of trying the insert
 * of a new alert's claim, which would fail (a command wasted on every repeat). Only a hint: a key closed by
 * another process is found out by the claim read, and the firing then takes the path of a new alert.
 * Bounded; the oldest are forgotten first (their repeats pay the one failed insert).
 */
const openedHere = new Set<string>();
const OPENED_HERE_MAX = 10_000;

function rememberOpened(key: string): void {
  openedHere.add(key);
  if (openedHere.size > OPENED_HERE_MAX) openedHere.delete(openedHere.values().next().value as string);
}

/** Whether this process opened the alert open under the fingerprint, as far as it knows (a hint). */
export const openedHereHint = (source: string, fingerprint: string): boolean =>
  openedHere.has(openKey(source, fingerprint));

/**
 * Counts a repeat of the alert open under a fingerprint in one write by `_id`: the open claim names the
 * alert, and `$inc` returns it as it now is. Undefined when the claim names no alert yet stored (its winner
 * is still inserting) or is gone. A repeat racing the alert's resolve (its claim is released just after
 * the state is written) may count once on the resolved alert; the firing is then told no open alert.
 */
async function countRepeat(
  models: Models,
  key: string,
  now: Date,
): Promise<{ alert: Alert; workQueued: boolean } | undefined> {
  await marksInFlight.get(key)?.catch(() => undefined);
  const meta = (await getClaim(models, key))?.meta;
  const alertId = meta?.alertId;
  if (typeof alertId !== "string") return undefined;
  const doc = await countFiring(models, alertId, now);
  // Claims from before the mark was kept have none: their work was queued with their insert.
  return doc && doc.state !== "resolved"
    ? { alert: toAlert(doc), workQueued: meta?.workQueued !== false }
    : undefined;
}

/** One more firing of an alert, by `_id`; the alert as it now is (undefined when it is not stored). */
const countFiring = (models: Models, id: string, now: Date) =>
  serialised(lockKey(id), async () => {
    const doc = await models.alerts
      .findByIdAndUpdate(
        id,
        { $inc: { fireCount: 1 }, $set: { lastFiredAt: now } },
        { returnDocument: "after" },
      )
      .lean();
    return (doc ?? undefined) as AlertRecord | undefined;
  });

/**
 * Records one notification: a first firing opens an alert with its escalation armed, a repeat bumps the
 * counter of the open one, a `resolved` closes it and disarms the timer. Every lookup is by `_id`: a new
 * alert costs its claim and its inserts, a repeat of an alert this process opened a claim read and one write.
 */
export async function recordFiring(
  models: Models,
  incoming: IncomingAlert,
  context: {
    now: Date;
    paging: boolean;
    policy: EscalationPolicy;
    incident?: { id: string; number: number; thread?: MessageRef };
    /** A maintenance window holds a new alert back: no escalation is armed. */
    suppressedBy?: { windowId: string; title: string };
    /**
     * A new alert's first step, when due at once and naming only people, is recorded as fired in the insert
     * itself (the caller queues its pages) instead of armed for the escalation job to fire a moment later.
     */
    firstStepNow?: boolean;
  },
): Promise<RecordFiring> {
  const { source, fingerprint } = incoming;
  if (incoming.status === "resolved") {
    const existing = await findOpen(models, source, fingerprint);
    if (!existing) return { kind: "ignored", reason: "no open alert with that fingerprint" };
    const resolved = await closeAlert(models, toAlert(existing), { now: context.now, by: source });
    return resolved ? { kind: "resolved", alert: resolved } : { kind: "ignored", reason: "already resolved" };
  }
  const key = openKey(source, fingerprint);
  // Counted at most once by countRepeat: a second try could count a repeat twice on an alert being resolved.
  const hinted = openedHere.has(key);
  if (hinted) {
    const repeated = await countRepeat(models, key, context.now);
    if (repeated) return { kind: "repeated", ...repeated };
    openedHere.delete(key);
  }
  const _id = new Types.ObjectId();
  if (await claimOnce(models, key, { alertId: _id.toString(), workQueued: false })) {
    rememberOpened(key);
    return openAlert(models, incoming, context, _id);
  }
  const repeated = hinted ? undefined : await countRepeat(models, key, context.now);
  if (repeated) return { kind: "repeated", ...repeated };
  // The winner of the claim may still be inserting (or the claim predates claims naming their alert).
  const existing = await pollUntil(
    () => findOpen(models, source, fingerprint),
    (found) => Boolean(found),
    { attempts: 50, intervalMs: 20 },
  );
  if (existing) {
    const updated = await countFiring(models, existing._id.toString(), context.now);
    // Its opener is alive and still at work (it has just stored it): the work is its to queue.
    return { kind: "repeated", alert: toAlert(updated ?? existing), workQueued: true };
  }
  // The claim's winner never stored its alert: its process or the database died in between, and the
  // sender is retrying the 503 it got. Finish the opening under the id the claim names (its insert is keyed
  // by that id, so a winner merely slow to insert and this firing store one alert between them).
  const claimedId = (await getClaim(models, key))?.meta?.alertId;
  if (typeof claimedId !== "string" || !isObjectIdOrHexString(claimedId))
    throw new Error(`alert ${source}/${fingerprint} is claimed open but never appeared`);
  try {
    return await openAlert(models, incoming, context, new Types.ObjectId(claimedId));
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const stored = await findOpen(models, source, fingerprint);
    if (!stored) throw error;
    return { kind: "repeated", alert: toAlert(stored), workQueued: true };
  }
}

type FiringContext = Parameters<typeof recordFiring>[2];

/** Stores a new alert under `_id` (its open claim already taken), with its first escalation step armed. */
async function openAlert(
  models: Models,
  incoming: IncomingAlert,
  context: FiringContext,
  _id: Types.ObjectId,
): Promise<RecordFiring> {
  const { source, fingerprint } = incoming;
  const planned =
    context.paging && !context.suppressedBy ? plannedStep(context.policy, context.now, 0) : undefined;
  const firedNow = context.firstStepNow && planned && firesAtOnce(planned, context.now);
  const fired: FiredStep[] = firedNow ? [{ step: 0, at: context.now, paged: firedNow }] : [];
  const first = firedNow ? plannedStep(context.policy, context.now, 1) : planned;
  // The timer entry goes in beside the alert, not after it: one round trip less on every new alert. An
  // entry whose alert never got stored is dropped by readDueAlerts; one left by a claim's winner that
  // died before its alert was stored is taken over as it is.
  const armed = first && insertArmed(models, _id.toString(), first.dueAt);
  // Built field by field from the parsed alert, so it is stored lean (insertRecord): every new alert pays
  // for this insert, and mongoose's document checks would repeat what the parser and the types ensure.
  const { title, severity, service, description, links, labels, annotations } = incoming;
  const record: AlertRecord = {
    _id,
    source,
    fingerprint,
    state: "open",
    title,
    severity,
    service,
    description,
    links,
    labels,
    annotations,
    firstFiredAt: context.now,
    lastFiredAt: context.now,
    fireCount: 1,
    paging: context.paging,
    policy: context.policy,
    nextStep: fired.length,
    ...(first && { nextDueAt: first.dueAt }),
    fired,
    ...(context.incident && { incidentId: context.incident.id, incidentNumber: context.incident.number }),
    ...(context.incident?.thread && { thread: context.incident.thread }),
    ...(context.suppressedBy && { suppressedBy: context.suppressedBy }),
  };
  const alert = toAlert(record);
  // The firing is counted for reports beside the inserts: the open claim already makes it this one's.
  const counted = noteForReports(models, alert, context.now, {
    kind: "received",
    source: alert.source,
    service: alert.service,
  });
  await Promise.all([insertRecord(models.alerts, record), armed, counted]);
  if (first) noteArmed(models, alert.id, first.dueAt);
  return { kind: "opened", alert };
}

/**
 * Marks being written, by open key: the webhook answers before its alerts' marks are written, so a repeat
 * this process takes meanwhile waits for its alert's mark before it reads the claim, and never queues that
 * work a second time.
 */
const marksInFlight = new Map<string, Promise<void>>();

/**
 * Marks a new alert's Slack work (post, declare) as queued, on its open claim by `_id`: until then a retried
 * firing of it queues that work again (keyed, so once), so a process or database dying between storing the
 * alert and queueing its work loses neither.
 */
export function noteAlertWorkQueued(
  models: Models,
  alert: Pick<Alert, "source" | "fingerprint">,
): Promise<void> {
  const key = openKey(alert.source, alert.fingerprint);
  // Batched with the marks of concurrent requests' alerts (writeById): one command for several webhooks.
  const marking = writeById(models.claims, key, { set: { "meta.workQueued": true } }).finally(() => {
    if (marksInFlight.get(key) === marking) marksInFlight.delete(key);
  });
  marksInFlight.set(key, marking);
  return marking;
}

/** The people a step pages when it is due now and names people only (a group or a schedule needs a lookup). */
function firesAtOnce(step: PlannedStep, now: Date): string[] | undefined {
  if (step.dueAt > now || step.targets.length === 0) return undefined;
  const people = step.targets.flatMap((target) => (target.kind === "user" ? [target.userId] : []));
  return people.length === step.targets.length ? [...new Set(people)] : undefined;
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

export type AlertPatch = Partial<Omit<Alert, "id" | "source" | "fingerprint">>;

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
function noteForReports(models: Models, alert: Pick<Alert, "source">, at: Date, event: AlertEvent) {
  return alert.source === INCIDENT_SOURCE ? Promise.resolve() : noteAlertEvent(models, at, event);
}

/** The source of the escalations that unacknowledged incidents run (src/alerts/incident-escalation.ts). */
const INCIDENT_SOURCE = "incident";

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
  openedHere.delete(openKey(alert.source, alert.fingerprint));
  await releaseClaim(models, openKey(alert.source, alert.fingerprint));
  if (closed && by.by === alert.source) await noteForReports(models, alert, by.now, { kind: "autoResolved" });
  return closed;
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

/** The escalation of an incident, while it runs. */
export async function findIncidentEscalation(models: Models, incidentId: string): Promise<Alert | undefined> {
  const doc = await findOpen(models, "incident", incidentId);
  return doc?.state === "open" ? toAlert(doc) : undefined;
}

/**
 * Bulk-inserts alerts with the open claims and timer entries the store reads them by (for bulk loads: the
 * bench's year of data, a migration). At most one unresolved alert per source and fingerprint.
 */
export async function importAlerts(models: Models, alerts: AlertDoc[]): Promise<string[]> {
  const docs = alerts.map((alert) => ({ ...alert, _id: new Types.ObjectId() }));
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
