import type { AppContext } from "../context.ts";
import type { Incident } from "../domain/incident.ts";
import { type FollowUp, followUpId } from "../domain/postmortem.ts";
import { refreshHomeOfFollowUp } from "../home/home.ts";
import { claimOnce } from "../store/claims.ts";
import { addFollowUp, completeFollowUp, listFollowUps } from "../store/follow-ups.ts";
import { appendEvent } from "../store/timeline.ts";

/**
 * Follow-up actions of an incident: added with an optional owner and due time, listed, marked done. Each
 * change is on the timeline; open ones are kept in the live set the reminders and the daily report read.
 */

/**
 * Adds a follow-up once per request (`requestKey`: Slack's trigger id, claimed), so a retried command adds
 * one; the retry gets undefined.
 */
export async function addIncidentFollowUp(
  ctx: AppContext,
  incident: Incident,
  actorId: string,
  input: { text: string; ownerId?: string | undefined; dueAt?: Date | undefined; requestKey: string },
): Promise<FollowUp | undefined> {
  const { models } = ctx.store;
  if (!(await claimOnce(models, `follow-up-request:${incident.id}:${input.requestKey}`))) return undefined;
  const now = ctx.clock.now();
  const followUp = await addFollowUp(models, {
    incidentId: incident.id,
    workspaceId: incident.workspaceId,
    number: incident.number,
    text: input.text,
    ...(input.ownerId && { ownerId: input.ownerId }),
    ...(input.dueAt && { dueAt: input.dueAt }),
    createdBy: actorId,
    createdAt: now,
    ...(incident.drill && { drill: true }),
  });
  await appendEvent(models, {
    incidentId: incident.id,
    type: "follow_up_added",
    at: now,
    actorId,
    payload: { id: followUp.id, text: followUp.text, ...(followUp.ownerId && { ownerId: followUp.ownerId }) },
    key: `follow-up-added:${followUp.id}`,
  });
  await refreshHomeOfFollowUp(ctx, followUp);
  return followUp;
}

export const incidentFollowUps = (ctx: AppContext, incident: Incident) =>
  listFollowUps(ctx.store.models, incident.id);

export type FollowUpDoneResult =
  | { ok: true; followUp: FollowUp; changed: boolean }
  | { ok: false; reason: "no_such_follow_up"; id: string };

export async function markFollowUpDone(
  ctx: AppContext,
  incident: Incident,
  actorId: string,
  seq: number,
): Promise<FollowUpDoneResult> {
  const now = ctx.clock.now();
  const done = await completeFollowUp(ctx.store.models, incident.id, seq, { doneAt: now, doneBy: actorId });
  if (!done) return { ok: false, reason: "no_such_follow_up", id: followUpId(seq) };
  if (done.changed) {
    await appendEvent(ctx.store.models, {
      incidentId: incident.id,
      type: "follow_up_done",
      at: now,
      actorId,
      payload: { id: done.followUp.id },
      key: `follow-up-done:${done.followUp.id}`,
    });
    await refreshHomeOfFollowUp(ctx, done.followUp);
  }
  return { ok: true, ...done };
}
