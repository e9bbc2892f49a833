import type { AppContext } from "../context.ts";
import { nextUpdateDue } from "../domain/update-cadence.ts";
import { claimOnce } from "../store/claims.ts";
import { updateIncident } from "../store/incidents.ts";
import { findIncidentsDueForUpdate } from "../store/live-incident-queries.ts";
import type { DueJob } from "./poller.ts";

const BATCH = 50;

/**
 * Reminds the incident channel when a status update is overdue by the severity's cadence (SEV1 and SEV2
 * every 30 minutes, SEV3 hourly), then counts the next one from now. The due time lives on the incident;
 * each reminder is claimed, so several processes post it once.
 */
export function updateRemindersJob(deps: AppContext): DueJob {
  return {
    name: "remind incidents of due status updates",
    runDue: async (now) => {
      const due = await findIncidentsDueForUpdate(deps.store.models, now, BATCH);
      let reminded = 0;
      for (const incident of due) {
        const dueAt = incident.nextUpdateDueAt;
        if (
          !dueAt ||
          !(await claimOnce(deps.store.models, `update-reminder:${incident.id}:${dueAt.getTime()}`))
        )
          continue;
        const policy = deps.config.incidents.severityPolicy[incident.severity];
        if (incident.channelId && !incident.archivedAt) {
          const posted = await deps.notifier.post(incident.channelId, { kind: "update_reminder", incident });
          if (posted.status === "done") reminded++;
          else
            deps.logger.warn(
              { incident: incident.number, error: posted.code },
              "could not post the update reminder",
            );
        }
        await updateIncident(deps.store.models, incident.id, { nextUpdateDueAt: nextUpdateDue(policy, now) });
      }
      return reminded;
    },
  };
}
