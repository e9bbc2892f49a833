import { type Connection, type Model, Schema } from "mongoose";
import type { Severity, Status } from "../domain/incident.ts";
import {
  type ComponentState,
  daysBetween,
  type HistoryIncident,
  stateForSeverity,
} from "../domain/status-page.ts";
import { isDuplicateKeyError } from "./errors.ts";
import { mapLimited, PAGE_READS } from "./parallel.ts";
import { serialised } from "./serial.ts";
import type { Models } from "./store.ts";

/**
 * What the public status page shows, kept apart from the incidents so nothing internal can reach it and the
 * page reads only by `_id`:
 * - `status_page_incidents/<incidentId>`: the public side of an incident (public name, services, severity,
 *   status, whether it is published) and its public updates, in order;
 * - `status_page_open/<incidentId>`: the live set, published incidents not yet resolved (a scan of a handful);
 * - `status_page_days/<yyyy-mm-dd>`: per UTC day, each published incident open that day (the 90-day bars).
 */

export interface PublicUpdate {
  /** Idempotency: one update per key ("initial", "resolved:<ms>", "update:<view id>"). */
  key: string;
  at: Date;
  status: Status;
  body: string;
}

export interface PublicIncident {
  _id: string;
  number: number;
  name: string;
  services: string[];
  severity: Severity;
  status: Status;
  published: boolean;
  declaredAt: Date;
  resolvedAt?: Date | undefined;
  updates: PublicUpdate[];
  changedAt: Date;
}

const publicIncidentSchema = new Schema<PublicIncident>(
  {
    _id: { type: String, required: true },
    number: { type: Number, required: true },
    name: { type: String, required: true },
    services: { type: [String], default: [] },
    severity: { type: String, required: true },
    status: { type: String, required: true },
    published: { type: Boolean, required: true },
    declaredAt: { type: Date, required: true },
    resolvedAt: Date,
    updates: {
      type: [{ _id: false, key: String, at: Date, status: String, body: String }],
      default: [],
    },
    changedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

interface OpenPublicIncident {
  _id: string;
  declaredAt: Date;
}

const openPublicSchema = new Schema<OpenPublicIncident>(
  { _id: { type: String, required: true }, declaredAt: { type: Date, required: true } },
  { versionKey: false },
);

/** One day's entry of an incident: what the bar of that day needs. */
interface DayEntry {
  name: string;
  services: string[];
  state: ComponentState;
  from: Date;
  to?: Date;
}

interface StatusDay {
  _id: string;
  incidents: Record<string, DayEntry>;
}

const statusDaySchema = new Schema<StatusDay>(
  { _id: { type: String, required: true }, incidents: { type: Schema.Types.Mixed, default: {} } },
  { versionKey: false, minimize: false },
);

export function publicIncidentModel(connection: Connection): Model<PublicIncident> {
  return connection.model<PublicIncident>("PublicIncident", publicIncidentSchema, "status_page_incidents");
}
export function openPublicIncidentModel(connection: Connection): Model<OpenPublicIncident> {
  return connection.model<OpenPublicIncident>("OpenPublicIncident", openPublicSchema, "status_page_open");
}
export function statusDayModel(connection: Connection): Model<StatusDay> {
  return connection.model<StatusDay>("StatusDay", statusDaySchema, "status_page_days");
}

export async function getPublicIncident(models: Models, id: string): Promise<PublicIncident | undefined> {
  return (await models.publicIncidents.findById(id).lean<PublicIncident>()) ?? undefined;
}

export type PublicFields = Omit<PublicIncident, "_id" | "updates" | "changedAt">;

/**
 * Writes the public side of an incident and, when given, appends a public update (once per key), then keeps
 * the live set and the day roll-ups in step. Queued per incident in this process (FerretDB's writes are a
 * read and a whole-document write). Answers the record as written, and whether the update was new.
 */
export async function savePublicIncident(
  models: Models,
  id: string,
  fields: PublicFields,
  at: Date,
  update?: PublicUpdate,
): Promise<{ incident: PublicIncident; appended: boolean }> {
  return serialised(`status_page_incidents:${id}`, async () => {
    const before = await getPublicIncident(models, id);
    const appended = update !== undefined && !before?.updates.some((u) => u.key === update.key);
    const { resolvedAt, ...rest } = fields;
    await models.publicIncidents.collection.updateOne(
      { _id: id as never },
      {
        $set: {
          ...rest,
          changedAt: at,
          ...(resolvedAt && { resolvedAt }),
          ...(!before && !appended && { updates: [] }),
        },
        ...(resolvedAt ? {} : { $unset: { resolvedAt: "" } }),
        ...(appended ? { $push: { updates: update as unknown as Record<string, unknown> } } : {}),
      } as Record<string, unknown>,
      { upsert: true },
    );
    const incident: PublicIncident = {
      _id: id,
      ...fields,
      updates: [...(before?.updates ?? []), ...(appended && update ? [update] : [])],
      changedAt: at,
    };
    await Promise.all([syncOpenSet(models, incident), syncDays(models, incident, before)]);
    return { incident, appended };
  });
}

async function syncOpenSet(models: Models, incident: PublicIncident): Promise<void> {
  if (!incident.published || incident.resolvedAt) {
    await models.openPublicIncidents.deleteOne({ _id: incident._id });
    return;
  }
  try {
    await models.openPublicIncidents.collection.insertOne({
      _id: incident._id as never,
      declaredAt: incident.declaredAt,
    });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}

/**
 * Each day the incident was open holds its entry while it is published (an open one: its first day; the page
 * extends open incidents to today itself). Days it no longer covers, or all of them once unpublished, lose it.
 */
async function syncDays(models: Models, incident: PublicIncident, before: PublicIncident | undefined) {
  const covered = (i: PublicIncident | undefined) =>
    i?.published ? daysBetween(i.declaredAt, i.resolvedAt ?? i.declaredAt) : [];
  const now = new Set(covered(incident));
  const stale = covered(before).filter((day) => !now.has(day));
  const entry: DayEntry = {
    name: incident.name,
    services: incident.services,
    state: stateForSeverity(incident.severity),
    from: incident.declaredAt,
    ...(incident.resolvedAt && { to: incident.resolvedAt }),
  };
  const path = `incidents.${incident._id}`;
  await mapLimited([...now], PAGE_READS, (day) => writeDay(models, day, { $set: { [path]: entry } }));
  await mapLimited(stale, PAGE_READS, (day) => writeDay(models, day, { $unset: { [path]: "" } }));
}

function writeDay(models: Models, day: string, change: Record<string, unknown>): Promise<void> {
  return serialised(`status_page_days:${day}`, async () => {
    const write = () =>
      models.statusDays.collection.updateOne({ _id: day as never }, change, { upsert: "$set" in change });
    try {
      await write();
    } catch (error) {
      // Another process created the day first: the document exists now, so the write is an update.
      if (!isDuplicateKeyError(error)) throw error;
      await write();
    }
  });
}

/** The published incidents not yet resolved: one scan of the live set, then each by `_id`. */
export async function openPublicIncidents(models: Models): Promise<PublicIncident[]> {
  const open = await models.openPublicIncidents.find({}, { _id: 1 }).lean<{ _id: string }[]>();
  const found = await mapLimited(
    open.map((o) => o._id),
    PAGE_READS,
    (id) => getPublicIncident(models, id),
  );
  return found.filter((i): i is PublicIncident => i?.published === true && !i.resolvedAt);
}

/** Every published incident on the given UTC days, each once (one `_id` read a day). */
export async function publicHistory(models: Models, days: string[]): Promise<HistoryIncident[]> {
  const docs = await mapLimited(days, PAGE_READS, (day) => models.statusDays.findById(day).lean<StatusDay>());
  const byId = new Map<string, HistoryIncident>();
  for (const doc of docs)
    for (const [id, entry] of Object.entries(doc?.incidents ?? {}))
      byId.set(id, {
        id,
        name: entry.name,
        services: entry.services,
        state: entry.state,
        from: new Date(entry.from),
        to: entry.to ? new Date(entry.to) : undefined,
      });
  return [...byId.values()];
}

/** Public incidents by id, read by `_id` (those no longer published are left out). */
export async function publicIncidentsByIds(models: Models, ids: string[]): Promise<PublicIncident[]> {
  const found = await mapLimited(ids, PAGE_READS, (id) => getPublicIncident(models, id));
  return found.filter((i): i is PublicIncident => i?.published === true);
}
