import { type Connection, type Model, Schema, type Types } from "mongoose";
import type { Incident, Severity, Status } from "../domain/incident.ts";
import type { Models } from "./store.ts";

/** What of a stored incident its live-set entry is made from. */
type LiveFields = Pick<
  Incident,
  | "workspaceId"
  | "number"
  | "severity"
  | "status"
  | "declaredAt"
  | "nextUpdateDueAt"
  | "archiveDueAt"
  | "archivedAt"
  | "drill"
  | "title"
  | "affectedServices"
> & { _id: Types.ObjectId; declareKey: string };

/**
 * The live set: one small document per incident that still has work ahead (open, or resolved with its
 * channel not yet archived), holding just what the lists and the due-work pollers filter and sort on. They
 * scan this collection (tens of documents) and fetch the incidents they return by `_id`, instead of
 * scanning every incident ever declared (src/store/live-incident-queries.ts). Kept in step by every incident
 * write (src/store/incidents.ts, under the incident's lock); the incident stays the truth, and readers re-check it.
 */
export interface LiveIncident {
  _id: string;
  workspaceId: string;
  number: number;
  declareKey: string;
  /** For the open-incidents metric; entries written before it was kept lack it (read from the incident). */
  severity?: Severity;
  status: Status;
  declaredAt: Date;
  nextUpdateDueAt?: Date;
  archiveDueAt?: Date;
  /** So the reports can leave open drills out without reading the incidents. */
  drill?: boolean;
  /**
   * What the duplicate check compares, so a declaration reads no incident but the ones it matches.
   * Entries written before they were kept lack them (the incident is read instead).
   */
  title?: string;
  affectedServices?: string[];
}

const liveIncidentSchema = new Schema<LiveIncident>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    number: { type: Number, required: true },
    declareKey: { type: String, required: true },
    severity: String,
    status: { type: String, required: true },
    declaredAt: { type: Date, required: true },
    nextUpdateDueAt: Date,
    archiveDueAt: Date,
    drill: Boolean,
    title: String,
    affectedServices: { type: [String], default: undefined },
  },
  { versionKey: false },
);
liveIncidentSchema.index({ workspaceId: 1, status: 1, declaredAt: -1, number: -1 });
liveIncidentSchema.index({ nextUpdateDueAt: 1 });
liveIncidentSchema.index({ archiveDueAt: 1 });

export function liveIncidentModel(connection: Connection): Model<LiveIncident> {
  return connection.model<LiveIncident>("LiveIncident", liveIncidentSchema, "live_incidents");
}

/** The live-set entry of an incident as stored, or undefined once it has no work ahead. */
export function liveEntry(doc: LiveFields): LiveIncident | undefined {
  const live = doc.status !== "resolved" || (doc.archiveDueAt !== undefined && doc.archivedAt === undefined);
  if (!live) return undefined;
  const { workspaceId, number, declareKey, severity, status, declaredAt, nextUpdateDueAt, archiveDueAt } =
    doc;
  return {
    _id: doc._id.toString(),
    workspaceId,
    number,
    declareKey,
    severity,
    status,
    declaredAt,
    title: doc.title,
    affectedServices: [...doc.affectedServices],
    ...(nextUpdateDueAt && { nextUpdateDueAt }),
    ...(archiveDueAt && { archiveDueAt }),
    ...(doc.drill && { drill: true }),
  };
}

export async function syncLive(models: Models, doc: LiveFields): Promise<void> {
  const entry = liveEntry(doc);
  if (entry) await models.liveIncidents.replaceOne({ _id: entry._id }, entry, { upsert: true });
  else await models.liveIncidents.deleteOne({ _id: doc._id.toString() });
}
