import type { AppContext } from "../context.ts";
import { followUpHolder, type HomeSummary, homeSummary, roleHolders } from "../domain/home.ts";
import type { Incident } from "../domain/incident.ts";
import type { DeliveryHandler } from "../jobs/deliveries.ts";
import { onCallLevels } from "../oncall/levels.ts";
import { newReference } from "../reference.ts";
import type { SendOutcome } from "../send-outcome.ts";
import { type Delivery, enqueueDelivery } from "../store/deliveries.ts";
import { openFollowUps } from "../store/follow-ups.ts";
import { getIncidentById } from "../store/incidents.ts";
import { listOpenIncidents } from "../store/live-incident-queries.ts";
import { mapLimited, PAGE_READS } from "../store/parallel.ts";

/**
 * The App Home: each person's view of what is open, what is theirs and who is on call, published when they
 * open the tab and refreshed, as queued Slack work, for the people a change concerns (the role holders of
 * a changed incident, the holder of a follow-up added, done or come due). Everyone else's Home is
 * rebuilt the next time they open it. Reads no history: the open incidents come from the live set (then
 * by `_id`), the follow-ups from the open follow-ups' live set, on call from the schedules.
 */

export const HOME_REFRESH_WORK = "refresh-home";
/**
 * Every Home refresh queues in this one lane, so they go out at the delivery job's pace for a lane (one a
 * second, well inside views.publish's rate limit) and a 429 holds them all back; a person's refreshes
 * coalesce into the one pending (its key names the person).
 */
export const HOME_LANE = "app-home";
/** More than any workspace keeps open: every open incident is read, so the lists and counts are whole. */
const ALL_OPEN = 100_000;

/** What `userId`'s Home shows now. */
export async function buildHome(
  ctx: Pick<AppContext, "config" | "store" | "clock" | "onCall">,
  workspaceId: string,
  userId: string,
): Promise<HomeSummary> {
  const { models } = ctx.store;
  const now = ctx.clock.now();
  const [incidents, followUps, onCall] = await Promise.all([
    listOpenIncidents(models, workspaceId, { skip: 0, limit: ALL_OPEN }),
    openFollowUps(models, workspaceId),
    onCallLevels(ctx, now),
  ]);
  const mine = followUps.filter((followUp) => followUpHolder(followUp) === userId);
  return homeSummary({
    viewerId: userId,
    now,
    incidents,
    followUps: mine,
    channels: await channelsOf(ctx, incidents, [...new Set(mine.map((followUp) => followUp.incidentId))]),
    onCall,
  });
}

/** The channel of each incident named, from the open ones read already, else read by `_id` (resolved ones). */
async function channelsOf(
  ctx: Pick<AppContext, "store">,
  open: readonly Incident[],
  incidentIds: string[],
): Promise<Map<string, string>> {
  const byId = new Map(open.map((incident) => [incident.id, incident]));
  const missing = incidentIds.filter((id) => !byId.has(id));
  const read = await mapLimited(missing, PAGE_READS, (id) => getIncidentById(ctx.store.models, id));
  for (const incident of read) if (incident) byId.set(incident.id, incident);
  const channels = new Map<string, string>();
  for (const id of incidentIds) {
    const channelId = byId.get(id)?.channelId;
    if (channelId) channels.set(id, channelId);
  }
  return channels;
}

/** Builds `userId`'s Home and publishes it. */
export async function publishHome(
  ctx: AppContext,
  workspaceId: string,
  userId: string,
): Promise<SendOutcome> {
  return ctx.notifier.publishHome(userId, await buildHome(ctx, workspaceId, userId));
}

/**
 * Queues a refresh of these people's Homes (one pending per person: a repeat coalesces into it). Never
 * throws: the change that asked for it stands, and a failure is logged with a reference.
 */
export async function queueHomeRefresh(
  ctx: AppContext,
  workspaceId: string,
  userIds: readonly string[],
): Promise<void> {
  const at = ctx.clock.now();
  const people = [...new Set(userIds)].filter((userId) => userId !== "");
  await Promise.all(
    people.map((userId) =>
      enqueueDelivery(ctx.store.models, {
        key: `${HOME_REFRESH_WORK}:${workspaceId}:${userId}`,
        kind: HOME_REFRESH_WORK,
        channel: HOME_LANE,
        payload: { workspaceId, userId },
        at,
      }).catch((error: unknown) => {
        const ref = newReference();
        ctx.logger.warn({ err: error, ref, user: userId }, "could not queue a Home refresh");
      }),
    ),
  );
}

/**
 * After a change of an incident: the role holders before and after it (whoever lost a role sees it leave
 * their Home, whoever gained one sees it arrive).
 */
export const refreshHomesOfIncident = (ctx: AppContext, ...versions: Incident[]): Promise<void> => {
  const [first] = versions;
  if (!first) return Promise.resolve();
  return queueHomeRefresh(ctx, first.workspaceId, versions.flatMap(roleHolders));
};

/** After a follow-up was added, done or came due: its holder's Home. */
export const refreshHomeOfFollowUp = (
  ctx: AppContext,
  followUp: { workspaceId: string; ownerId?: string; createdBy: string },
): Promise<void> => queueHomeRefresh(ctx, followUp.workspaceId, [followUpHolder(followUp)]);

function refresh(ctx: AppContext, item: Delivery): Promise<SendOutcome> {
  const { workspaceId, userId } = item.payload as { workspaceId: string; userId: string };
  return publishHome(ctx, workspaceId, userId);
}

export function homeDeliveryHandlers(ctx: AppContext): Record<string, DeliveryHandler> {
  // Renders the latest state: a change during a publish queues a new refresh instead of coalescing.
  return { [HOME_REFRESH_WORK]: { send: (item) => refresh(ctx, item), latestState: true } };
}
