import type { AppContext } from "../context.ts";
import { nextPostmortemReminder, type PostmortemReminderStage } from "../domain/postmortem.ts";
import { refreshHomeOfFollowUp } from "../home/home.ts";
import type { DeliveryHandler } from "../jobs/deliveries.ts";
import type { SendOutcome } from "../send-outcome.ts";
import { claimOnce, releaseClaim } from "../store/claims.ts";
import { type Delivery, enqueueDelivery } from "../store/deliveries.ts";
import { getFollowUp, noteFollowUpReminded, type OpenFollowUp, openFollowUps } from "../store/follow-ups.ts";
import { getPostmortem, noteReminder, type OpenPostmortem, openPostmortems } from "../store/postmortems.ts";

/**
 * Reminders of postmortems coming due and overdue, and of overdue follow-ups. The due times live on the
 * live sets' entries (the database is the clock); each reminder is claimed once, then queued as Slack work
 * in its lane (the owner's DM: the incident channel is archived soon after the resolve), so several processes and restarts send it once and
 * at Slack's pace. The queued item holds references; the handler reads them fresh and skips what is done.
 */

export const POSTMORTEM_REMINDER_WORK = "postmortem-reminder";
export const FOLLOW_UP_REMINDER_WORK = "follow-up-reminder";
const HOUR_MS = 3_600_000;

/** Claims and queues one piece of work; a failed queueing gives the claim back for the next pass. */
async function claimAndQueue(
  ctx: AppContext,
  claim: string,
  work: { key: string; kind: string; channel: string; payload: Record<string, unknown> },
): Promise<boolean> {
  const { models } = ctx.store;
  if (!(await claimOnce(models, claim))) return false;
  try {
    await enqueueDelivery(models, { ...work, at: ctx.clock.now() });
  } catch (error) {
    await releaseClaim(models, claim).catch(() => false);
    throw error;
  }
  return true;
}

async function remindPostmortem(ctx: AppContext, entry: OpenPostmortem, now: Date): Promise<boolean> {
  if (!entry.remindAt || entry.remindAt > now) return false;
  const stage: PostmortemReminderStage = entry.remindAt < entry.dueAt ? "due_soon" : "overdue";
  const key = `${POSTMORTEM_REMINDER_WORK}:${entry._id}:${stage}:${entry.dueAt.getTime()}`;
  const queued = await claimAndQueue(ctx, key, {
    key,
    kind: POSTMORTEM_REMINDER_WORK,
    // By DM: the incident channel is usually archived by the time a postmortem comes due.
    channel: entry.ownerId,
    payload: { incidentId: entry._id, stage },
  });
  const remindBeforeMs = ctx.config.postmortems.remindBeforeHours * HOUR_MS;
  const next = nextPostmortemReminder(entry.dueAt, remindBeforeMs, stage);
  await noteReminder(ctx.store.models, entry._id, stage, next?.at);
  return queued;
}

async function remindFollowUp(ctx: AppContext, entry: OpenFollowUp, now: Date): Promise<boolean> {
  if (entry.reminded || !entry.dueAt || entry.dueAt > now) return false;
  const key = `${FOLLOW_UP_REMINDER_WORK}:${entry._id}:${entry.dueAt.getTime()}`;
  // To its owner, else to whoever added it: the incident channel may be archived.
  const queued = await claimAndQueue(ctx, key, {
    key,
    kind: FOLLOW_UP_REMINDER_WORK,
    channel: entry.ownerId ?? entry.createdBy,
    payload: { incidentId: entry.incidentId, seq: entry.seq },
  });
  await noteFollowUpReminded(ctx.store.models, entry._id);
  // Its holder's Home now lists it as overdue.
  if (queued) await refreshHomeOfFollowUp(ctx, entry);
  return queued;
}

/** One pass: queues every reminder due at `now`; returns how many it queued. */
export async function queueDueReminders(ctx: AppContext, now: Date): Promise<number> {
  const [postmortems, followUps] = await Promise.all([
    openPostmortems(ctx.store.models),
    openFollowUps(ctx.store.models),
  ]);
  let queued = 0;
  for (const entry of postmortems) if (await remindPostmortem(ctx, entry, now)) queued++;
  for (const entry of followUps) if (await remindFollowUp(ctx, entry, now)) queued++;
  return queued;
}

/** A lane that is a person (U… or W…) is a DM; any other is a channel. */
const isPerson = (lane: string) => /^[UW]/.test(lane);

async function sendPostmortemReminder(ctx: AppContext, item: Delivery): Promise<SendOutcome<unknown>> {
  const { incidentId, stage } = item.payload as { incidentId: string; stage: PostmortemReminderStage };
  const postmortem = await getPostmortem(ctx.store.models, incidentId);
  // Done since it was queued: nothing to remind anyone of.
  if (!postmortem || postmortem.doneAt) return { status: "done", value: undefined };
  const message = {
    kind: "postmortem_reminder" as const,
    reminder: {
      stage,
      number: postmortem.number,
      ownerId: postmortem.ownerId,
      dueAt: postmortem.dueAt,
      ...(postmortem.channelId && { channelId: postmortem.channelId }),
    },
  };
  return isPerson(item.channel)
    ? ctx.notifier.sendDirect(item.channel, message)
    : ctx.notifier.post(item.channel, message);
}

async function sendFollowUpReminder(ctx: AppContext, item: Delivery): Promise<SendOutcome<unknown>> {
  const { incidentId, seq } = item.payload as { incidentId: string; seq: number };
  const followUp = await getFollowUp(ctx.store.models, incidentId, seq);
  if (!followUp || followUp.doneAt) return { status: "done", value: undefined };
  const message = { kind: "follow_up_reminder" as const, followUp };
  return isPerson(item.channel)
    ? ctx.notifier.sendDirect(item.channel, message)
    : ctx.notifier.post(item.channel, message);
}

export function reminderDeliveryHandlers(ctx: AppContext): Record<string, DeliveryHandler> {
  return {
    [POSTMORTEM_REMINDER_WORK]: { send: (item) => sendPostmortemReminder(ctx, item) },
    [FOLLOW_UP_REMINDER_WORK]: { send: (item) => sendFollowUpReminder(ctx, item) },
  };
}
