import type { AppContext } from "../context.ts";
import { pollUntil } from "../poll-until.ts";
import { closeAlert } from "../store/alert-firings.ts";
import { type Alert, getAlert, updateAlert } from "../store/alerts.ts";
import { claimOnce } from "../store/claims.ts";
import { queueAlertRefresh } from "./alert-messages.ts";
import { fireNextStep, haltEscalation } from "./escalation-steps.ts";
import { dropWaitingPages } from "./paging.ts";

/** A change made to an alert, as data: the edge tells the person who clicked, in words. */
export type AlertChangeDone =
  /** `escalatedTo`: the levels already paged while the acknowledgement raced the timer. */
  | { kind: "acknowledged"; escalatedTo: string[] }
  | { kind: "escalated"; level: string }
  | { kind: "resolved" };

/** Why an alert was not changed, as data. */
export type AlertRefusal =
  | { kind: "already_resolved" }
  /** Someone else acknowledged first; who and when, when it could be read in time. */
  | { kind: "already_acknowledged"; by?: string | undefined; at?: Date | undefined }
  | { kind: "not_open"; state: Alert["state"] }
  /** The escalation's reason, a plain phrase ("every level has already been paged"). */
  | { kind: "not_escalated"; reason: string };

export type AlertChange = { ok: true; done: AlertChangeDone } | { ok: false; refusal: AlertRefusal };

const refused = (refusal: AlertRefusal): AlertChange => ({ ok: false, refusal });

/**
 * An alert acknowledged or resolved, however (a click, its incident, its sender): its message shows it, and
 * its pages still waiting are taken off the queue.
 */
export const afterAlertStopped = (ctx: AppContext, alert: Alert) =>
  Promise.all([queueAlertRefresh(ctx, alert), dropWaitingPages(ctx, alert)]);

/** The first acknowledgement wins and stops the timer; later ones are told who and when. */
export async function acknowledgeAlert(ctx: AppContext, alert: Alert, userId: string): Promise<AlertChange> {
  if (alert.state === "resolved") return refused({ kind: "already_resolved" });
  // Set once, by the claim's winner below, and never cleared: a later click (a channel full of people
  // clicking Acknowledge) is told who and when from the alert just read, with no claim tried in vain.
  if (alert.acknowledgedBy !== undefined)
    return refused({ kind: "already_acknowledged", by: alert.acknowledgedBy, at: alert.acknowledgedAt });
  if (!(await claimOnce(ctx.store.models, `alert-ack:${alert.id}`))) {
    const winner = await pollUntil(
      () => getAlert(ctx.store.models, alert.id),
      (a) => !a || a.acknowledgedBy !== undefined,
      { attempts: 100, intervalMs: 20 },
    );
    return refused({ kind: "already_acknowledged", by: winner?.acknowledgedBy, at: winner?.acknowledgedAt });
  }
  const raced = await haltEscalation(ctx, alert.id);
  const updated = await updateAlert(ctx.store.models, alert.id, {
    state: "acknowledged",
    acknowledgedAt: ctx.clock.now(),
    acknowledgedBy: userId,
    nextDueAt: undefined,
  });
  if (updated) await afterAlertStopped(ctx, updated);
  return { ok: true, done: { kind: "acknowledged", escalatedTo: raced } };
}

export async function escalateAlertNow(ctx: AppContext, alert: Alert, userId: string): Promise<AlertChange> {
  if (alert.state !== "open") return refused({ kind: "not_open", state: alert.state });
  const outcome = await fireNextStep(ctx, alert, userId);
  return outcome.fired
    ? { ok: true, done: { kind: "escalated", level: outcome.level } }
    : refused({ kind: "not_escalated", reason: outcome.reason });
}

export async function resolveAlert(ctx: AppContext, alert: Alert, userId: string): Promise<AlertChange> {
  await haltEscalation(ctx, alert.id);
  const closed = await closeAlert(ctx.store.models, alert, { now: ctx.clock.now(), by: userId });
  if (!closed) return refused({ kind: "already_resolved" });
  await afterAlertStopped(ctx, closed);
  return { ok: true, done: { kind: "resolved" } };
}

/** After "Declare incident" on an alert: the alert shows its incident, and loses the Declare button. */
export async function linkAlertToIncident(
  ctx: AppContext,
  alertId: string,
  incidentNumber: number,
): Promise<void> {
  const linked = await updateAlert(ctx.store.models, alertId, { incidentNumber });
  if (linked) await queueAlertRefresh(ctx, linked);
}
