import type { AppContext } from "../context.ts";
import { humanDuration } from "../domain/duration.ts";
import { pollUntil } from "../poll-until.ts";
import { type Alert, closeAlert, getAlert, updateAlert } from "../store/alerts.ts";
import { claimOnce } from "../store/claims.ts";
import { queueAlertRefresh } from "./alert-messages.ts";
import { fireNextStep, haltEscalation } from "./escalation-steps.ts";

export type AlertChange = { ok: boolean; message: string };

const racedNote = (raced: string[]) =>
  raced.length > 0 ? ` (it had already escalated to ${raced.join(", ")} as you clicked)` : "";

/** The first acknowledgement wins and stops the timer; later ones are told who and when. */
export async function acknowledgeAlert(ctx: AppContext, alert: Alert, userId: string): Promise<AlertChange> {
  if (alert.state === "resolved") return { ok: false, message: "This alert is already resolved." };
  if (!(await claimOnce(ctx.store.models, `alert-ack:${alert.id}`))) {
    const winner = await pollUntil(
      () => getAlert(ctx.store.models, alert.id),
      (a) => !a || a.acknowledgedBy !== undefined,
      { attempts: 100, intervalMs: 20 },
    );
    const ago = winner?.acknowledgedAt
      ? ` ${humanDuration(ctx.clock.now().getTime() - winner.acknowledgedAt.getTime())} ago`
      : "";
    return { ok: false, message: `Already acknowledged by <@${winner?.acknowledgedBy ?? "someone"}>${ago}.` };
  }
  const raced = await haltEscalation(ctx, alert.id);
  const updated = await updateAlert(ctx.store.models, alert.id, {
    state: "acknowledged",
    acknowledgedAt: ctx.clock.now(),
    acknowledgedBy: userId,
    nextDueAt: undefined,
  });
  if (updated) await queueAlertRefresh(ctx, updated);
  return { ok: true, message: `You acknowledged the alert${racedNote(raced)}. Escalation is stopped.` };
}

export async function escalateAlertNow(ctx: AppContext, alert: Alert, userId: string): Promise<AlertChange> {
  if (alert.state !== "open")
    return { ok: false, message: `This alert is ${alert.state}: there is nothing to escalate.` };
  const outcome = await fireNextStep(ctx, alert, userId);
  return outcome.fired
    ? { ok: true, message: `Escalated to ${outcome.level}.` }
    : { ok: false, message: `Not escalated: ${outcome.reason}.` };
}

export async function resolveAlert(ctx: AppContext, alert: Alert, userId: string): Promise<AlertChange> {
  await haltEscalation(ctx, alert.id);
  const closed = await closeAlert(ctx.store.models, alert, { now: ctx.clock.now(), by: userId });
  if (!closed) return { ok: false, message: "This alert is already resolved." };
  await queueAlertRefresh(ctx, closed);
  return { ok: true, message: "You resolved the alert." };
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
