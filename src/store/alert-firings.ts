import { Types } from "mongoose";
import type { EscalationPolicy, IncomingAlert } from "../domain/alert.ts";
import { type PlannedStep, plannedStep } from "../domain/escalation.ts";
import type { MessageRef } from "../domain/incident.ts";
import { pollUntil } from "../poll-until.ts";
import {
  dropPointer,
  forgetOpen,
  knownOpen,
  openKey,
  readPointer,
  rememberOpen,
  writePointer,
} from "./alert-pointers.ts";
import {
  type Alert,
  type AlertRecord,
  type FiredStep,
  lockKey,
  noteForReports,
  toAlert,
  updateAlert,
} from "./alerts.ts";
import { insertArmed, noteArmed, syncArmed } from "./armed-alerts.ts";
import { claimOnce } from "./claims.ts";
import { isDuplicateKeyError } from "./errors.ts";
import { insertRecord } from "./insert-record.ts";
import { serialised } from "./serial.ts";
import type { Models } from "./store.ts";

/**
 * An alert's firings, by source and fingerprint: the new alert stored with its first step and its Slack work
 * queued, repeats counted on it, and the close that frees the fingerprint again (src/store/alerts.ts holds
 * the alert record and its reads and writes by `_id`; src/store/alert-pointers.ts its open key and pointer).
 *
 * A new alert is one insert that is also its claim: the alert carries its open key in a unique field
 * (`openUnder`), so a second firing's insert is refused. Its pointer, a claim document under the open key
 * naming the alert, is written once its Slack work is queued, after the webhook's answer: a firing that finds
 * the key taken reads the pointer, and one that finds no pointer long after (its opener died in between)
 * finds the alert by its open key and finishes the opening (queues its work, keyed, and writes the pointer).
 */

export type RecordFiring =
  | { kind: "opened"; alert: Alert }
  | { kind: "repeated"; alert: Alert }
  | { kind: "resolved"; alert: Alert }
  | { kind: "ignored"; reason: string };

/**
 * The alert open under a fingerprint, by `_id` lookups only: its pointer names the alert (`meta.alertId`).
 * Undefined while its opener has not written the pointer yet. A pointer from before pointers named their
 * alert (openStore's backfill names the ones it finds) is followed by the alert's open key.
 */
async function findOpen(
  models: Models,
  source: string,
  fingerprint: string,
): Promise<AlertRecord | undefined> {
  const key = openKey(source, fingerprint);
  const pointer = await readPointer(models, key);
  if (!pointer) return undefined;
  const alertId = pointer.meta?.alertId;
  const doc =
    typeof alertId === "string"
      ? await models.alerts.findById(alertId).lean()
      : await findByOpenKey(models, key);
  return doc && doc.state !== "resolved" ? (doc as AlertRecord) : undefined;
}

/** The alert holding an open key, found by the key: a scan on FerretDB, for rare paths with no pointer. */
const findByOpenKey = (models: Models, key: string) => models.alerts.findOne({ openUnder: key }).lean();

/**
 * Counts a repeat of the alert open under a fingerprint in one write by `_id`: the pointer names the alert,
 * and `$inc` returns it as it now is. Undefined when there is no pointer, or it names no alert still open.
 * A repeat racing the alert's resolve (its pointer is deleted just after the state is written) may count
 * once on the resolved alert; the firing is then told no open alert.
 */
async function countRepeat(models: Models, key: string, now: Date): Promise<Alert | undefined> {
  const alertId = (await readPointer(models, key))?.meta?.alertId;
  if (typeof alertId !== "string") return undefined;
  const doc = await countFiring(models, alertId, now);
  return doc && doc.state !== "resolved" ? toAlert(doc) : undefined;
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

type FiringContext = {
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
  /**
   * Queues a new alert's Slack work (keyed, so queueing it twice queues it once): called once the alert is
   * stored, and again for an alert whose opener died before writing its pointer.
   */
  queueWork?: (alert: Alert) => Promise<void>;
  /** Takes the pointer's write, which then goes on after the caller's answer; awaited here without it. */
  trailing?: (work: Promise<void>) => void;
};

/**
 * Records one notification: a first firing opens an alert with its escalation armed and its work queued, a
 * repeat bumps the counter of the open one, a `resolved` closes it and disarms the timer. Every lookup is by
 * `_id`: a new alert costs its inserts and its pointer, a repeat of an alert this process opened a pointer
 * read and one write.
 */
export async function recordFiring(
  models: Models,
  incoming: IncomingAlert,
  context: FiringContext,
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
  if (knownOpen(key)) {
    const repeated = await countRepeat(models, key, context.now);
    if (repeated) return { kind: "repeated", alert: repeated };
    forgetOpen(key);
  }
  const opened = await openAlert(models, incoming, context);
  if (opened) return { kind: "opened", alert: opened };
  // The key is taken: its opener writes the pointer once the alert's work is queued, a moment from now.
  const named = await pollUntil(
    () => readPointer(models, key),
    (pointer) => typeof pointer?.meta?.alertId === "string",
    { attempts: 50, intervalMs: 20 },
  );
  const repeated = named && (await countRepeat(models, key, context.now));
  if (!repeated) return finishOpening(models, incoming, context);
  rememberOpen(key);
  return { kind: "repeated", alert: repeated };
}

/**
 * The alert open under a key whose pointer never came (its opener's process or database died between the
 * insert and the pointer, and the sender is retrying the 503 it got): found by its open key (a scan on
 * FerretDB, for this recovery only), counted, its work queued again (keyed: once) and its pointer written.
 */
async function finishOpening(
  models: Models,
  incoming: IncomingAlert,
  context: FiringContext,
): Promise<RecordFiring> {
  const key = openKey(incoming.source, incoming.fingerprint);
  const stored = await findByOpenKey(models, key);
  const counted = stored && (await countFiring(models, stored._id.toString(), context.now));
  if (!counted || counted.state === "resolved") {
    // Resolved and freed in the meantime: this firing opens the next alert.
    const opened = await openAlert(models, incoming, context);
    if (opened) return { kind: "opened", alert: opened };
    throw new Error(`alert ${key} is taken but never appeared`);
  }
  const alert = toAlert(counted);
  await context.queueWork?.(alert);
  await writePointer(models, key, { alertId: alert.id, at: context.now, trailing: context.trailing });
  return { kind: "repeated", alert };
}

/**
 * Stores a new alert with its first escalation step armed, refused (undefined) when another alert holds its
 * open key; then counts it for reports, queues its work, and writes its pointer.
 */
async function openAlert(
  models: Models,
  incoming: IncomingAlert,
  context: FiringContext,
): Promise<Alert | undefined> {
  const { source, fingerprint } = incoming;
  const _id = new Types.ObjectId();
  const planned =
    context.paging && !context.suppressedBy ? plannedStep(context.policy, context.now, 0) : undefined;
  const firedNow = context.firstStepNow && planned && firesAtOnce(planned, context.now);
  const fired: FiredStep[] = firedNow ? [{ step: 0, at: context.now, paged: firedNow }] : [];
  const first = firedNow ? plannedStep(context.policy, context.now, 1) : planned;
  // The timer entry goes in beside the alert, not after it: one round trip less on every new alert. An
  // entry whose alert never got stored (its process died) is dropped by readDueAlerts.
  const armed = first && insertArmed(models, _id.toString(), first.dueAt);
  // Built field by field from the parsed alert, so it is stored lean (insertRecord): every new alert pays
  // for this insert, and mongoose's document checks would repeat what the parser and the types ensure.
  const { title, severity, service, description, links, labels, annotations } = incoming;
  const key = openKey(source, fingerprint);
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
    openUnder: key,
  };
  try {
    await Promise.all([insertRecord(models.alerts, record), armed]);
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    // Another alert holds the key: this one's timer entry goes too (readDueAlerts would drop it when due).
    if (armed)
      await armed.then(
        () => syncArmed(models, { id: _id.toString(), state: "resolved" }),
        () => undefined,
      );
    return undefined;
  }
  const alert = toAlert(record);
  if (first) noteArmed(models, alert.id, first.dueAt);
  // Counted for reports beside the queued work: the refused insert above is what makes the alert new.
  await Promise.all([
    noteForReports(models, alert, context.now, {
      kind: "received",
      source: alert.source,
      service: alert.service,
    }),
    context.queueWork?.(alert),
  ]);
  await writePointer(models, key, { alertId: alert.id, at: context.now, trailing: context.trailing });
  return alert;
}

/** The people a step pages when it is due now and names people only (a group or a schedule needs a lookup). */
function firesAtOnce(step: PlannedStep, now: Date): string[] | undefined {
  if (step.dueAt > now || step.targets.length === 0) return undefined;
  const people = step.targets.flatMap((target) => (target.kind === "user" ? [target.userId] : []));
  return people.length === step.targets.length ? [...new Set(people)] : undefined;
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
    openUnder: undefined,
  });
  await dropPointer(models, openKey(alert.source, alert.fingerprint));
  if (closed && by.by === alert.source) await noteForReports(models, alert, by.now, { kind: "autoResolved" });
  return closed;
}

/** The escalation of an incident, while it runs. */
export async function findIncidentEscalation(models: Models, incidentId: string): Promise<Alert | undefined> {
  const doc = await findOpen(models, "incident", incidentId);
  return doc?.state === "open" ? toAlert(doc) : undefined;
}
