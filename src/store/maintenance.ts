import { performance } from "node:perf_hooks";
import { type Connection, type Model, Schema } from "mongoose";
import type { WindowKind, WindowState } from "../domain/maintenance.ts";
import { nextSequence } from "./counters.ts";
import { isDuplicateKeyError } from "./errors.ts";
import { insertRecord } from "./insert-record.ts";
import { serialised } from "./serial.ts";
import type { Models } from "./store.ts";

/**
 * Maintenance windows, `maintenance_windows/M<n>`, read and written by `_id` only. Windows with work ahead
 * (pending approval, scheduled, active) also have an entry in the live set `open_maintenance`, which the
 * poller and `/maint list` scan. The alert intake reads one document, `maintenance_calendar/current`: the
 * approved windows not yet ended, rebuilt from the live set whenever it changes (and checked each pass).
 * Alerts a window held back are listed in `maintenance_suppressed` until the window's end has paged them.
 */

export interface Decision {
  approved: boolean;
  by: string;
  at: Date;
}

export interface MaintenanceWindow {
  id: string;
  number: number;
  workspaceId: string;
  title: string;
  type: WindowKind;
  startsAt: Date;
  endsAt: Date;
  services: string[];
  procedure: string;
  rollback: string;
  requestedBy: string;
  requestedAt: Date;
  state: WindowState;
  decision?: Decision;
  remindedAt?: Date;
  startedAt?: Date;
  endedAt?: Date;
  /** Who ended it before its time, or extended it (the last one). */
  endedEarlyBy?: string;
  extendedBy?: string;
  /** The still-firing alerts paged at its end, by title, for the end announcement. */
  repaged?: string[];
}

type WindowDoc = Omit<MaintenanceWindow, "id"> & { _id: string };

const windowSchema = new Schema<WindowDoc>(
  {
    _id: { type: String, required: true },
    number: { type: Number, required: true },
    workspaceId: { type: String, required: true },
    title: { type: String, required: true },
    type: { type: String, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    services: [String],
    procedure: { type: String, default: "" },
    rollback: { type: String, default: "" },
    requestedBy: { type: String, required: true },
    requestedAt: { type: Date, required: true },
    state: { type: String, required: true },
    decision: new Schema<Decision>({ approved: Boolean, by: String, at: Date }, { _id: false }),
    remindedAt: Date,
    startedAt: Date,
    endedAt: Date,
    endedEarlyBy: String,
    extendedBy: String,
    repaged: [String],
  },
  { versionKey: false },
);

export function maintenanceWindowModel(connection: Connection): Model<WindowDoc> {
  return connection.model<WindowDoc>("MaintenanceWindow", windowSchema, "maintenance_windows");
}

/** A window with work ahead, as the poller and `/maint list` need it. */
export interface OpenWindow {
  _id: string;
  state: WindowState;
  title: string;
  services: string[];
  startsAt: Date;
  endsAt: Date;
  remindedAt?: Date;
}

const openWindowSchema = new Schema<OpenWindow>(
  {
    _id: { type: String, required: true },
    state: { type: String, required: true },
    title: { type: String, required: true },
    services: [String],
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    remindedAt: Date,
  },
  { versionKey: false },
);

export function openMaintenanceModel(connection: Connection): Model<OpenWindow> {
  return connection.model<OpenWindow>("OpenMaintenance", openWindowSchema, "open_maintenance");
}

/** One approved window on the calendar the alert intake reads. */
export interface CalendarWindow {
  id: string;
  title: string;
  services: string[];
  startsAt: Date;
  endsAt: Date;
}

interface CalendarDoc {
  _id: string;
  windows: CalendarWindow[];
}

const calendarSchema = new Schema<CalendarDoc>(
  {
    _id: { type: String, required: true },
    windows: [
      new Schema<CalendarWindow>(
        { id: String, title: String, services: [String], startsAt: Date, endsAt: Date },
        { _id: false },
      ),
    ],
  },
  { versionKey: false },
);

export function maintenanceCalendarModel(connection: Connection): Model<CalendarDoc> {
  return connection.model<CalendarDoc>("MaintenanceCalendar", calendarSchema, "maintenance_calendar");
}

interface SuppressedDoc {
  _id: string;
  windowId: string;
  alertId: string;
}

const suppressedSchema = new Schema<SuppressedDoc>(
  {
    _id: { type: String, required: true },
    windowId: { type: String, required: true },
    alertId: { type: String, required: true },
  },
  { versionKey: false },
);
suppressedSchema.index({ windowId: 1 });

export function maintenanceSuppressedModel(connection: Connection): Model<SuppressedDoc> {
  return connection.model<SuppressedDoc>("MaintenanceSuppressed", suppressedSchema, "maintenance_suppressed");
}

const CALENDAR_ID = "current";
const toWindow = ({ _id, ...rest }: WindowDoc): MaintenanceWindow => ({ id: _id, ...rest });
const lockKey = (models: Models, id: string) => `maintenance:${models.maintenanceWindows.db.name}:${id}`;
const hasWorkAhead = (state: WindowState) =>
  state === "pending" || state === "scheduled" || state === "active";

export type NewWindow = Omit<MaintenanceWindow, "id" | "number">;

/** Stores a new window under the next number (`M<n>`) and brings the live set and calendar in step. */
export async function createWindow(models: Models, input: NewWindow): Promise<MaintenanceWindow> {
  const number = await nextSequence(models.sequenceClaims, "maintenance");
  const doc: WindowDoc = { _id: `M${number}`, number, ...input };
  await models.maintenanceWindows.create(doc);
  const window = toWindow(doc);
  await syncOpen(models, window);
  return window;
}

export async function getWindow(models: Models, id: string): Promise<MaintenanceWindow | undefined> {
  const doc = await models.maintenanceWindows.findById(id).lean();
  return doc ? toWindow(doc as WindowDoc) : undefined;
}

export type WindowPatch = Partial<Omit<MaintenanceWindow, "id" | "number" | "workspaceId">>;

/** Sets the patched fields (one writer at a time per window), then the live set and the calendar. */
export async function updateWindow(
  models: Models,
  id: string,
  patch: WindowPatch,
): Promise<MaintenanceWindow | undefined> {
  return serialised(lockKey(models, id), async () => {
    const doc = await models.maintenanceWindows
      .findByIdAndUpdate(id, { $set: patch }, { returnDocument: "after" })
      .lean();
    if (!doc) return undefined;
    const window = toWindow(doc as WindowDoc);
    await syncOpen(models, window);
    return window;
  });
}

async function syncOpen(models: Models, window: MaintenanceWindow): Promise<void> {
  if (hasWorkAhead(window.state)) {
    const { id, state, title, services, startsAt, endsAt, remindedAt } = window;
    await models.openMaintenance.replaceOne(
      { _id: id },
      { state, title, services, startsAt, endsAt, ...(remindedAt && { remindedAt }) },
      { upsert: true },
    );
  } else {
    await models.openMaintenance.deleteOne({ _id: window.id });
  }
  await syncCalendar(models);
}

/** Every window with work ahead: a scan of the live set, which holds only those. */
export async function openWindows(models: Models): Promise<OpenWindow[]> {
  return models.openMaintenance.find().sort({ startsAt: 1 }).lean();
}

const calendarOf = (open: readonly OpenWindow[]): CalendarWindow[] =>
  open
    .filter((w) => w.state === "scheduled" || w.state === "active")
    .map(({ _id, title, services, startsAt, endsAt }) => ({ id: _id, title, services, startsAt, endsAt }));

/** The approved windows not yet ended, by one `_id` read: what the alert intake checks each alert against. */
export async function maintenanceCalendar(models: Models): Promise<CalendarWindow[]> {
  const doc = await models.maintenanceCalendar.findById(CALENDAR_ID).lean();
  return doc?.windows ?? [];
}

/**
 * Rewrites the calendar from the live set when it differs. Run after every window change and once a pass,
 * so a write lost to a concurrent one in another process is put right within a second.
 */
export async function syncCalendar(models: Models, open?: readonly OpenWindow[]): Promise<void> {
  await serialised(`maintenance-calendar:${models.maintenanceCalendar.db.name}`, async () => {
    const windows = calendarOf(open ?? (await openWindows(models)));
    const current = await maintenanceCalendar(models);
    if (JSON.stringify(current) === JSON.stringify(windows)) return;
    await models.maintenanceCalendar.replaceOne({ _id: CALENDAR_ID }, { windows }, { upsert: true });
    calendarReads.delete(models.maintenanceCalendar);
  });
}

/**
 * How long one calendar read answers the per-alert hot paths (intake, each escalation step): a window
 * changed by this process is seen at once (syncCalendar forgets the read), one changed by another process
 * within this long. Without it every alert paid one read of a document that changes a few times a day.
 */
const CALENDAR_FRESH_MS = 1_000;
const calendarReads = new WeakMap<object, { at: number; read: Promise<CalendarWindow[]> }>();

/** The calendar as read at most CALENDAR_FRESH_MS ago; concurrent callers share one read. */
export function recentCalendar(models: Models): Promise<CalendarWindow[]> {
  const model = models.maintenanceCalendar;
  const cached = calendarReads.get(model);
  if (cached && performance.now() - cached.at < CALENDAR_FRESH_MS) return cached.read;
  const entry = { at: performance.now(), read: maintenanceCalendar(models) };
  calendarReads.set(model, entry);
  entry.read.catch(() => {
    if (calendarReads.get(model) === entry) calendarReads.delete(model);
  });
  return entry.read;
}

/** Notes an alert a window held back, for its end (an insert: once whatever the retries). */
export async function noteSuppressed(models: Models, windowId: string, alertId: string): Promise<void> {
  try {
    await insertRecord(models.maintenanceSuppressed, { _id: `${windowId}:${alertId}`, windowId, alertId });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}

/** The alerts a window held back (a scan of a small collection, at the window's end only). */
export async function suppressedAlertIds(models: Models, windowId: string): Promise<string[]> {
  const docs = await models.maintenanceSuppressed.find({ windowId }).lean();
  return docs.map((doc) => doc.alertId);
}

export async function forgetSuppressed(models: Models, windowId: string, alertId: string): Promise<void> {
  await models.maintenanceSuppressed.deleteOne({ _id: `${windowId}:${alertId}` });
}
