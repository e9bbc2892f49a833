import { type Connection, type Model, Schema, Types } from "mongoose";
import {
  parseTimelinePayload,
  TIMELINE_EVENT_TYPES,
  TIMELINE_PAYLOADS,
  type TimelineEvent,
  type TimelineEventType,
  type TimelinePayload,
} from "../domain/timeline.ts";
import { isDuplicateKeyError } from "./errors.ts";
import type { Models } from "./store.ts";

/**
 * The append-only timeline: events are inserted and read, never updated or deleted. An edit or deletion of
 * a pinned message is a new event (`pinned_message_edited`, …), which the view layer folds.
 */
interface TimelineEventDoc {
  incidentId: string;
  /** A string, not TimelineEventType: an old event may carry a type that no longer exists. */
  type: string;
  at: Date;
  actorId: string;
  payload: unknown;
  /** The caller's idempotency key, or AUTO_KEY + the event's id, so keyless events never collide. */
  key: string;
}

type TimelineEventRecord = TimelineEventDoc & { _id: Types.ObjectId };

const AUTO_KEY = "auto:";

const timelineEventSchema = new Schema<TimelineEventDoc>(
  {
    incidentId: { type: String, required: true },
    type: { type: String, enum: TIMELINE_EVENT_TYPES, required: true },
    at: { type: Date, required: true },
    actorId: { type: String, required: true },
    payload: { type: Schema.Types.Mixed, required: true },
    key: { type: String, required: true },
  },
  // minimize off: an empty payload (`acknowledged`) must be stored as {}, not dropped.
  { versionKey: false, minimize: false },
);
// Every event has a key, so a plain compound unique index does it: no sparse or partial index needed.
timelineEventSchema.index({ incidentId: 1, key: 1 }, { unique: true });
timelineEventSchema.index({ incidentId: 1, at: 1, _id: 1 });

export function timelineEventModel(connection: Connection): Model<TimelineEventDoc> {
  return connection.model<TimelineEventDoc>("TimelineEvent", timelineEventSchema, "timeline_events");
}

function isEventType(type: string): type is TimelineEventType {
  return Object.hasOwn(TIMELINE_PAYLOADS, type);
}

/** The domain event, or undefined when the stored type or payload no longer parses. */
function toEvent(doc: TimelineEventRecord): TimelineEvent | undefined {
  if (!isEventType(doc.type)) return undefined;
  const payload = TIMELINE_PAYLOADS[doc.type].safeParse(doc.payload);
  if (!payload.success) return undefined;
  return {
    id: doc._id.toString(),
    incidentId: doc.incidentId,
    type: doc.type,
    at: doc.at,
    actorId: doc.actorId,
    payload: payload.data,
    ...(!doc.key.startsWith(AUTO_KEY) && { key: doc.key }),
  };
}

export interface NewTimelineEvent<T extends TimelineEventType> {
  incidentId: string;
  type: T;
  at: Date;
  actorId: string;
  payload: TimelinePayload<T>;
  /** Makes the append idempotent: a second append with the same key returns the first event. */
  key?: string;
}

/**
 * Validates the payload (a ZodError, and nothing written, if it does not parse) and appends the event.
 * With a key already used on this incident, returns that event with `created: false`.
 */
export async function appendEvent<T extends TimelineEventType>(
  models: Models,
  input: NewTimelineEvent<T>,
): Promise<{ event: TimelineEvent<T>; created: boolean }> {
  const payload = parseTimelinePayload(input.type, input.payload);
  if (input.key?.startsWith(AUTO_KEY)) throw new Error(`timeline keys starting "${AUTO_KEY}" are reserved`);
  const _id = new Types.ObjectId();
  const key = input.key ?? `${AUTO_KEY}${_id.toString()}`;
  const { incidentId, type, at, actorId } = input;
  try {
    await models.timelineEvents.create({ _id, incidentId, type, at, actorId, payload, key });
    const event: TimelineEvent<T> = { id: _id.toString(), incidentId, type, at, actorId, payload };
    return { event: input.key === undefined ? event : { ...event, key }, created: true };
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const existing = await models.timelineEvents.findOne({ incidentId, key }).lean();
    const event = existing && toEvent(existing);
    if (!event) throw error;
    if (event.type !== type) throw new Error(`timeline key ${key} is already used by a ${event.type} event`);
    return { event: event as TimelineEvent<T>, created: false };
  }
}

/**
 * An incident's events in time order. Equal times keep insertion order by `_id`: ObjectIds made in one
 * process increase (seconds, then a per-process counter), and the events of one flow are written by one
 * process in turn; events from two processes in the same millisecond are concurrent anyway and get a stable
 * order. (A per-incident `seq` from nextSequence would cost two more round trips and a document per event.)
 * Stored events that no longer parse are left out and counted in `invalid`, so a page may hold fewer than
 * `limit` events.
 */
export async function listEvents(
  models: Models,
  incidentId: string,
  page: { limit?: number; skip?: number } = {},
): Promise<{ events: TimelineEvent[]; invalid: number }> {
  const docs = await models.timelineEvents
    .find({ incidentId })
    .sort({ at: 1, _id: 1 })
    .skip(page.skip ?? 0)
    .limit(page.limit ?? 0)
    .lean();
  const events = docs.map(toEvent).filter((event) => event !== undefined);
  return { events, invalid: docs.length - events.length };
}

/** All stored events of the incident, including any that no longer parse. */
export function countEvents(models: Models, incidentId: string): Promise<number> {
  return models.timelineEvents.countDocuments({ incidentId }).exec();
}

/** Whether anyone ever pinned this message to the incident's timeline: only then do its edits matter. */
export async function wasMessagePinned(models: Models, incidentId: string, ts: string): Promise<boolean> {
  const found = await models.timelineEvents.exists({ incidentId, type: "message_pinned", "payload.ts": ts });
  return found !== null;
}
