import type { AppContext } from "../context.ts";
import { type Incident, incidentKey } from "../domain/incident.ts";
import {
  nextPostmortemReminder,
  type Postmortem,
  postmortemDraft,
  postmortemFilename,
} from "../domain/postmortem.ts";
import type { DeliveryHandler } from "../jobs/deliveries.ts";
import type { SendOutcome } from "../send-outcome.ts";
import { getChecklists } from "../store/checklists.ts";
import { type Delivery, enqueueDelivery } from "../store/deliveries.ts";
import { listFollowUps } from "../store/follow-ups.ts";
import { getIncidentById } from "../store/incidents.ts";
import {
  completePostmortem,
  getPostmortem,
  nextDraftVersion,
  startPostmortem,
} from "../store/postmortems.ts";
import { appendEvent, listEvents } from "../store/timeline.ts";

/**
 * Postmortems: started when an incident of a configured severity is resolved (or on request), owned by the
 * commander and due a configured time later. Each draft is queued Slack work keyed by the incident and the
 * draft's version, so a retry or a restart uploads it once; the Markdown is built when it is sent, from the
 * incident, its whole timeline and its follow-ups as they are then.
 */

export const DRAFT_WORK = "postmortem-draft";
const HOUR_MS = 3_600_000;

/** Why an incident gets no postmortem: no channel to share the draft in, or it is a drill (practice). */
export type NoPostmortem = { ok: false; reason: "no_channel" | "drill" };

export type PostmortemResult =
  | { ok: true; postmortem: Postmortem; version: number; created: boolean }
  | NoPostmortem;

/**
 * Starts the incident's postmortem if it has none, and queues a new draft of it. `now`: when it was asked
 * for (a resolve's time, so the due time counts from the resolution).
 */
export async function draftPostmortem(
  ctx: AppContext,
  incident: Incident,
  actorId: string,
  now = ctx.clock.now(),
): Promise<PostmortemResult> {
  // A drill owes no postmortem: one would be listed as due in the reports drills stay out of.
  if (incident.drill) return { ok: false, reason: "drill" };
  if (!incident.channelId) return { ok: false, reason: "no_channel" };
  const { models } = ctx.store;
  const { dueHours, remindBeforeHours } = ctx.config.postmortems;
  const dueAt = new Date(now.getTime() + dueHours * HOUR_MS);
  const first = nextPostmortemReminder(dueAt, remindBeforeHours * HOUR_MS, undefined);
  const { postmortem, created } = await startPostmortem(
    models,
    {
      incidentId: incident.id,
      workspaceId: incident.workspaceId,
      number: incident.number,
      ownerId: incident.roles.commander ?? actorId,
      channelId: incident.channelId,
      createdAt: now,
      dueAt,
    },
    first?.at ?? dueAt,
  );
  const version = await nextDraftVersion(models, incident.id);
  if (version === undefined) throw new Error(`the postmortem of ${incidentKey(incident.number)} disappeared`);
  await appendEvent(models, {
    incidentId: incident.id,
    type: "postmortem_drafted",
    at: now,
    actorId,
    payload: { version, dueAt: postmortem.dueAt, ownerId: postmortem.ownerId },
    key: `postmortem-draft:${version}`,
  });
  await enqueueDelivery(models, {
    key: `${DRAFT_WORK}:${incident.id}:${version}`,
    kind: DRAFT_WORK,
    channel: incident.channelId,
    payload: { incidentId: incident.id, version },
    at: now,
  });
  return { ok: true, postmortem: { ...postmortem, draftVersion: version }, version, created };
}

/** After a resolve: a postmortem for the severities that need one. */
export async function postmortemAfterResolve(ctx: AppContext, incident: Incident, actorId: string) {
  if (incident.drill || !ctx.config.postmortems.severities.includes(incident.severity)) return undefined;
  return draftPostmortem(ctx, incident, actorId, incident.resolvedAt);
}

export type FinishResult =
  | { ok: true; postmortem: Postmortem; changed: boolean }
  | { ok: false; reason: "no_postmortem" | "drill" };

/** Records the finished document on the postmortem and the timeline (the same link twice: one record). */
export async function finishPostmortem(
  ctx: AppContext,
  incident: Incident,
  actorId: string,
  link: string,
): Promise<FinishResult> {
  if (incident.drill) return { ok: false, reason: "drill" };
  const { models } = ctx.store;
  const existing = await getPostmortem(models, incident.id);
  if (!existing) return { ok: false, reason: "no_postmortem" };
  if (existing.link === link) return { ok: true, postmortem: existing, changed: false };
  const now = ctx.clock.now();
  const done = await completePostmortem(models, incident.id, { link, doneAt: now, doneBy: actorId });
  if (!done) return { ok: false, reason: "no_postmortem" };
  await appendEvent(models, {
    incidentId: incident.id,
    type: "postmortem_done",
    at: now,
    actorId,
    payload: { link },
    key: `postmortem-done:${link}`,
  });
  return { ok: true, postmortem: done, changed: true };
}

/** Uploads one draft, built from the incident as it is when the delivery job sends it. */
async function uploadDraft(ctx: AppContext, item: Delivery): Promise<SendOutcome<unknown>> {
  const { incidentId, version } = item.payload as { incidentId: string; version: number };
  const { models } = ctx.store;
  const [incident, postmortem] = await Promise.all([
    getIncidentById(models, incidentId),
    getPostmortem(models, incidentId),
  ]);
  if (!incident || !postmortem) return { status: "not_found", code: "postmortem_gone" };
  const [{ events }, followUps, checklists] = await Promise.all([
    listEvents(models, incidentId),
    listFollowUps(models, incidentId),
    getChecklists(models, incidentId),
  ]);
  const now = ctx.clock.now();
  const content = postmortemDraft({
    incident,
    events,
    followUps,
    postmortem: { ...postmortem, draftVersion: version },
    now,
    checklists: checklists?.runbooks ?? [],
  });
  const key = incidentKey(incident.number);
  return ctx.notifier.uploadFile(item.channel, {
    filename: postmortemFilename(incident.number, version),
    title: `${key} postmortem draft ${version}`,
    content,
    comment: `Postmortem draft ${version} of ${key}. Copy it into your documents, fill in the blanks, then record it with /incident postmortem done followed by its link.`,
  });
}

export function postmortemDeliveryHandlers(ctx: AppContext): Record<string, DeliveryHandler> {
  return { [DRAFT_WORK]: { send: (item) => uploadDraft(ctx, item) } };
}
