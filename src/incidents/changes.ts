import { armIncidentEscalation, stopIncidentEscalation } from "../alerts/incident-escalation.ts";
import { type AppContext, policyOf } from "../context.ts";
import { humanDuration } from "../domain/duration.ts";
import { type Incident, incidentKey, type Role, type Severity } from "../domain/incident.ts";
import { severityLabel } from "../domain/severity.ts";
import { changeStatus, type OpenStatus, reopen as reopenTransition, statusLabel } from "../domain/status.ts";
import { nextUpdateDue } from "../domain/update-cadence.ts";
import type { Message } from "../notifier.ts";
import { pollUntil } from "../poll-until.ts";
import { claimOnce } from "../store/claims.ts";
import { getIncidentById, updateIncident } from "../store/incidents.ts";
import { appendEvent } from "../store/timeline.ts";
import { inviteToChannel } from "./channel.ts";
import { mayManageIncident } from "./permissions.ts";
import { refreshIncidentMessages } from "./refresh.ts";

/** The outcome of a change, with a sentence for the person who asked (shown ephemerally). */
export type ChangeResult = { ok: true; incident: Incident; message: string } | { ok: false; message: string };

const refused = (message: string): ChangeResult => ({ ok: false, message });

/** Keys one resolve/reopen round apart from the next, so the same click repeated is one change. */
const roundOf = (incident: Incident) => String(incident.reopenedAt?.getTime() ?? 0);

async function save(ctx: AppContext, incident: Incident, patch: Parameters<typeof updateIncident>[2]) {
  const updated = await updateIncident(ctx.store.models, incident.id, patch);
  if (!updated) throw new Error(`${incidentKey(incident.number)} disappeared while being changed`);
  return refreshIncidentMessages(ctx, updated);
}

/**
 * The first acknowledgement wins, across double clicks, retries and processes (a claim under a unique
 * index); everyone after is told who acknowledged and when.
 */
export async function acknowledge(
  ctx: AppContext,
  incident: Incident,
  actorId: string,
): Promise<ChangeResult> {
  const key = incidentKey(incident.number);
  if (!(await claimOnce(ctx.store.models, `ack:${incident.id}:${roundOf(incident)}`))) {
    const winner = await waitForAcknowledgement(ctx, incident.id);
    const who = winner?.acknowledgedBy ? `<@${winner.acknowledgedBy}>` : "someone else";
    const when = winner?.acknowledgedAt
      ? ` ${humanDuration(ctx.clock.now().getTime() - winner.acknowledgedAt.getTime())} ago`
      : "";
    return refused(`${key} was already acknowledged by ${who}${when}.`);
  }
  const now = ctx.clock.now();
  await appendEvent(ctx.store.models, {
    incidentId: incident.id,
    type: "acknowledged",
    at: now,
    actorId,
    payload: {},
    key: `ack:${roundOf(incident)}`,
  });
  const raced = await stopIncidentEscalation(ctx, incident, { by: actorId, resolved: false });
  const updated = await save(ctx, incident, { acknowledgedAt: now, acknowledgedBy: actorId });
  const note = raced.length > 0 ? ` It had already escalated to ${raced.join(", ")}.` : "";
  return { ok: true, incident: updated, message: `You acknowledged ${key}.${note}` };
}

const waitForAcknowledgement = (ctx: AppContext, id: string) =>
  pollUntil(
    () => getIncidentById(ctx.store.models, id),
    (incident) => !incident || incident.acknowledgedBy !== undefined,
    { attempts: 20, intervalMs: 50 },
  );

/** Posts a status update from the template, and moves the status if it changed. */
export async function postUpdate(
  ctx: AppContext,
  incident: Incident,
  actorId: string,
  update: { status: OpenStatus; message: string },
): Promise<ChangeResult> {
  const key = incidentKey(incident.number);
  if (incident.status === "resolved") return refused(`${key} is resolved: reopen it before posting updates.`);
  const changed = update.status !== incident.status;
  if (changed) {
    const transition = changeStatus(incident.status, update.status, incident.number);
    if (!transition.ok) return refused(transition.reason);
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
  if (updated.channelId) {
    const posted = { message: update.message, from: incident.status, actorId, at: now };
    await postOrLog(ctx, updated.channelId, { kind: "status_update", incident: updated, update: posted });
  }
  return { ok: true, incident: updated, message: `Update posted to ${key} (${statusLabel(update.status)}).` };
}

export async function changeSeverity(
  ctx: AppContext,
  incident: Incident,
  actorId: string,
  severity: Severity,
): Promise<ChangeResult> {
  const key = incidentKey(incident.number);
  const permission = await mayManageIncident(ctx, incident, actorId);
  if (!permission.allowed) return refused(permission.reason);
  if (severity === incident.severity) return refused(`${key} is already ${severityLabel(severity)}.`);
  await appendEvent(ctx.store.models, {
    incidentId: incident.id,
    type: "severity_changed",
    at: ctx.clock.now(),
    actorId,
    payload: { from: incident.severity, to: severity },
  });
  // A new severity brings a new cadence, counted from now.
  const nextUpdateDueAt = nextUpdateDue(ctx.config.incidents.severityPolicy[severity], ctx.clock.now());
  const updated = await save(ctx, incident, { severity, nextUpdateDueAt });
  return { ok: true, incident: updated, message: `${key} is now ${severityLabel(severity)}.` };
}

export async function assignRole(
  ctx: AppContext,
  incident: Incident,
  actorId: string,
  role: Role,
  userId: string,
): Promise<ChangeResult> {
  const key = incidentKey(incident.number);
  const previous = incident.roles[role];
  if (previous === userId) return refused(`<@${userId}> is already the ${role} of ${key}.`);
  await appendEvent(ctx.store.models, {
    incidentId: incident.id,
    type: "role_assigned",
    at: ctx.clock.now(),
    actorId,
    payload: { role, userId, previousUserId: previous },
  });
  const updated = await save(ctx, incident, { roles: { ...incident.roles, [role]: userId } });
  if (updated.channelId && !updated.archivedAt) await inviteToChannel(ctx, updated.channelId, [userId]);
  return { ok: true, incident: updated, message: `<@${userId}> is now the ${role} of ${key}.` };
}

export async function addNote(
  ctx: AppContext,
  incident: Incident,
  actorId: string,
  text: string,
): Promise<ChangeResult> {
  await appendEvent(ctx.store.models, {
    incidentId: incident.id,
    type: "note",
    at: ctx.clock.now(),
    actorId,
    payload: { text },
  });
  return { ok: true, incident, message: `Note added to the timeline of ${incidentKey(incident.number)}.` };
}

/** Resolves once per round (a repeated submit is one resolve) and schedules the channel's archive. */
export async function resolve(
  ctx: AppContext,
  incident: Incident,
  actorId: string,
  outcome: { resolution: string; rootCause?: string | undefined },
): Promise<ChangeResult> {
  const key = incidentKey(incident.number);
  const permission = await mayManageIncident(ctx, incident, actorId);
  if (!permission.allowed) return refused(permission.reason);
  const transition = changeStatus(incident.status, "resolved", incident.number);
  if (!transition.ok) return refused(transition.reason);
  if (!(await claimOnce(ctx.store.models, `resolve:${incident.id}:${roundOf(incident)}`))) {
    return refused(`${key} is already resolved.`);
  }
  const now = ctx.clock.now();
  const archiveAfter = ctx.config.incidents.archiveAfterMinutes;
  await appendEvent(ctx.store.models, {
    incidentId: incident.id,
    type: "resolved",
    at: now,
    actorId,
    payload: { resolution: outcome.resolution, rootCause: outcome.rootCause },
    key: `resolved:${roundOf(incident)}`,
  });
  const updated = await save(ctx, incident, {
    status: "resolved",
    resolvedAt: now,
    resolution: outcome.resolution,
    rootCause: outcome.rootCause,
    mitigatedAt: incident.mitigatedAt ?? now,
    archiveDueAt: archiveAfter === null ? undefined : new Date(now.getTime() + archiveAfter * 60_000),
    nextUpdateDueAt: undefined,
  });
  await stopIncidentEscalation(ctx, incident, { by: actorId, resolved: true });
  if (updated.channelId) await postOrLog(ctx, updated.channelId, { kind: "resolved", incident: updated });
  const archiveNote =
    archiveAfter === null ? "" : ` Its channel will be archived in ${humanDuration(archiveAfter * 60_000)}.`;
  return { ok: true, incident: updated, message: `${key} is resolved.${archiveNote}` };
}

/** Back to investigating: unarchives the channel if it was archived and cancels a pending archive. */
export async function reopenIncident(
  ctx: AppContext,
  incident: Incident,
  actorId: string,
): Promise<ChangeResult> {
  const key = incidentKey(incident.number);
  const permission = await mayManageIncident(ctx, incident, actorId);
  if (!permission.allowed) return refused(permission.reason);
  const transition = reopenTransition(incident.status, incident.number);
  if (!transition.ok) return refused(transition.reason);
  const round = String(incident.resolvedAt?.getTime() ?? 0);
  if (!(await claimOnce(ctx.store.models, `reopen:${incident.id}:${round}`)))
    return refused(`${key} is already reopened.`);
  const now = ctx.clock.now();
  if (incident.channelId && incident.archivedAt) {
    const unarchived = await ctx.notifier.unarchive(incident.channelId);
    await appendEvent(
      ctx.store.models,
      unarchived.status === "done"
        ? {
            incidentId: incident.id,
            type: "channel_unarchived",
            at: now,
            actorId,
            payload: { channelId: incident.channelId },
            key: `unarchived:${round}`,
          }
        : {
            incidentId: incident.id,
            type: "slack_error",
            at: now,
            actorId: "firebreak",
            payload: { step: "unarchive the channel", error: unarchived.code },
          },
    );
  }
  await appendEvent(ctx.store.models, {
    incidentId: incident.id,
    type: "reopened",
    at: now,
    actorId,
    payload: {},
    key: `reopened:${round}`,
  });
  // A reopened incident needs someone again: acknowledgement and escalation start over from now.
  const updated = await save(ctx, incident, {
    status: "investigating",
    reopenedAt: now,
    acknowledgedAt: undefined,
    acknowledgedBy: undefined,
    nextUpdateDueAt: nextUpdateDue(policyOf(ctx, incident), now),
    archiveDueAt: undefined,
    archivedAt: undefined,
  });
  await armIncidentEscalation(ctx, updated);
  return { ok: true, incident: updated, message: `${key} is reopened and back to investigating.` };
}

/** Posts a message about a change in the incident's channel; a failure is logged, the change stands. */
async function postOrLog(ctx: AppContext, channelId: string, message: Message) {
  const posted = await ctx.notifier.post(channelId, message);
  if (posted.status !== "done")
    ctx.logger.warn({ step: message.kind, error: posted.code }, "could not post to the incident channel");
}
