import type { AppContext } from "../context.ts";
import { refreshIncidentMessages } from "../incidents/refresh.ts";
import { updateIncident } from "../store/incidents.ts";
import { findIncidentsDueForArchive } from "../store/live-incident-queries.ts";
import { appendEvent } from "../store/timeline.ts";
import type { DueJob } from "./poller.ts";

const BATCH = 50;

/**
 * Archives resolved incidents' channels once their archive time (stored on the incident) has passed.
 * Every step is idempotent (archiving an archived channel is done, the timeline event has a key), so two
 * processes, or a retry after a crash, archive once and record it once, with no lease needed.
 */
export function archiveChannelsJob(deps: AppContext): DueJob {
  return {
    name: "archive resolved incident channels",
    runDue: async (now) => {
      const due = await findIncidentsDueForArchive(deps.store.models, now, BATCH);
      for (const incident of due) {
        if (!incident.channelId) {
          await updateIncident(deps.store.models, incident.id, { archiveDueAt: undefined });
          continue;
        }
        const archivedChannel = await deps.notifier.archive(incident.channelId);
        if (archivedChannel.status !== "done") {
          deps.logger.warn(
            { incident: incident.number, error: archivedChannel.code },
            "could not archive; will retry",
          );
          continue;
        }
        const round = String(incident.resolvedAt?.getTime() ?? 0);
        await appendEvent(deps.store.models, {
          incidentId: incident.id,
          type: "channel_archived",
          at: now,
          actorId: "firebreak",
          payload: { channelId: incident.channelId },
          key: `archived:${round}`,
        });
        const archived = await updateIncident(deps.store.models, incident.id, {
          archivedAt: now,
          archiveDueAt: undefined,
        });
        if (archived) await refreshIncidentMessages(deps, archived);
      }
      return due.length;
    },
  };
}
