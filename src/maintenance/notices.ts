import type { AppContext } from "../context.ts";
import type { DeliveryHandler } from "../jobs/deliveries.ts";
import type { MaintenanceNotice } from "../notifier.ts";
import type { SendOutcome } from "../send-outcome.ts";
import { type Delivery, enqueueDelivery } from "../store/deliveries.ts";
import { getWindow, type MaintenanceWindow } from "../store/maintenance.ts";

/**
 * A window's messages go through the durable delivery queue: keyed by window and stage (so a retry or a
 * second process queues each once), sent at Slack's pace, rendered from the window as it is at send time.
 */

export const MAINTENANCE_WORK = "maintenance-notice";

type Stage = MaintenanceNotice["stage"];

/** A lane that is a person (U… or W…) is a DM; any other is a channel. */
const isPerson = (lane: string) => /^[UW]/.test(lane);

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

function noticeOf(
  window: MaintenanceWindow,
  stage: Stage,
  groups: readonly string[],
): MaintenanceNotice | undefined {
  switch (stage) {
    case "approval_request":
      // Decided (or expired) since it was queued: nobody needs to be asked any more.
      return window.state === "pending" ? { stage, window, groups } : undefined;
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
  return isPerson(item.channel)
    ? ctx.notifier.sendDirect(item.channel, message)
    : ctx.notifier.post(item.channel, message);
}

export function maintenanceDeliveryHandlers(ctx: AppContext): Record<string, DeliveryHandler> {
  return { [MAINTENANCE_WORK]: { send: (item) => sendNotice(ctx, item) } };
}
