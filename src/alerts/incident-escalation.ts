import type { AppContext } from "../context.ts";
import type { AlertSeverity, EscalationPolicy } from "../domain/alert.ts";
import { type Incident, incidentKey, type Severity } from "../domain/incident.ts";
import { closeAlert, findIncidentEscalation, recordFiring } from "../store/alert-firings.ts";
import { updateAlert } from "../store/alerts.ts";
import { afterAlertStopped } from "./alert-changes.ts";
import { haltEscalation } from "./escalation-steps.ts";

const ALERT_SEVERITY: Record<Severity, AlertSeverity> = {
  sev1: "critical",
  sev2: "high",
  sev3: "medium",
  sev4: "low",
};

/**
 * An unacknowledged incident escalates with the same machinery as alerts: the configured policy, shifted
 * by the severity's response time (SEV1 5 min, SEV2 15, SEV3 60, SEV4 240), so nobody is paged while the
 * response time has not run out, and the next levels follow on the policy's own spacing.
 */
export function incidentEscalationPolicy(
  policy: EscalationPolicy,
  responseMinutes: number,
): EscalationPolicy {
  return {
    ...policy,
    id: `${policy.id}+${responseMinutes}min`,
    levels: policy.levels.map((level) => ({ ...level, afterMinutes: level.afterMinutes + responseMinutes })),
  };
}

/** Arms the escalation of a newly declared (or reopened) incident; pages are announced in the kickoff's thread. */
export async function armIncidentEscalation(ctx: AppContext, incident: Incident): Promise<void> {
  const responseMinutes = ctx.config.incidents.severityPolicy[incident.severity].responseMinutes;
  await recordFiring(
    ctx.store.models,
    {
      source: "incident",
      fingerprint: incident.id,
      status: "firing",
      title: `${incidentKey(incident.number)}: ${incident.title}`,
      severity: ALERT_SEVERITY[incident.severity],
      service: incident.affectedServices[0] ?? "",
      description: "",
      links: [],
      labels: [],
      annotations: [],
    },
    {
      // From the declaration, or from the reopening: a reopened incident's clock starts again.
      now: incident.reopenedAt ?? incident.declaredAt,
      paging: true,
      policy: incidentEscalationPolicy(ctx.config.alerts.escalationPolicy, responseMinutes),
      incident: { id: incident.id, number: incident.number, thread: incident.kickoff },
    },
  );
}

/**
 * Stops an incident's escalation when it is acknowledged or resolved. Returns the levels already paged
 * while this raced the timer.
 */
export async function stopIncidentEscalation(
  ctx: AppContext,
  incident: Incident,
  outcome: { by: string; resolved: boolean },
): Promise<string[]> {
  const escalation = await findIncidentEscalation(ctx.store.models, incident.id);
  if (!escalation) return [];
  const raced = await haltEscalation(ctx, escalation.id);
  const now = ctx.clock.now();
  const stopped = outcome.resolved
    ? await closeAlert(ctx.store.models, escalation, { now, by: outcome.by })
    : await updateAlert(ctx.store.models, escalation.id, {
        state: "acknowledged",
        acknowledgedAt: now,
        acknowledgedBy: outcome.by,
        nextDueAt: undefined,
      });
  if (stopped) await afterAlertStopped(ctx, stopped);
  return raced;
}
