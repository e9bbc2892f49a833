import type { DuplicateCheckFields } from "../domain/duplicates.ts";
import { type Incident, STATUSES, type Status } from "../domain/incident.ts";
import { getIncidentsByIds } from "./incidents.ts";
import type { Models } from "./store.ts";

/**
 * The queries that read the live set (src/store/live-incidents.ts): the open incidents listed, counted,
 * reported and compared for duplicates, and the incidents whose archive or status update is due. Each scans
 * `live_incidents` (only what still has work ahead) and reads the incidents it picks by `_id`, re-checked,
 * since the incident is the truth (docs/database.md).
 */

const OPEN_STATUSES: Status[] = STATUSES.filter((status) => status !== "resolved");
const NEWEST_FIRST = { declaredAt: -1, number: -1 } as const;

export async function listOpenIncidents(
  models: Models,
  workspaceId: string,
  page: { limit: number; skip: number },
): Promise<Incident[]> {
  const live = await models.liveIncidents
    .find({ workspaceId, status: { $in: OPEN_STATUSES } }, { _id: 1 })
    .sort(NEWEST_FIRST)
    .skip(page.skip)
    .limit(page.limit)
    .lean();
  return getIncidentsByIds(
    models,
    live.map((entry) => entry._id),
  );
}

export function countOpenIncidents(models: Models, workspaceId: string): Promise<number> {
  return models.liveIncidents.countDocuments({ workspaceId, status: { $in: OPEN_STATUSES } }).exec();
}

/**
 * The open incidents a report shows: how many there are, how many have an overdue status update (stale),
 * and up to `limit` of them read by `_id`, stale ones first, then newest. One scan of the live set.
 */
export async function openIncidentsForReport(
  models: Models,
  workspaceId: string,
  now: Date,
  limit: number,
): Promise<{ total: number; stale: number; incidents: Incident[] }> {
  const entries = await models.liveIncidents
    .find(
      { workspaceId, status: { $in: OPEN_STATUSES } },
      { _id: 1, nextUpdateDueAt: 1, declaredAt: 1, drill: 1 },
    )
    .lean();
  // Drills are practice: no report lists them.
  const live = entries.filter((entry) => !entry.drill);
  const isStale = (entry: { nextUpdateDueAt?: Date }) =>
    entry.nextUpdateDueAt !== undefined && entry.nextUpdateDueAt <= now;
  const shown = live
    .sort(
      (a, b) => Number(isStale(b)) - Number(isStale(a)) || b.declaredAt.getTime() - a.declaredAt.getTime(),
    )
    .slice(0, limit);
  const incidents = await getIncidentsByIds(
    models,
    shown.map((entry) => entry._id),
  );
  return {
    total: live.length,
    stale: live.filter(isStale).length,
    incidents: incidents.filter((incident) => incident.status !== "resolved"),
  };
}

/** An open incident as the duplicate check reads it, from its live-set entry. */
export type DuplicateCandidateEntry = DuplicateCheckFields & { id: string; number: number };

/**
 * Open incidents declared at or after `since`, newest first, as the duplicate check compares them: read from
 * the live set alone (entries written before it kept titles and services are completed from their
 * incidents). `exceptDeclareKey` leaves out the incident of that declaration (a retried or double-submitted
 * declare must not be warned about itself).
 */
export async function recentOpenEntries(
  models: Models,
  workspaceId: string,
  since: Date,
  exceptDeclareKey?: string,
): Promise<DuplicateCandidateEntry[]> {
  const live = await models.liveIncidents
    .find({
      workspaceId,
      status: { $in: OPEN_STATUSES },
      declaredAt: { $gte: since },
      ...(exceptDeclareKey !== undefined && { declareKey: { $ne: exceptDeclareKey } }),
    })
    .sort(NEWEST_FIRST)
    .lean();
  const incomplete = live.filter(
    (entry) => entry.title === undefined || entry.affectedServices === undefined,
  );
  const read = new Map(
    (
      await getIncidentsByIds(
        models,
        incomplete.map((entry) => entry._id),
      )
    ).map((incident) => [incident.id, incident]),
  );
  return live.flatMap((entry) => {
    const fields = entry.title !== undefined && entry.affectedServices ? entry : read.get(entry._id);
    if (!fields?.title || !fields.affectedServices) return [];
    const { title, affectedServices } = fields;
    const { declaredAt, status, number } = entry;
    return [{ id: entry._id, number, title, affectedServices, declaredAt, status }];
  });
}

/**
 * The incidents of the live-set entries in `status` whose `due` time has come, soonest first: the database is
 * the clock. The caller re-checks each incident, the truth.
 */
async function dueIncidents(
  models: Models,
  due: "archiveDueAt" | "nextUpdateDueAt",
  status: Status | { $in: Status[] },
  now: Date,
  limit: number,
): Promise<Incident[]> {
  const live = await models.liveIncidents
    .find({ status, [due]: { $lte: now } }, { _id: 1 })
    .sort({ [due]: 1 })
    .limit(limit)
    .lean();
  return getIncidentsByIds(
    models,
    live.map((entry) => entry._id),
  );
}

/** Resolved, unarchived incidents whose archive time has come, oldest due first. */
export async function findIncidentsDueForArchive(
  models: Models,
  now: Date,
  limit: number,
): Promise<Incident[]> {
  const incidents = await dueIncidents(models, "archiveDueAt", "resolved", now, limit);
  return incidents.filter(
    (incident) =>
      incident.status === "resolved" &&
      incident.archiveDueAt &&
      incident.archiveDueAt <= now &&
      !incident.archivedAt,
  );
}

/** Open incidents whose status update is overdue, soonest first: the reminder job's query. */
export async function findIncidentsDueForUpdate(
  models: Models,
  now: Date,
  limit: number,
): Promise<Incident[]> {
  const incidents = await dueIncidents(models, "nextUpdateDueAt", { $in: OPEN_STATUSES }, now, limit);
  return incidents.filter(
    (incident) =>
      incident.status !== "resolved" && incident.nextUpdateDueAt && incident.nextUpdateDueAt <= now,
  );
}
