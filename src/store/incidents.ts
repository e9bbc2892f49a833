import { type Connection, isObjectIdOrHexString, type Model, Schema, Types } from "mongoose";
import { type Incident, type MessageRef, ROLES, SEVERITIES, STATUSES } from "../domain/incident.ts";
import { pollUntil } from "../poll-until.ts";
import { claimOnce, getClaim, releaseClaim } from "./claims.ts";
import { nextSequence, readSequenceHead } from "./counters.ts";
import { liveEntry, syncLive } from "./live-incidents.ts";
import { dropLookup, getLookup, putLookup } from "./lookups.ts";
import { mapLimited, PAGE_READS } from "./parallel.ts";
import { importIncidentRollups, noteIncident, SNAPSHOT_FIELDS } from "./report-rollups.ts";
import { serialised } from "./serial.ts";
import { sharedRead } from "./shared-reads.ts";
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
    drill: Boolean,
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

export const channelKey = (channelId: string) => `incident-channel:${channelId}`;
export const numberKey = (workspaceId: string, number: number) => `incident-number:${workspaceId}:${number}`;
const lockKey = (id: string) => `incidents:${id}`;

/** One incident by `_id`, the read shared with the same read asked for in this turn (src/store/shared-reads.ts). */
function readIncident(models: Models, id: string) {
  return sharedRead(models.incidents, id, () => models.incidents.findById(id).lean());
}

function toIncident({ _id, declareKey: _declareKey, roles, ...fields }: IncidentRecord): Incident {
  return { ...fields, id: _id.toString(), roles: { ...roles } };
}

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
  | "drill"
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
  /**
   * Called once the incident itself is stored, while its lookups, live entry and report snapshot are
   * still being written: the declare starts creating the channel there, off their round trip.
   */
  onInserted?: (incident: Incident) => void,
): Promise<{ incident: Incident; created: boolean }> {
  const { workspaceId, declareKey } = input;
  const claimKey = `declare:${workspaceId}:${declareKey}`;
  const _id = new Types.ObjectId();
  const sequence = `incident:${workspaceId}`;
  // Read alongside the claim, so the number costs one insert after it (a loser just drops the read).
  const head = readSequenceHead(models.sequenceClaims, sequence);
  // The claim names the incident to be, so a retry finds it by `_id`.
  if (!(await claimOnce(models, claimKey, { incidentId: _id.toString() }))) {
    return { incident: await waitForDeclared(models, claimKey, workspaceId, declareKey), created: false };
  }
  try {
    const number = await nextSequence(models.sequenceClaims, sequence, head);
    const doc = await serialised(lockKey(_id.toString()), async () => {
      const created = await models.incidents.create({
        ...input,
        _id,
        linkedNumbers: input.linkedNumbers ?? [],
        number,
        status: "investigating",
      });
      const record = created.toObject() as IncidentRecord;
      onInserted?.(toIncident(record));
      // Three documents of their own, none read by the others: written together, alongside the channel.
      await Promise.all([
        putLookup(models, numberKey(workspaceId, number), _id.toString()),
        syncLive(models, record),
        noteIncident(models, _id.toString(), record),
      ]);
      return record;
    });
    return { incident: toIncident(doc), created: true };
  } catch (error) {
    // Lets a retry start over. Should the process die before this, the claim stays and retries of this
    // declare time out in waitForDeclared: it fails loudly rather than declaring twice.
    await releaseClaim(models, claimKey).catch(() => false);
    throw error;
  }
}

async function waitForDeclared(
  models: Models,
  claimKey: string,
  workspaceId: string,
  declareKey: string,
): Promise<Incident> {
  const incidentId = (await getClaim(models, claimKey))?.meta?.incidentId;
  // A claim written before claims named their incident is found by the old query.
  const find = () =>
    typeof incidentId === "string"
      ? models.incidents.findById(incidentId).lean()
      : models.incidents.findOne({ workspaceId, declareKey }).lean();
  const doc = await pollUntil(find, (found) => found !== null, {
    attempts: DECLARE_WAIT_MS / DECLARE_POLL_MS,
    intervalMs: DECLARE_POLL_MS,
  });
  if (!doc)
    throw new Error(`declare ${declareKey} of ${workspaceId} was claimed, but no incident appeared in 5 s`);
  return toIncident(doc);
}

export async function getIncidentByNumber(
  models: Models,
  workspaceId: string,
  number: number,
): Promise<Incident | undefined> {
  const id = await getLookup(models, numberKey(workspaceId, number));
  const doc = id === undefined ? null : await readIncident(models, id);
  return doc && doc.workspaceId === workspaceId && doc.number === number ? toIncident(doc) : undefined;
}

/** Undefined for an id that is not an ObjectId at all (it came from a Slack payload, not from the store). */
export async function getIncidentById(models: Models, id: string): Promise<Incident | undefined> {
  if (!isObjectIdOrHexString(id)) return undefined;
  const doc = await readIncident(models, id);
  return doc ? toIncident(doc) : undefined;
}

export async function getIncidentByChannel(models: Models, channelId: string): Promise<Incident | undefined> {
  const id = await getLookup(models, channelKey(channelId));
  const doc = id === undefined ? null : await readIncident(models, id);
  // A pointer left by a channel that moved on is stale: the incident is the truth.
  return doc?.channelId === channelId ? toIncident(doc) : undefined;
}

/** Incidents by id, in the order given, those that exist: how a page of the live set is read, by `_id`. */
export async function getIncidentsByIds(models: Models, ids: readonly string[]): Promise<Incident[]> {
  const docs = await mapLimited([...ids], PAGE_READS, (id) => models.incidents.findById(id).lean());
  return (docs.filter((doc) => doc !== null) as IncidentRecord[]).map(toIncident);
}

/** The fields a caller may change. A field given as `undefined` is removed from the incident. */
export type IncidentPatch = Partial<Omit<Incident, "id" | "number" | "workspaceId">>;

/**
 * Sets and unsets just the patched fields; undefined if there is no such incident. Writes to one incident
 * are queued in this process (FerretDB v1 would otherwise lose one of two concurrent updates' fields) and
 * are `$set`/`$unset` of the changed fields only (atomic on MongoDB, across processes). A transition that
 * must happen once (acknowledge, resolve, archive) is still guarded by claimOnce before it updates.
 */
export async function updateIncident(
  models: Models,
  id: string,
  patch: IncidentPatch,
): Promise<Incident | undefined> {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, 1> = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) $unset[field] = 1;
    else $set[field] = value;
  }
  const update = {
    ...(Object.keys($set).length > 0 && { $set }),
    ...(Object.keys($unset).length > 0 && { $unset }),
  };
  const snapshotMoves = SNAPSHOT_FIELDS.some((field) => field in patch);
  return writeIncident(models, id, update, { movesChannel: "channelId" in patch, snapshotMoves });
}

/** Adds `number` to the incident's linked incidents once ($addToSet: concurrent links all survive). */
export function addLinkedNumber(models: Models, id: string, number: number): Promise<Incident | undefined> {
  return writeIncident(models, id, { $addToSet: { linkedNumbers: number } }, {});
}

async function writeIncident(
  models: Models,
  id: string,
  update: Record<string, unknown>,
  { movesChannel = false, snapshotMoves = false }: { movesChannel?: boolean; snapshotMoves?: boolean },
): Promise<Incident | undefined> {
  if (!isObjectIdOrHexString(id)) return undefined;
  return serialised(lockKey(id), async () => {
    const before = movesChannel ? await models.incidents.findById(id, { channelId: 1 }).lean() : undefined;
    const doc = await models.incidents
      .findOneAndUpdate({ _id: id }, update, { returnDocument: "after", runValidators: true })
      .lean();
    if (!doc) return undefined;
    if (movesChannel) {
      if (before?.channelId && before.channelId !== doc.channelId)
        await dropLookup(models, channelKey(before.channelId));
      if (doc.channelId) await putLookup(models, channelKey(doc.channelId), id);
    }
    await syncLive(models, doc);
    if (snapshotMoves) await noteIncident(models, id, doc);
    return toIncident(doc);
  });
}

/** An incident as `importIncidents` takes it: stored as is, its number already claimed by the importer. */
export type ImportedIncident = Omit<Incident, "id"> & { declareKey: string };

/**
 * Bulk-inserts incidents with the lookups and live-set entries the store reads them by (for bulk loads:
 * the bench's year of data, a migration). Unordered batches; returns the ids in the order given. The
 * caller owns the numbers: it must also write the sequence head (see `nextSequence`).
 */
export async function importIncidents(models: Models, incidents: ImportedIncident[]): Promise<string[]> {
  const docs = incidents.map((incident) => ({ ...incident, _id: new Types.ObjectId() }));
  await models.incidents.insertMany(docs, { ordered: false, lean: true });
  const lookups = docs.flatMap((doc) => [
    { _id: numberKey(doc.workspaceId, doc.number), ref: doc._id.toString() },
    ...(doc.channelId ? [{ _id: channelKey(doc.channelId), ref: doc._id.toString() }] : []),
  ]);
  await models.lookups.insertMany(lookups, { ordered: false, lean: true });
  const live = docs.map((doc) => liveEntry(doc)).filter((entry) => entry !== undefined);
  if (live.length > 0) await models.liveIncidents.insertMany(live, { ordered: false, lean: true });
  await importIncidentRollups(
    models,
    docs.map((doc) => ({ ...doc, id: doc._id.toString() })),
  );
  return docs.map((doc) => doc._id.toString());
}
