import { isObjectIdOrHexString, Types } from "mongoose";
import type { EscalationPolicy, IncomingAlert } from "../domain/alert.ts";
import { type PlannedStep, plannedStep } from "../domain/escalation.ts";
import type { MessageRef } from "../domain/incident.ts";
import { pollUntil } from "../poll-until.ts";
import {
  type Alert,
  type AlertRecord,
  type FiredStep,
  lockKey,
  noteForReports,
  toAlert,
  updateAlert,
} from "./alerts.ts";
import { insertArmed, noteArmed } from "./armed-alerts.ts";
import { claimOnce, getClaim, releaseClaim } from "./claims.ts";
import { isDuplicateKeyError } from "./errors.ts";
import { insertRecord } from "./insert-record.ts";
import { serialised } from "./serial.ts";
import type { Models } from "./store.ts";
import { writeById } from "./write-by-id.ts";

/**
 * An alert's firings, by source and fingerprint: the open claim that makes concurrent firings open one
 * alert, repeats counted on it, the new alert stored with its first step, the work-queued mark, and the
 * close that frees the fingerprint again (src/store/alerts.ts holds the alert record and its reads and
 * writes by `_id`).
 */

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

/** The escalation of an incident, while it runs. */
export async function findIncidentEscalation(models: Models, incidentId: string): Promise<Alert | undefined> {
  const doc = await findOpen(models, "incident", incidentId);
  return doc?.state === "open" ? toAlert(doc) : undefined;
}
