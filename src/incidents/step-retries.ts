import { linkImplementingChanges } from "../changes/incident-link.ts";
import { type AppContext, policyOf } from "../context.ts";
import type { Incident } from "../domain/incident.ts";
import type { OpenStatus } from "../domain/status.ts";
import type { FailedStep } from "../domain/timeline.ts";
import { nextUpdateDue } from "../domain/update-cadence.ts";
import type { DeliveryHandler } from "../jobs/deliveries.ts";
import { noteMaintenanceOnDeclare } from "../maintenance/suppression.ts";
import { queueChecklistPosts } from "../runbooks/checklists.ts";
import type { SendFailure, SendOutcome } from "../send-outcome.ts";
import { enqueueDelivery } from "../store/deliveries.ts";
import { getIncidentById, updateIncident } from "../store/incidents.ts";
import { appendEvent } from "../store/timeline.ts";
import { createIncidentChannel } from "./channel.ts";
import { announceIncident } from "./refresh.ts";

/**
 * Incident steps that Slack failed for a while (429, 5xx, no answer) are not left undone: each is queued
 * once as durable work, keyed by the incident and the step, and the delivery job retries it with its
 * backoff (honouring Retry-After) until Slack answers, on any process, after a restart too. Each handler
 * reads the incident afresh and skips what is already done, so a step happens once however often it is
 * tried. A channel created late brings the steps that needed it: the kickoff, the topic, the invites.
 * Steps Slack refuses for good (not found, not allowed) are only told and recorded, as before.
 */

export const INCIDENT_STEP_WORK = "incident-step";

/** A status update that could not be posted yet: what `/incident update` was given, rendered when sent. */
export interface PendingUpdate {
  message: string;
  from: OpenStatus;
  actorId: string;
  at: Date;
}

export type RetriedStep =
  /** `post_context`: what a declaration posts in its channel besides the kickoff (see postChannelContext). */
  | { action: "create_channel" | "post_kickoff" | "describe_channel" | "post_context" }
  | { action: "invite"; userId: string }
  | { action: "post_update"; update: PendingUpdate };

const done: SendOutcome = { status: "done", value: undefined };

const stepKey = (incidentId: string, step: RetriedStep) => {
  if (step.action === "invite") return `${INCIDENT_STEP_WORK}:${incidentId}:invite:${step.userId}`;
  if (step.action === "post_update")
    return `${INCIDENT_STEP_WORK}:${incidentId}:update:${step.update.at.getTime()}`;
  return `${INCIDENT_STEP_WORK}:${incidentId}:${step.action}`;
};

/** The steps of a declaration worth retrying (the others cannot succeed by waiting). */
export function retriedDeclareStep(step: FailedStep): RetriedStep | undefined {
  if (step.action === "invite" && step.userId) return { action: "invite", userId: step.userId };
  if (
    step.action === "create_channel" ||
    step.action === "post_kickoff" ||
    step.action === "describe_channel"
  )
    return { action: step.action };
  return undefined;
}

/**
 * Queues a step to be tried again, no sooner than the Retry-After of the failure that stopped it; one item
 * per incident and step, in one lane per incident, in order.
 */
export async function queueStepRetry(
  ctx: AppContext,
  incidentId: string,
  step: RetriedStep,
  failure?: SendFailure,
): Promise<void> {
  const now = ctx.clock.now();
  const payload =
    step.action === "post_update"
      ? { incidentId, action: step.action, update: { ...step.update, at: step.update.at.getTime() } }
      : { incidentId, ...step };
  await enqueueDelivery(ctx.store.models, {
    key: stepKey(incidentId, step),
    kind: INCIDENT_STEP_WORK,
    channel: `incident:${incidentId}`,
    payload,
    at: now,
    ...(failure?.status === "rate_limited" && { notBefore: new Date(now.getTime() + failure.retryAfterMs) }),
  });
}

function stepOf(payload: Record<string, unknown>): RetriedStep | undefined {
  const { action, userId, update } = payload;
  if (action === "invite" && typeof userId === "string") return { action, userId };
  if (action === "post_update" && update && typeof update === "object") {
    const u = update as Record<string, unknown>;
    return {
      action,
      update: {
        message: String(u.message),
        from: u.from as OpenStatus,
        actorId: String(u.actorId),
        at: new Date(Number(u.at)),
      },
    };
  }
  if (
    action === "create_channel" ||
    action === "post_kickoff" ||
    action === "describe_channel" ||
    action === "post_context"
  )
    return { action };
  return undefined;
}

/** Creates the channel a declaration could not, then queues what needed it. */
async function openChannelLate(ctx: AppContext, incident: Incident): Promise<SendOutcome<unknown>> {
  if (incident.channelId || incident.status === "resolved") return done;
  const channel = await createIncidentChannel(ctx, incident);
  if (channel.status !== "done") return channel;
  const now = ctx.clock.now();
  const { models } = ctx.store;
  const nextUpdateDueAt = nextUpdateDue(policyOf(ctx, incident), now);
  const updated =
    (await updateIncident(models, incident.id, { ...channel.value, nextUpdateDueAt })) ?? incident;
  await appendEvent(models, {
    incidentId: incident.id,
    type: "channel_created",
    at: now,
    actorId: "firebreak",
    payload: { ...channel.value, isPrivate: incident.isPrivate },
    key: "channel",
  });
  // The announcement in the incidents channel now links to it (the topic is the describe step's).
  await announceIncident(ctx, updated);
  const commander = updated.roles.commander;
  const people = commander ? [...new Set([updated.reporterId, commander])] : [];
  for (const step of [
    { action: "post_kickoff" } as const,
    { action: "describe_channel" } as const,
    { action: "post_context" } as const,
    ...people.map((userId) => ({ action: "invite", userId }) as const),
  ])
    await queueStepRetry(ctx, incident.id, step);
  return done;
}

/**
 * In a channel created late, after its kickoff: its runbooks' checklists (attached at declaration, waiting
 * for the channel), the maintenance going on on its services and the changes being implemented on them, as
 * a declaration posts them. The timeline already has these (keyed events: recording again adds nothing).
 */
async function postChannelContext(ctx: AppContext, incident: Incident): Promise<void> {
  // First, as it may throw (the database): the step is then retried, and queueing again is keyed.
  await queueChecklistPosts(ctx, incident);
  await noteMaintenanceOnDeclare(ctx, incident);
  await linkImplementingChanges(ctx, incident);
}

async function retry(ctx: AppContext, incident: Incident, step: RetriedStep): Promise<SendOutcome<unknown>> {
  if (step.action === "create_channel") return openChannelLate(ctx, incident);
  const { channelId } = incident;
  // No channel (its creation is retried first, in this lane) or archived: nothing to do there any more.
  if (!channelId || incident.archivedAt) return done;
  switch (step.action) {
    case "post_kickoff": {
      if (incident.kickoff) return done;
      const posted = await ctx.notifier.post(channelId, { kind: "kickoff", incident });
      if (posted.status === "done")
        await updateIncident(ctx.store.models, incident.id, { kickoff: posted.value });
      return posted;
    }
    case "describe_channel":
      return ctx.notifier.describeChannel(channelId, incident);
    case "post_context":
      await postChannelContext(ctx, incident);
      return done;
    case "invite":
      return ctx.notifier.invite(channelId, step.userId);
    case "post_update":
      return ctx.notifier.post(channelId, { kind: "status_update", incident, update: step.update });
  }
}

export function incidentStepHandlers(ctx: AppContext): Record<string, DeliveryHandler> {
  return {
    [INCIDENT_STEP_WORK]: {
      send: async (item) => {
        const step = stepOf(item.payload);
        const incident = await getIncidentById(ctx.store.models, String(item.payload.incidentId));
        return step && incident ? retry(ctx, incident, step) : done;
      },
    },
  };
}
