import type { AppContext } from "../context.ts";
import type { DeliveryHandler } from "../jobs/deliveries.ts";
import type { MaintenanceNotice } from "../notifier.ts";
import type { SendOutcome } from "../send-outcome.ts";
import { type Delivery, enqueueDelivery } from "../store/deliveries.ts";
import { getMessageLookup, putMessageLookup } from "../store/lookups.ts";
import { getWindow, type MaintenanceWindow } from "../store/maintenance.ts";

/**
 * A window's messages go through the durable delivery queue: keyed by window and stage (so a retry or a
 * second process queues each once), sent at Slack's pace, rendered from the window as it is at send time.
 */

export const MAINTENANCE_WORK = "maintenance-notice";

type Stage = MaintenanceNotice["stage"];

/** A lane that is a person (U… or W…) is a DM; any other is a channel. */
const isPerson = (lane: string) => /^[UW]/.test(lane);

/** Where an approval request went in one lane, so it can be closed once the window is decided. */
const requestMessageKey = (windowId: string, lane: string) => `maint-request-message:${windowId}:${lane}`;

/** Queues one notice about a window to a channel or a person. */
export async function queueNotice(
  ctx: AppContext,
  window: Pick<MaintenanceWindow, "id">,
  stage: Stage,
  channel: string,
  extra: { key?: string; groups?: readonly string[] } = {},
): Promise<void> {
  await enqueueDelivery(ctx.store.models, {
    key: `${MAINTENANCE_WORK}:${window.id}:${stage}:${extra.key ?? channel}`,
    kind: MAINTENANCE_WORK,
    channel,
    payload: { windowId: window.id, stage, groups: extra.groups ?? [] },
    at: ctx.clock.now(),
  });
}

/** Queues an announcement in the maintenance channel; without one configured, windows go unannounced. */
export async function queueAnnouncement(
  ctx: AppContext,
  window: Pick<MaintenanceWindow, "id">,
  stage: Stage,
  key?: string,
): Promise<void> {
  const channel = ctx.config.maintenance.channel;
  if (!channel) {
    ctx.logger.info(
      { window: window.id, stage },
      "maintenance not announced: no MAINT_CHANNEL or INCIDENTS_CHANNEL",
    );
    return;
  }
  await queueNotice(ctx, window, stage, channel, { ...(key && { key }) });
}

/**
 * The lanes approval requests go to: each approver user by DM, user groups in the maintenance channel (none
 * without one: nobody could be asked there).
 */
export function approvalLanes(ctx: AppContext): { lane: string; groups?: readonly string[] }[] {
  const { users, groups } = ctx.config.maintenance.approvers;
  const channel = ctx.config.maintenance.channel;
  const lanes: { lane: string; groups?: readonly string[] }[] = users.map((lane) => ({ lane }));
  if (groups.length > 0 && channel) lanes.push({ lane: channel, groups });
  return lanes;
}

/** Asks every approver lane to decide on a pending window. */
export async function queueApprovalRequests(ctx: AppContext, window: Pick<MaintenanceWindow, "id">) {
  for (const { lane, groups } of approvalLanes(ctx))
    await queueNotice(ctx, window, "approval_request", lane, { ...(groups && { groups }) });
}

/**
 * Once a window is decided or expired, every approval request already sent is edited to say so, its buttons
 * gone. Queued in each request's own lane, after it: a request still unsent is skipped when its turn comes
 * (the window is no longer pending), and one being sent records its message before the close reads it.
 */
export async function queueApprovalClosed(ctx: AppContext, window: Pick<MaintenanceWindow, "id">) {
  for (const { lane } of approvalLanes(ctx)) await queueNotice(ctx, window, "approval_closed", lane);
}

function noticeOf(
  window: MaintenanceWindow,
  stage: Stage,
  groups: readonly string[],
): MaintenanceNotice | undefined {
  switch (stage) {
    case "approval_request":
      // Decided (or expired) since it was queued: nobody needs to be asked any more.
      return window.state === "pending" ? { stage, window, groups } : undefined;
    case "approval_closed":
      return window.state === "pending" ? undefined : { stage, window };
    case "ended":
      return { stage, window, repaged: window.repaged ?? [] };
    default:
      return { stage, window };
  }
}

async function sendNotice(ctx: AppContext, item: Delivery): Promise<SendOutcome<unknown>> {
  const { windowId, stage, groups } = item.payload as { windowId: string; stage: Stage; groups?: string[] };
  const window = await getWindow(ctx.store.models, windowId);
  const notice = window && noticeOf(window, stage, groups ?? []);
  if (!notice) return { status: "done", value: undefined };
  const message = { kind: "maintenance" as const, notice };
  const key = requestMessageKey(windowId, item.channel);
  if (stage === "approval_closed") {
    const sent = await getMessageLookup(ctx.store.models, key);
    // Never sent (the window was settled first): nothing to close.
    return sent ? ctx.notifier.update(sent, message) : { status: "done", value: undefined };
  }
  const sent = isPerson(item.channel)
    ? await ctx.notifier.sendDirect(item.channel, message)
    : await ctx.notifier.post(item.channel, message);
  if (stage === "approval_request" && sent.status === "done")
    await putMessageLookup(ctx.store.models, key, sent.value);
  return sent;
}

export function maintenanceDeliveryHandlers(ctx: AppContext): Record<string, DeliveryHandler> {
  return { [MAINTENANCE_WORK]: { send: (item) => sendNotice(ctx, item) } };
}
