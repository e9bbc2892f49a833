import { type AppContext, policyOf } from "../context.ts";
import type { Incident } from "../domain/incident.ts";
import { changeStatus, type OpenStatus } from "../domain/status.ts";
import { nextUpdateDue } from "../domain/update-cadence.ts";
import { newReference } from "../reference.ts";
import { isRetryable } from "../send-outcome.ts";
import { appendEvent } from "../store/timeline.ts";
import { type ChangeResult, notAllowed, refused, save, type UpdateProblem } from "./change-result.ts";
import { type PendingUpdate, queueStepRetry } from "./step-retries.ts";

/** Posts a status update from the template, and moves the status if it changed. */
export async function postUpdate(
  ctx: AppContext,
  incident: Incident,
  actorId: string,
  update: { status: OpenStatus; message: string },
): Promise<ChangeResult> {
  const { number } = incident;
  if (incident.status === "resolved") return refused({ kind: "resolved_no_updates", number });
  const changed = update.status !== incident.status;
  if (changed) {
    const transition = changeStatus(incident.status, update.status, number);
    if (!transition.ok) return notAllowed(transition.reason);
  }
  const now = ctx.clock.now();
  if (changed) {
    await appendEvent(ctx.store.models, {
      incidentId: incident.id,
      type: "status_changed",
      at: now,
      actorId,
      payload: { from: incident.status, to: update.status, message: update.message },
    });
  } else {
    await appendEvent(ctx.store.models, {
      incidentId: incident.id,
      type: "update_posted",
      at: now,
      actorId,
      payload: { status: update.status, message: update.message },
    });
  }
  const mitigatedAt = update.status === "monitoring" && !incident.mitigatedAt ? now : incident.mitigatedAt;
  const updated = await save(ctx, incident, {
    status: update.status,
    mitigatedAt,
    nextUpdateDueAt: nextUpdateDue(policyOf(ctx, incident), now),
  });
  const problem = updated.channelId
    ? await postStatusUpdate(ctx, updated, updated.channelId, {
        message: update.message,
        from: incident.status,
        actorId,
        at: now,
      })
    : undefined;
  return {
    ok: true,
    incident: updated,
    done: { kind: "update_posted", number, status: update.status, problem },
  };
}

/**
 * Posts a status update in the incident channel. When Slack fails for a while it is queued and posted once
 * Slack answers; either way the person is told, with the reference of the log line.
 */
async function postStatusUpdate(
  ctx: AppContext,
  incident: Incident,
  channelId: string,
  update: PendingUpdate,
): Promise<UpdateProblem | undefined> {
  const posted = await ctx.notifier.post(channelId, { kind: "status_update", incident, update });
  if (posted.status === "done") return undefined;
  const ref = newReference();
  const retrying = isRetryable(posted);
  ctx.logger.warn(
    { ref, incident: incident.number, error: posted.code, retrying },
    "could not post a status update to the incident channel",
  );
  if (retrying) await queueStepRetry(ctx, incident.id, { action: "post_update", update }, posted);
  await appendEvent(ctx.store.models, {
    incidentId: incident.id,
    type: "slack_error",
    at: ctx.clock.now(),
    actorId: "firebreak",
    payload: { action: "post_update", ref, error: posted.code },
  });
  return { failure: posted, ref, retrying };
}
