import type { AppContext } from "../context.ts";
import { lateness, levelName, type PlannedStep, plannedStep } from "../domain/escalation.ts";
import { holdIfInMaintenance } from "../maintenance/suppression.ts";
import { pollUntil } from "../poll-until.ts";
import { type Alert, appendFiredStep, escalationStart, getAlert } from "../store/alerts.ts";
import { claimOnce, getClaim, releaseClaim } from "../store/claims.ts";
import { mapLimited } from "../store/parallel.ts";
import { queueAlertRefresh } from "./alert-messages.ts";
import { peopleFor, queuePages } from "./paging.ts";

/**
 * Durable escalation. The next step and its due time live on the alert; a step is fired by whoever takes
 * its slot, a claim under a unique index, so with any number of processes each step fires once. An
 * acknowledgement or a resolve takes the same slot to stop the timer, so a click racing the timer either
 * wins (nothing more is paged) or is told which level was already paged.
 * A process that dies holding a slot leaves a lease (on the claim) that runs out; another then takes over.
 */

const LEASE_MS = 60_000;

const slotKey = (alertId: string, step: number) => `alert-step:${alertId}:${step}`;

async function takeSlot(ctx: AppContext, alert: Alert, step: number): Promise<boolean> {
  const { models } = ctx.store;
  const now = ctx.clock.now().getTime();
  const key = slotKey(alert.id, step);
  if (await claimOnce(models, key, { leaseUntil: now + LEASE_MS })) return true;
  const claim = await getClaim(models, key);
  const leaseUntil = Number(
    (claim?.meta as { leaseUntil?: unknown } | undefined)?.leaseUntil ?? Number.POSITIVE_INFINITY,
  );
  const stillPending = alert.state === "open" && alert.nextStep === step;
  // Only one process removes the stale claim (deleteOne counts exactly), and only that one retries.
  if (stillPending && now > leaseUntil && (await releaseClaim(models, key))) {
    return claimOnce(models, key, { leaseUntil: now + LEASE_MS });
  }
  return false;
}

export type StepOutcome = { fired: true; alert: Alert; level: string } | { fired: false; reason: string };

/** What a fired step still has to queue: its pages and its message's refresh. */
interface RecordedStep {
  alert: Alert;
  level: string;
  pages: Parameters<typeof queuePages>[2];
}

/**
 * Fires the alert's next step now, by the timer when due or by a person ("Escalate now"): records whom it
 * pages and queues the pages, so when Slack is down they wait in the queue and go out once it is back.
 */
export async function fireNextStep(ctx: AppContext, alert: Alert, manualBy?: string): Promise<StepOutcome> {
  const claimed = await claimStep(ctx, alert, manualBy);
  if (!claimed.ok) return claimed.outcome;
  const recorded = await recordStep(ctx, alert, claimed.plan, manualBy);
  if (!("pages" in recorded)) return recorded;
  await queueStepWork(ctx, recorded);
  return { fired: true, alert: recorded.alert, level: recorded.level };
}

/** How many due steps are recorded at once (each an `_id` read-then-write of its alert on FerretDB). */
const STEP_WRITES = 16;

/**
 * The timer's steps of a batch of due alerts, the same three stages as `fireNextStep` but each stage for the
 * whole batch before the next: every slot claimed at once, the steps recorded a few at a time, then every
 * page, thread line and refresh queued at once. The slots and the queued work are inserts, so they go to the
 * database as a few batched inserts (src/store/insert-record.ts) instead of one each. Returns the alerts
 * whose step fired, as they now are.
 */
export async function fireDueSteps(ctx: AppContext, alerts: readonly Alert[]): Promise<Alert[]> {
  const claims = await Promise.all(alerts.map((alert) => claimStep(ctx, alert)));
  const claimed = alerts.flatMap((alert, i) => {
    const claim = claims[i];
    return claim?.ok ? [{ alert, plan: claim.plan }] : [];
  });
  const recorded = await mapLimited(claimed, STEP_WRITES, ({ alert, plan }) => recordStep(ctx, alert, plan));
  const fired = recorded.filter((step): step is RecordedStep => "pages" in step);
  await Promise.all(fired.map((step) => queueStepWork(ctx, step)));
  return fired.map((step) => step.alert);
}

type Claimed = { ok: true; plan: PlannedStep } | { ok: false; outcome: StepOutcome };

/** The step's plan once its slot is taken; the timer's step waits while its service is under maintenance. */
async function claimStep(ctx: AppContext, alert: Alert, manualBy?: string): Promise<Claimed> {
  const step = alert.nextStep;
  const plan = plannedStep(alert.policy, escalationStart(alert), step);
  const refused = (reason: string): Claimed => ({ ok: false, outcome: { fired: false, reason } });
  if (!plan) return refused("every level has already been paged");
  // The timer pages nobody on a service under maintenance; a person's "Escalate now" still does.
  if (!manualBy && (await holdIfInMaintenance(ctx, alert)))
    return refused("its service is under maintenance");
  if (!(await takeSlot(ctx, alert, step))) return refused(`${levelName(plan)} is already being paged`);
  return { ok: true, plan };
}

/** Records a claimed step on the alert (whom it pages); gives the slot back when Slack cannot say whom. */
async function recordStep(
  ctx: AppContext,
  alert: Alert,
  plan: PlannedStep,
  manualBy?: string,
): Promise<RecordedStep | StepOutcome> {
  const { step } = plan;
  const now = ctx.clock.now();
  const lateMs = manualBy ? undefined : lateness(plan.dueAt, now);
  const level = levelName(plan);
  const found = await peopleFor(ctx, plan.targets, now);
  if (!found.ok) {
    // Slack could not say who is in a user group: the step stays due and is fired again on a later pass.
    await releaseClaim(ctx.store.models, slotKey(alert.id, step));
    ctx.logger.warn({ alert: alert.id, step, error: found.failure.code }, "escalation step waits for Slack");
    return { fired: false, reason: "Slack could not be reached to look up who to page; try again shortly" };
  }
  const { people, unresolved } = found;
  const next = plannedStep(alert.policy, escalationStart(alert), step + 1);
  const fired = { step, at: now, paged: people, ...(lateMs && { lateMs }), ...(manualBy && { manualBy }) };
  const result =
    (await appendFiredStep(ctx.store.models, alert.id, fired, {
      nextStep: step + 1,
      ...(next && { nextDueAt: next.dueAt }),
    })) ?? alert;
  ctx.metrics.alertPaged(alert.source);
  if (!manualBy) ctx.metrics.escalationFired((now.getTime() - plan.dueAt.getTime()) / 1000);
  const lateMinutes = lateMs ? Math.round(lateMs / 60_000) : undefined;
  return { alert: result, level, pages: { step, level, people, unresolved, lateMinutes } };
}

async function queueStepWork(ctx: AppContext, { alert, pages }: RecordedStep): Promise<void> {
  await Promise.all([queuePages(ctx, alert, pages), queueAlertRefresh(ctx, alert)]);
}

/**
 * Stops the timer before its next step, for an acknowledgement or a resolve. Returns the levels that the
 * timer paged while this was racing it, so the person can be told.
 */
export async function haltEscalation(ctx: AppContext, alertId: string): Promise<string[]> {
  const raced: string[] = [];
  for (let attempt = 0; attempt < 100; attempt++) {
    const alert = await getAlert(ctx.store.models, alertId);
    if (!alert) return raced;
    const plan = plannedStep(alert.policy, escalationStart(alert), alert.nextStep);
    if (!alert.paging || !plan || (await takeSlot(ctx, alert, alert.nextStep))) return raced;
    // The timer holds this step: wait for it to finish, then stop the one after.
    if (!raced.includes(levelName(plan))) raced.push(levelName(plan));
    await waitForStepToFinish(ctx, alertId, alert.nextStep);
  }
  return raced;
}

/** Waits for whoever holds a step's slot to finish firing it. */
const waitForStepToFinish = (ctx: AppContext, alertId: string, step: number) =>
  pollUntil(
    () => getAlert(ctx.store.models, alertId),
    (alert) => !alert || alert.nextStep > step,
    { attempts: 250, intervalMs: 20 },
  );
