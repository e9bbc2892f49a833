import { type Connection, isObjectIdOrHexString, type Model, Schema, type Types } from "mongoose";
import {
  type Incident,
  type MessageRef,
  ROLES,
  SEVERITIES,
  STATUSES,
  type Status,
} from "../domain/incident.ts";
import { pollUntil } from "../poll-until.ts";
import { claimOnce, releaseClaim } from "./claims.ts";
import { nextSequence } from "./counters.ts";
import type { Models } from "./store.ts";

/** What is stored: the domain incident plus the key that makes its declaration idempotent. */
interface IncidentDoc extends Omit<Incident, "id"> {
  declareKey: string;
}

type IncidentRecord = IncidentDoc & { _id: Types.ObjectId };

const messageRefSchema = new Schema<MessageRef>(
  { channelId: { type: String, required: true }, ts: { type: String, required: true } },
  { _id: false },
);

const incidentSchema = new Schema<IncidentDoc>(
  {
    workspaceId: { type: String, required: true },
    number: { type: Number, required: true },
    declareKey: { type: String, required: true },
    title: { type: String, required: true },
    // Not `required`: mongoose would reject an empty string.
    description: { type: String, default: "" },
    severity: { type: String, enum: SEVERITIES, required: true },
    status: { type: String, enum: STATUSES, required: true },
    affectedServices: { type: [String], default: [] },
    roles: Object.fromEntries(ROLES.map((role) => [role, String])),
    reporterId: { type: String, required: true },
    isPrivate: { type: Boolean, required: true },
    declaredAt: { type: Date, required: true },
    acknowledgedAt: Date,
    acknowledgedBy: String,
    mitigatedAt: Date,
    resolvedAt: Date,
    reopenedAt: Date,
    resolution: String,
    rootCause: String,
    channelId: String,
    channelName: String,
    announcement: messageRefSchema,
    kickoff: messageRefSchema,
    nextUpdateDueAt: Date,
    archiveDueAt: Date,
    archivedAt: Date,
    linkedNumbers: { type: [Number], default: [] },
  },
  { versionKey: false },
);
incidentSchema.index({ workspaceId: 1, number: 1 }, { unique: true });
// Scoped like the declare claim, so two workspaces may send the same key.
incidentSchema.index({ workspaceId: 1, declareKey: 1 }, { unique: true });
// `number` last makes the newest-first sort, tie-break included, come from the index.
incidentSchema.index({ workspaceId: 1, status: 1, declaredAt: -1, number: -1 });
// Unique among incidents that have a channel. MongoDB needs `sparse` to leave channel-less incidents out.
// FerretDB v1.24.2 accepts `sparse` but drops it (listIndexes omits it, so `syncIndexes` there rebuilds the
// index at each start); its SQLite index still ignores absent fields, though an explicit null would collide,
// so channelId is only ever set or $unset, never null. Asserted in test/store/incidents.test.ts.
incidentSchema.index({ channelId: 1 }, { unique: true, sparse: true });
incidentSchema.index({ archiveDueAt: 1 });
incidentSchema.index({ nextUpdateDueAt: 1 });

export function incidentModel(connection: Connection): Model<IncidentDoc> {
  return connection.model<IncidentDoc>("Incident", incidentSchema, "incidents");
}

function toIncident({ _id, declareKey: _declareKey, roles, ...fields }: IncidentRecord): Incident {
  return { ...fields, id: _id.toString(), roles: { ...roles } };
}

const OPEN_STATUSES: Status[] = STATUSES.filter((status) => status !== "resolved");
const NEWEST_FIRST = { declaredAt: -1, number: -1 } as const;

export type NewIncident = Pick<
  Incident,
  | "workspaceId"
  | "title"
  | "description"
  | "severity"
  | "affectedServices"
  | "roles"
  | "reporterId"
  | "isPrivate"
  | "declaredAt"
> & {
  /** Derived from Slack's request (a trigger_id, a view id), so a retried or double-submitted declare repeats it. */
  declareKey: string;
  linkedNumbers?: number[];
};

const DECLARE_POLL_MS = 50;
const DECLARE_WAIT_MS = 5_000;

/**
 * Declares an incident once per `declareKey`: the first caller claims the key, takes the next number and
 * inserts; every other caller (a Slack retry, a double submit) gets that same incident with `created: false`.
 * The claim comes before the number, so losers never use up a number.
 */
export async function createIncident(
  models: Models,
  input: NewIncident,
): Promise<{ incident: Incident; created: boolean }> {
  const { workspaceId, declareKey } = input;
  const claimKey = `declare:${workspaceId}:${declareKey}`;
  if (!(await claimOnce(models, claimKey))) {
    return { incident: await waitForDeclared(models, workspaceId, declareKey), created: false };
  }
  try {
    const number = await nextSequence(models.sequenceClaims, `incident:${workspaceId}`);
    const doc = await models.incidents.create({
      ...input,
      linkedNumbers: input.linkedNumbers ?? [],
      number,
      status: "investigating",
    });
    return { incident: toIncident(doc.toObject()), created: true };
  } catch (error) {
    // Lets a retry start over. Should the process die before this, the claim stays and retries of this
    // declare time out in waitForDeclared: it fails loudly rather than declaring twice.
    await releaseClaim(models, claimKey).catch(() => false);
    throw error;
  }
}

async function waitForDeclared(models: Models, workspaceId: string, declareKey: string): Promise<Incident> {
  const doc = await pollUntil(
    () => models.incidents.findOne({ workspaceId, declareKey }).lean(),
    (found) => found !== null,
    { attempts: DECLARE_WAIT_MS / DECLARE_POLL_MS, intervalMs: DECLARE_POLL_MS },
  );
  if (!doc)
    throw new Error(`declare ${declareKey} of ${workspaceId} was claimed, but no incident appeared in 5 s`);
  return toIncident(doc);
}

export async function getIncidentByNumber(
  models: Models,
  workspaceId: string,
  number: number,
): Promise<Incident | undefined> {
  const doc = await models.incidents.findOne({ workspaceId, number }).lean();
  return doc ? toIncident(doc) : undefined;
}

/** Undefined for an id that is not an ObjectId at all (it came from a Slack payload, not from the store). */
export async function getIncidentById(models: Models, id: string): Promise<Incident | undefined> {
  if (!isObjectIdOrHexString(id)) return undefined;
  const doc = await models.incidents.findById(id).lean();
  return doc ? toIncident(doc) : undefined;
}

export async function getIncidentByChannel(models: Models, channelId: string): Promise<Incident | undefined> {
  const doc = await models.incidents.findOne({ channelId }).lean();
  return doc ? toIncident(doc) : undefined;
}

export async function listOpenIncidents(
  models: Models,
  workspaceId: string,
  page: { limit: number; skip: number },
): Promise<Incident[]> {
  const docs = await models.incidents
    .find({ workspaceId, status: { $in: OPEN_STATUSES } })
    .sort(NEWEST_FIRST)
    .skip(page.skip)
    .limit(page.limit)
    .lean();
  return docs.map(toIncident);
}

export function countOpenIncidents(models: Models, workspaceId: string): Promise<number> {
  return models.incidents.countDocuments({ workspaceId, status: { $in: OPEN_STATUSES } }).exec();
}

/**
 * Open incidents declared at or after `since`, newest first: candidates for "is this a duplicate?".
 * `exceptDeclareKey` leaves out the incident of that declaration (a retried or double-submitted declare
 * must not be warned about itself).
 */
export async function recentOpenIncidents(
  models: Models,
  workspaceId: string,
  since: Date,
  exceptDeclareKey?: string,
): Promise<Incident[]> {
  const docs = await models.incidents
    .find({
      workspaceId,
      status: { $in: OPEN_STATUSES },
      declaredAt: { $gte: since },
      ...(exceptDeclareKey !== undefined && { declareKey: { $ne: exceptDeclareKey } }),
    })
    .sort(NEWEST_FIRST)
    .lean();
  return docs.map(toIncident);
}

/** The fields a caller may change. A field given as `undefined` is removed from the incident. */
export type IncidentPatch = Partial<Omit<Incident, "id" | "number" | "workspaceId">>;

/**
 * Sets and unsets just the patched fields; undefined if there is no such incident.
 * Not race-safe by itself: on FerretDB v1 an update is a read followed by a whole-document write, so two
 * concurrent updates of one incident may lose one's fields (docs/database.md, note 2). A transition that
 * must happen once (acknowledge, resolve, archive) is guarded by claimOnce before it updates.
 */
export async function updateIncident(
  models: Models,
  id: string,
  patch: IncidentPatch,
): Promise<Incident | undefined> {
  if (!isObjectIdOrHexString(id)) return undefined;
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, 1> = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) $unset[field] = 1;
    else $set[field] = value;
  }
  const doc = await models.incidents
    .findOneAndUpdate(
      { _id: id },
      { ...(Object.keys($set).length > 0 && { $set }), ...(Object.keys($unset).length > 0 && { $unset }) },
      { returnDocument: "after", runValidators: true },
    )
    .lean();
  return doc ? toIncident(doc) : undefined;
}

/** Resolved, unarchived incidents whose archive time has come, oldest due first: the database is the clock. */
export async function findIncidentsDueForArchive(
  models: Models,
  now: Date,
  limit: number,
): Promise<Incident[]> {
  const docs = await models.incidents
    .find({ status: "resolved", archiveDueAt: { $lte: now }, archivedAt: { $exists: false } })
    .sort({ archiveDueAt: 1 })
    .limit(limit)
    .lean();
  return docs.map(toIncident);
}

/** Open incidents whose status update is overdue, soonest first: the reminder job's query. */
export async function findIncidentsDueForUpdate(
  models: Models,
  now: Date,
  limit: number,
): Promise<Incident[]> {
  const docs = await models.incidents
    .find({ status: { $in: OPEN_STATUSES }, nextUpdateDueAt: { $lte: now } })
    .sort({ nextUpdateDueAt: 1 })
    .limit(limit)
    .lean();
  return docs.map(toIncident);
}
