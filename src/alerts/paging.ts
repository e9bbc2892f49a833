import type { AppContext } from "../context.ts";
import type { PageTarget } from "../domain/alert.ts";
import { levelName, plannedStep } from "../domain/escalation.ts";
import type { SendFailure } from "../send-outcome.ts";
import { isRetryable } from "../send-outcome.ts";
import { type Alert, escalationStart } from "../store/alerts.ts";
import { enqueueDelivery, removeDeliveries } from "../store/deliveries.ts";
import { ALERT_WORK, type ArrivalOrder, stormSnapshot } from "./alert-messages.ts";

export type PeopleFor =
  | { ok: true; people: string[]; unresolved: PageTarget[] }
  /** Slack could not be asked who is in a user group: the step waits rather than leave them out. */
  | { ok: false; failure: SendFailure };

/** The people behind a step's targets: users as given, user groups by their members, schedules by who is on call. */
export async function peopleFor(
  ctx: AppContext,
  targets: readonly PageTarget[],
  at: Date,
): Promise<PeopleFor> {
  const people = new Set<string>();
  const unresolved: PageTarget[] = [];
  for (const target of targets) {
    if (target.kind === "user") people.add(target.userId);
    else if (target.kind === "usergroup") {
      const members = await ctx.notifier.userGroupMembers(target.groupId);
      if (isRetryable(members)) return { ok: false, failure: members };
      if (members.status === "done" && members.value.length > 0)
        for (const id of members.value) people.add(id);
      else unresolved.push(target);
    } else {
      const onCall = await ctx.onCall(target.scheduleName, at);
      if (onCall) people.add(onCall);
      else unresolved.push(target);
    }
  }
  return { ok: true, people: [...people], unresolved };
}

/**
 * Queues a fired step's pages: a direct message to each person with the alert's buttons (keyed by alert,
 * step and person, so each is sent once) and one line in the alert's thread naming whom, so the channel
 * sees the escalation without a new message in the channel itself. An alert not posted yet, or folded
 * into a storm, has no thread: its message (when posted) names whom its last step paged.
 */
export async function queuePages(
  ctx: AppContext,
  alert: Alert,
  step: {
    step: number;
    level: string;
    people: readonly string[];
    unresolved: readonly PageTarget[];
    lateMinutes?: number | undefined;
  },
  order?: ArrivalOrder,
): Promise<void> {
  const { models } = ctx.store;
  const { at, seq } = order ?? { at: ctx.clock.now() };
  const thread = alert.message ?? alert.thread;
  if (thread) {
    const { level, people, unresolved, lateMinutes } = step;
    await enqueueDelivery(models, {
      key: `${ALERT_WORK.pagingLine}:${alert.id}:${step.step}`,
      kind: ALERT_WORK.pagingLine,
      channel: thread.channelId,
      payload: { alertId: alert.id, thread, level, people, unresolved, lateMinutes },
      at,
      ...(seq !== undefined && { seq }),
    });
  }
  for (const userId of step.people) {
    await enqueueDelivery(models, {
      key: pageKey(alert.id, step.step, userId),
      kind: ALERT_WORK.page,
      channel: userId,
      payload: { alertId: alert.id, level: step.level, ...stormSnapshot(alert) },
      at,
      ...(seq !== undefined && { seq }),
    });
  }
}

const pageKey = (alertId: string, step: number, userId: string) =>
  `${ALERT_WORK.page}:${alertId}:${step}:${userId}`;

/**
 * Takes an alert's pages still waiting to go out off the queue once it is acknowledged or resolved: nobody
 * needs them any more, and so a page storm's pending pages are all of open alerts (src/alerts/deliveries.ts
 * folds them without reading each alert's state). Call it after the escalation is halted, so `fired` is final.
 */
export async function dropWaitingPages(ctx: AppContext, alert: Pick<Alert, "id" | "fired">): Promise<void> {
  const keys = alert.fired.flatMap((step) =>
    step.paged.map((userId) => pageKey(alert.id, step.step, userId)),
  );
  if (keys.length > 0) await removeDeliveries(ctx.store.models, keys);
}

/** The pages of a step the intake recorded as fired with the new alert (`firstStepNow`): none otherwise. */
export async function queueFirstStepPages(
  ctx: AppContext,
  alert: Alert,
  order?: ArrivalOrder,
): Promise<void> {
  const [fired] = alert.fired;
  const plan = fired && plannedStep(alert.policy, escalationStart(alert), fired.step);
  if (!fired || !plan) return;
  // Counted as the escalation job counts the steps it fires (src/alerts/escalation-steps.ts).
  ctx.metrics.alertPaged(alert.source);
  ctx.metrics.escalationFired((fired.at.getTime() - plan.dueAt.getTime()) / 1000);
  await queuePages(
    ctx,
    alert,
    {
      step: fired.step,
      level: levelName(plan),
      people: fired.paged,
      unresolved: [],
    },
    order,
  );
}
