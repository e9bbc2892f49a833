import { armIncidentEscalation, stopIncidentEscalation } from "../alerts/incident-escalation.ts";
import { type AppContext, policyOf } from "../context.ts";
import type { Incident, Role, Severity } from "../domain/incident.ts";
import { changeStatus, reopen as reopenTransition } from "../domain/status.ts";
import { nextUpdateDue } from "../domain/update-cadence.ts";
import type { Message } from "../notifier.ts";
import { pollUntil } from "../poll-until.ts";
import { postmortemAfterResolve } from "../postmortems/postmortems.ts";
import { claimOnce } from "../store/claims.ts";
import { getIncidentById } from "../store/incidents.ts";
import { appendEvent } from "../store/timeline.ts";
import { type ChangeResult, notAllowed, refused, roundOf, save } from "./change-result.ts";
import { inviteToChannel } from "./channel.ts";
import { mayManageIncident } from "./permissions.ts";

/**
 * The first acknowledgement wins, across double clicks, retries and processes (a claim under a unique
 * index); everyone after is told who acknowledged and when.
 */
export async function acknowledge(
  ctx: AppContext,
  incident: Incident,
  actorId: string,
): Promise<ChangeResult> {
  const { number } = incident;
  if (!(await claimOnce(ctx.store.models, `ack:${incident.id}:${roundOf(incident)}`))) {
    const winner = await waitForAcknowledgement(ctx, incident.id);
    return refused({
      kind: "already_acknowledged",
      number,
      by: winner?.acknowledgedBy,
      at: winner?.acknowledgedAt,
    });
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
  return { ok: true, incident: updated, done: { kind: "acknowledged", number, escalatedTo: raced } };
}

const waitForAcknowledgement = (ctx: AppContext, id: string) =>
  pollUntil(
    () => getIncidentById(ctx.store.models, id),
    (incident) => !incident || incident.acknowledgedBy !== undefined,
    { attempts: 20, intervalMs: 50 },
  );

export async function changeSeverity(
  ctx: AppContext,
  incident: Incident,
  actorId: string,
  severity: Severity,
): Promise<ChangeResult> {
  const { number } = incident;
  const permission = await mayManageIncident(ctx, incident, actorId);
  if (!permission.allowed) return refused(permission.refusal);
  if (severity === incident.severity) return refused({ kind: "already_severity", number, severity });
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
  return { ok: true, incident: updated, done: { kind: "severity_changed", number, severity } };
}

export async function assignRole(
  ctx: AppContext,
  incident: Incident,
  actorId: string,
  role: Role,
  userId: string,
): Promise<ChangeResult> {
  const { number } = incident;
  const previous = incident.roles[role];
  if (previous === userId) return refused({ kind: "already_role", number, role, userId });
  await appendEvent(ctx.store.models, {
    incidentId: incident.id,
    type: "role_assigned",
    at: ctx.clock.now(),
    actorId,
    payload: { role, userId, previousUserId: previous },
  });
  const updated = await save(ctx, incident, { roles: { ...incident.roles, [role]: userId } });
  if (updated.channelId && !updated.archivedAt) await inviteToChannel(ctx, updated.channelId, [userId]);
  return { ok: true, incident: updated, done: { kind: "role_assigned", number, role, userId } };
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
  return { ok: true, incident, done: { kind: "note_added", number: incident.number } };
}

/** Resolves once per round (a repeated submit is one resolve) and schedules the channel's archive. */
export async function resolve(
  ctx: AppContext,
  incident: Incident,
  actorId: string,
  outcome: { resolution: string; rootCause?: string | undefined },
): Promise<ChangeResult> {
  const { number } = incident;
  const permission = await mayManageIncident(ctx, incident, actorId);
  if (!permission.allowed) return refused(permission.refusal);
  const transition = changeStatus(incident.status, "resolved", number);
  if (!transition.ok) return notAllowed(transition.reason);
  if (!(await claimOnce(ctx.store.models, `resolve:${incident.id}:${roundOf(incident)}`))) {
    return refused({ kind: "already_resolved", number });
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
  await postmortemAfterResolve(ctx, updated, actorId).catch((error: unknown) =>
    // The incident is resolved either way; `/incident postmortem` starts the postmortem by hand.
    ctx.logger.error({ err: error, incident: number }, "could not start the postmortem"),
  );
  return {
    ok: true,
    incident: updated,
    done: { kind: "resolved", number, archiveAfterMinutes: archiveAfter },
  };
}

/** Back to investigating: unarchives the channel if it was archived and cancels a pending archive. */
export async function reopenIncident(
  ctx: AppContext,
  incident: Incident,
  actorId: string,
): Promise<ChangeResult> {
  const { number } = incident;
  const permission = await mayManageIncident(ctx, incident, actorId);
  if (!permission.allowed) return refused(permission.refusal);
  const transition = reopenTransition(incident.status, number);
  if (!transition.ok) return notAllowed(transition.reason);
  const round = String(incident.resolvedAt?.getTime() ?? 0);
  if (!(await claimOnce(ctx.store.models, `reopen:${incident.id}:${round}`)))
    return refused({ kind: "already_reopened", number });
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
            payload: { action: "unarchive_channel", error: unarchived.code },
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
  return { ok: true, incident: updated, done: { kind: "reopened", number } };
}

/** Posts a message about a change in the incident's channel; a failure is logged, the change stands. */
async function postOrLog(ctx: AppContext, channelId: string, message: Message) {
  const posted = await ctx.notifier.post(channelId, message);
  if (posted.status !== "done")
    ctx.logger.warn({ step: message.kind, error: posted.code }, "could not post to the incident channel");
}
