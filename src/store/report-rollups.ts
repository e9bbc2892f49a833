import { type Connection, type Model, Schema } from "mongoose";
import { type AlertTally, emptyTally } from "../domain/alert-tally.ts";
import type { Incident } from "../domain/incident.ts";
import type { IncidentSnapshot, Window } from "../domain/report.ts";
import { addIncrements } from "./coalesced-increments.ts";
import { isDuplicateKeyError } from "./errors.ts";
import { mapLimited, PAGE_READS } from "./parallel.ts";
import { serialised } from "./serial.ts";
import type { Models } from "./store.ts";

/**
 * Report roll-ups: what the reports read instead of history (FerretDB scans every filter but `_id`
 * equality, so a report never queries incidents or alerts by date). One document per UTC day, read and
 * written by `_id` only (docs/database.md, "Report roll-ups"):
 * - `report-day:<workspaceId>:<yyyy-mm-dd>`: `incidents.<incidentId>` holds the incident's snapshot as of
 *   its latest event (declared, acknowledged, resolved, reopened) written on that event's day, so a
 *   report reading days in order keeps the last snapshot of each incident.
 * - `report-alerts:<yyyy-mm-dd>`: `hours.h<HH>` holds that UTC hour's alert counters (`$inc`); alerts
 *   belong to no workspace (Firebreak serves one).
 * Every write is one `$set` or `$inc` by `_id`, an atomic operator on MongoDB across processes; within the
 * process writes to one document are queued (FerretDB applies an update as a read and a whole write).
 */
interface RollupDoc {
  _id: string;
  incidents?: Record<string, StoredSnapshot>;
  hours?: Record<string, StoredTally>;
}

type StoredSnapshot = Omit<IncidentSnapshot, "id">;
/** Source and service names are keys: encoded, since a key may hold no `.` and start with no `$`. */
type StoredTally = Partial<AlertTally>;

const rollupSchema = new Schema<RollupDoc>(
  {
    _id: { type: String, required: true },
    incidents: Schema.Types.Mixed,
    hours: Schema.Types.Mixed,
  },
  { versionKey: false, minimize: false },
);

export function reportRollupModel(connection: Connection): Model<RollupDoc> {
  return connection.model<RollupDoc>("ReportRollup", rollupSchema, "report_rollups");
}

const DAY_MS = 86_400_000;
const TITLE_LIMIT = 150;

/** "2026-11-23" (UTC). */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);
export const incidentDayKey = (workspaceId: string, at: Date) => `report-day:${workspaceId}:${utcDay(at)}`;
export const alertDayKey = (at: Date) => `report-alerts:${utcDay(at)}`;
const hourKey = (at: Date) => `h${at.toISOString().slice(11, 13)}`;

/** encodeURIComponent leaves `.` alone; `%2E` keeps a service name such as `api.v2` one key. */
const encodeName = (name: string) => encodeURIComponent(name || "(none)").replaceAll(".", "%2E");
const decodeName = (key: string) => decodeURIComponent(key);

/** One `_id`-keyed operator write, queued per document here; a concurrent first upsert elsewhere is retried. */
async function writeRollup(models: Models, id: string, update: Record<string, unknown>): Promise<void> {
  await serialised(`report_rollups:${id}`, async () => {
    try {
      await models.reportRollups.updateOne({ _id: id }, update, { upsert: true });
    } catch (error) {
      // Two processes upserting a missing document on MongoDB: one insert wins, the other updates it.
      if (!isDuplicateKeyError(error)) throw error;
      await models.reportRollups.updateOne({ _id: id }, update, { upsert: true });
    }
  });
}

/** The fields of an incident a snapshot keeps; a write touching one of them refreshes the snapshot. */
export const SNAPSHOT_FIELDS = [
  "title",
  "severity",
  "affectedServices",
  "acknowledgedAt",
  "resolvedAt",
  "reopenedAt",
  "channelId",
] as const;

type SnapshotSource = Pick<
  Incident,
  | "workspaceId"
  | "number"
  | "drill"
  | "title"
  | "severity"
  | "affectedServices"
  | "declaredAt"
  | "acknowledgedAt"
  | "resolvedAt"
  | "reopenedAt"
  | "channelId"
>;

function snapshotOf(incident: SnapshotSource): StoredSnapshot {
  return {
    number: incident.number,
    title: incident.title.slice(0, TITLE_LIMIT),
    severity: incident.severity,
    services: incident.affectedServices,
    declaredAt: incident.declaredAt,
    ...(incident.acknowledgedAt && { acknowledgedAt: incident.acknowledgedAt }),
    ...(incident.resolvedAt && { resolvedAt: incident.resolvedAt }),
    ...(incident.channelId && { channelId: incident.channelId }),
  };
}

/** The day of the incident's latest event: its snapshot goes there, so the latest day read has the latest. */
function latestEventAt(incident: SnapshotSource): Date {
  const times = [incident.declaredAt, incident.acknowledgedAt, incident.resolvedAt, incident.reopenedAt];
  return new Date(Math.max(...times.filter((t) => t !== undefined).map((t) => t.getTime())));
}

/** Writes the incident's snapshot on the day of its latest event (one `$set` by `_id`). */
export async function noteIncident(models: Models, id: string, incident: SnapshotSource): Promise<void> {
  // Drills are practice: they count in no report or metric (the import below skips them too).
  if (incident.drill) return;
  const key = incidentDayKey(incident.workspaceId, latestEventAt(incident));
  return writeRollup(models, key, { $set: { [`incidents.${id}`]: snapshotOf(incident) } });
}

export type AlertEvent =
  | { kind: "received"; source: string; service: string }
  | { kind: "acknowledged"; afterMs: number }
  | { kind: "escalated" }
  | { kind: "autoResolved" };

/** Counts one alert event in its UTC hour (one `$inc` by `_id`). */
export function noteAlertEvent(models: Models, at: Date, event: AlertEvent): Promise<void> {
  const hour = `hours.${hourKey(at)}`;
  const $inc: Record<string, number> =
    event.kind === "received"
      ? {
          [`${hour}.received`]: 1,
          [`${hour}.sources.${encodeName(event.source)}`]: 1,
          [`${hour}.services.${encodeName(event.service)}`]: 1,
        }
      : event.kind === "acknowledged"
        ? { [`${hour}.acknowledged`]: 1, [`${hour}.acknowledgeMs`]: event.afterMs }
        : { [`${hour}.${event.kind}`]: 1 };
  const id = alertDayKey(at);
  // Every alert counts into this one document: merged while a write is in flight, not queued one by one.
  return addIncrements(`${models.reportRollups.db.name}:${id}`, $inc, (merged) =>
    writeRollup(models, id, { $inc: merged }),
  );
}

/** The UTC days a window touches, oldest first. */
function daysOf(window: Window): Date[] {
  const first = Math.floor(window.from.getTime() / DAY_MS);
  const last = Math.floor((window.to.getTime() - 1) / DAY_MS);
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => new Date((first + i) * DAY_MS));
}

/** The latest snapshot of each incident with an event in the window's days: one `_id` read per day. */
export async function readIncidentSnapshots(
  models: Models,
  workspaceId: string,
  window: Window,
): Promise<IncidentSnapshot[]> {
  const docs = await mapLimited(daysOf(window), PAGE_READS, (day) =>
    models.reportRollups.findById(incidentDayKey(workspaceId, day), { incidents: 1 }).lean(),
  );
  const latest = new Map<string, IncidentSnapshot>();
  for (const doc of docs) {
    for (const [id, snapshot] of Object.entries(doc?.incidents ?? {})) latest.set(id, { id, ...snapshot });
  }
  return [...latest.values()];
}

/** The alert counters of the window's whole UTC hours: one `_id` read per day. */
export async function readAlertTallies(models: Models, window: Window): Promise<AlertTally[]> {
  const days = daysOf(window);
  const docs = await mapLimited(days, PAGE_READS, (day) =>
    models.reportRollups.findById(alertDayKey(day), { hours: 1 }).lean(),
  );
  const tallies: AlertTally[] = [];
  docs.forEach((doc, i) => {
    const day = days[i]?.getTime() ?? 0;
    for (const [key, stored] of Object.entries(doc?.hours ?? {})) {
      const hourStart = new Date(day + Number(key.slice(1)) * 3_600_000);
      if (hourStart >= window.from && hourStart < window.to) tallies.push(toTally(stored));
    }
  });
  return tallies;
}

const decodeCounts = (counts: Record<string, number> | undefined) =>
  Object.fromEntries(Object.entries(counts ?? {}).map(([key, n]) => [decodeName(key), n]));

function toTally(stored: StoredTally): AlertTally {
  return {
    ...emptyTally(),
    ...stored,
    sources: decodeCounts(stored.sources),
    services: decodeCounts(stored.services),
  };
}

/**
 * Roll-ups for bulk loads (`importIncidents`, `importAlerts`): each day's snapshots or counters gathered
 * first, then one write per day document.
 */
export async function importIncidentRollups(
  models: Models,
  incidents: (SnapshotSource & { id: string })[],
): Promise<void> {
  const byDay = new Map<string, Record<string, StoredSnapshot>>();
  for (const incident of incidents) {
    if (incident.drill) continue;
    const key = incidentDayKey(incident.workspaceId, latestEventAt(incident));
    const day = byDay.get(key) ?? {};
    day[`incidents.${incident.id}`] = snapshotOf(incident);
    byDay.set(key, day);
  }
  for (const [key, $set] of byDay) await writeRollup(models, key, { $set });
}

export type ImportedAlertEvent = { at: Date; event: AlertEvent };

export async function importAlertRollups(models: Models, events: ImportedAlertEvent[]): Promise<void> {
  const byDay = new Map<string, Record<string, number>>();
  for (const { at, event } of events) {
    const key = alertDayKey(at);
    const $inc = byDay.get(key) ?? {};
    const hour = `hours.${hourKey(at)}`;
    const add = (field: string, n = 1) => {
      $inc[`${hour}.${field}`] = ($inc[`${hour}.${field}`] ?? 0) + n;
    };
    if (event.kind === "received") {
      add("received");
      add(`sources.${encodeName(event.source)}`);
      add(`services.${encodeName(event.service)}`);
    } else if (event.kind === "acknowledged") {
      add("acknowledged");
      add("acknowledgeMs", event.afterMs);
    } else add(event.kind);
    byDay.set(key, $inc);
  }
  for (const [key, $inc] of byDay) await writeRollup(models, key, { $inc });
}
