import { type Connection, type Model, Schema, type Types } from "mongoose";
import {
  TIMELINE_EVENT_TYPES,
  TIMELINE_PAYLOADS,
  type TimelineEvent,
  type TimelineEventType,
  type TimelinePayload,
} from "../domain/timeline.ts";

/**
 * The append-only timeline: events are inserted and read, never updated or deleted. An edit or deletion of
 * a pinned message is a new event (`pinned_message_edited`, …), which the view layer folds.
 */
export interface TimelineEventDoc {
  /** `<incidentId>:<n>`, or an ObjectId for an event appended before timelines were keyed. */
  _id: string | Types.ObjectId;
  incidentId: string;
  /** A string, not TimelineEventType: an old event may carry a type that no longer exists. */
  type: string;
  at: Date;
  actorId: string;
  payload: unknown;
  /** The caller's idempotency key, or AUTO_KEY + the event's id, so keyless events never collide. */
  key: string;
}

export type TimelineEventRecord = TimelineEventDoc;

export const AUTO_KEY = "auto:";

const timelineEventSchema = new Schema<TimelineEventDoc>(
  {
    _id: { type: Schema.Types.Mixed, required: true },
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
export function toEvent(doc: TimelineEventRecord): TimelineEvent | undefined {
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
