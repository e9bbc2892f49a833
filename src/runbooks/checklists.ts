import type { AppContext } from "../context.ts";
import type { Incident } from "../domain/incident.ts";
import { matchingRunbooks, newChecklists, type RunbookChecklist } from "../domain/runbook.ts";
import { SYSTEM_ACTOR } from "../domain/timeline.ts";
import type { DeliveryHandler } from "../jobs/deliveries.ts";
import { newReference } from "../reference.ts";
import type { SendOutcome } from "../send-outcome.ts";
import {
  createChecklists,
  getChecklists,
  type ItemChange,
  noteChecklistMessage,
  type StoredChecklists,
  setItemDone,
} from "../store/checklists.ts";
import { type Delivery, enqueueDelivery } from "../store/deliveries.ts";
import { appendEvent } from "../store/timeline.ts";

/**
 * Runbook checklists on incidents. At declaration the runbooks matching the incident's type or services are
 * copied onto the incident's checklist record and each is queued as a post in the incident channel (the
 * durable delivery queue: a restart or a Slack outage loses nothing). Ticking or unticking an item records
 * it with who and when, on the record and the timeline, and queues a refresh of the posted checklist.
 */

export const CHECKLIST_WORK = {
  post: "post-runbook-checklist",
  refresh: "refresh-runbook-checklist",
} as const;

const workKey = (kind: string, incidentId: string, runbookId: string) => `${kind}:${incidentId}:${runbookId}`;

/**
 * Attaches and queues the checklists of the runbooks that apply to a newly declared incident. Never throws:
 * a failure is logged with a reference and recorded on the timeline, and the declaration goes on.
 */
export async function attachRunbookChecklists(
  ctx: AppContext,
  incident: Incident,
  type: string | undefined,
): Promise<void> {
  try {
    await attach(ctx, incident, type);
  } catch (error) {
    const ref = newReference();
    ctx.logger.error(
      { ref, incident: incident.number, err: error },
      "could not attach the runbook checklists",
    );
    await appendEvent(ctx.store.models, {
      incidentId: incident.id,
      type: "runbook_failed",
      at: ctx.clock.now(),
      actorId: SYSTEM_ACTOR,
      payload: { ref },
    }).catch((err: unknown) => ctx.logger.error({ ref, err }, "could not record the runbook failure"));
  }
}

async function attach(ctx: AppContext, incident: Incident, type: string | undefined): Promise<void> {
  const runbooks = matchingRunbooks(ctx.runbooks.runbooks, { type, services: incident.affectedServices });
  if (runbooks.length === 0) return;
  const { models } = ctx.store;
  const now = ctx.clock.now();
  const { checklists } = await createChecklists(
    models,
    { incidentId: incident.id, workspaceId: incident.workspaceId, type, runbooks: newChecklists(runbooks) },
    now,
  );
  for (const checklist of checklists.runbooks) {
    await appendEvent(models, {
      incidentId: incident.id,
      type: "runbook_attached",
      at: now,
      actorId: SYSTEM_ACTOR,
      payload: { runbookId: checklist.runbookId, title: checklist.title, items: checklist.items.length },
      key: `runbook:${checklist.runbookId}`,
    });
  }
  await queueChecklistPosts(ctx, incident, checklists);
}

/**
 * Queues the posts of an incident's checklists in its channel. Without a channel yet (its creation failed
 * and is retried) the checklists wait on their record, and the late channel queues them.
 */
export async function queueChecklistPosts(
  ctx: AppContext,
  incident: Incident,
  stored?: StoredChecklists,
): Promise<void> {
  const { channelId } = incident;
  if (!channelId) return;
  const checklists = stored ?? (await getChecklists(ctx.store.models, incident.id));
  for (const checklist of checklists?.runbooks ?? [])
    await enqueueDelivery(ctx.store.models, {
      key: workKey(CHECKLIST_WORK.post, incident.id, checklist.runbookId),
      kind: CHECKLIST_WORK.post,
      channel: channelId,
      payload: { incidentId: incident.id, runbookId: checklist.runbookId },
      at: ctx.clock.now(),
    });
}

export interface CheckInput {
  incidentId: string;
  runbookId: string;
  itemId: string;
  userId: string;
  checked: boolean;
  /** The click's own id (Slack's action_ts): a retried click records one event. */
  clickKey: string;
}

/**
 * Ticks or unticks an item, with who and when. A click that changes nothing (a retry, a stale message
 * showing an old state) records nothing.
 */
export async function checkItem(ctx: AppContext, input: CheckInput): Promise<ItemChange> {
  const { models } = ctx.store;
  const now = ctx.clock.now();
  const done = input.checked ? { by: input.userId, at: now } : undefined;
  const change = await setItemDone(models, input.incidentId, input, done);
  if (!change.ok || !change.changed) return change;
  await appendEvent(models, {
    incidentId: input.incidentId,
    type: input.checked ? "checklist_item_checked" : "checklist_item_unchecked",
    at: now,
    actorId: input.userId,
    payload: { runbookId: input.runbookId, itemId: input.itemId, text: change.item.text },
    key: `checklist:${input.runbookId}:${input.itemId}:${input.clickKey}`,
  });
  const stored = await getChecklists(models, input.incidentId);
  const message = stored?.messages[input.runbookId];
  if (message)
    await enqueueDelivery(models, {
      key: workKey(CHECKLIST_WORK.refresh, input.incidentId, input.runbookId),
      kind: CHECKLIST_WORK.refresh,
      channel: message.channelId,
      payload: { incidentId: input.incidentId, runbookId: input.runbookId },
      at: now,
    });
  return change;
}

/** The incident's checklists as they are now (none: undefined), for `/incident runbook` and the postmortem. */
export function incidentChecklists(
  ctx: AppContext,
  incidentId: string,
): Promise<StoredChecklists | undefined> {
  return getChecklists(ctx.store.models, incidentId);
}

async function checklistOf(ctx: AppContext, item: Delivery) {
  const { incidentId, runbookId } = item.payload as { incidentId: string; runbookId: string };
  const stored = await getChecklists(ctx.store.models, incidentId);
  const checklist = stored?.runbooks.find((r) => r.runbookId === runbookId);
  return { incidentId, runbookId, stored, checklist };
}

const message = (incidentId: string, checklist: RunbookChecklist) =>
  ({ kind: "runbook_checklist", incidentId, checklist }) as const;

/** Posts a checklist once; its message is noted so ticks edit it in place. */
async function postChecklist(ctx: AppContext, item: Delivery): Promise<SendOutcome<unknown>> {
  const { incidentId, runbookId, stored, checklist } = await checklistOf(ctx, item);
  if (!checklist) return { status: "not_found", code: "checklist_gone" };
  if (stored?.messages[runbookId]) return { status: "done", value: undefined };
  const posted = await ctx.notifier.post(item.channel, message(incidentId, checklist));
  if (posted.status === "done")
    await noteChecklistMessage(ctx.store.models, incidentId, runbookId, posted.value);
  return posted;
}

/** Edits a posted checklist to show who ticked what, read when it is sent (refreshes coalesce). */
async function refreshChecklist(ctx: AppContext, item: Delivery): Promise<SendOutcome<unknown>> {
  const { incidentId, runbookId, stored, checklist } = await checklistOf(ctx, item);
  const posted = stored?.messages[runbookId];
  if (!checklist || !posted) return { status: "not_found", code: "checklist_gone" };
  return ctx.notifier.update(posted, message(incidentId, checklist));
}

export function checklistDeliveryHandlers(ctx: AppContext): Record<string, DeliveryHandler> {
  return {
    [CHECKLIST_WORK.post]: { send: (item) => postChecklist(ctx, item) },
    [CHECKLIST_WORK.refresh]: { send: (item) => refreshChecklist(ctx, item), latestState: true },
  };
}
