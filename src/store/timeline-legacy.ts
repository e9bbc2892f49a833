import { Types } from "mongoose";
import type { TimelineEvent, TimelineEventType, TimelinePayload } from "../domain/timeline.ts";
import { isDuplicateKeyError } from "./errors.ts";
import { getLookup } from "./lookups.ts";
import type { Models } from "./store.ts";
import { AUTO_KEY, type NewTimelineEvent, type TimelineEventRecord, toEvent } from "./timeline-model.ts";

/**
 * Timelines of incidents whose events predate keyed timelines (ObjectId `_id`s; marked
 * `timeline-legacy:<id>` by openStore's backfill). They are finished incidents, read rarely, so they keep
 * being read and appended by query.
 */
export const legacyTimelineLookup = (incidentId: string) => `timeline-legacy:${incidentId}`;

/** Per database and incident; fixed once openStore's backfill has run, so it is safe to remember. */
const legacy = new Map<string, boolean>();

export async function isLegacy(models: Models, incidentId: string): Promise<boolean> {
  const cacheKey = `${models.timelineEvents.db.name}:${incidentId}`;
  const known = legacy.get(cacheKey);
  if (known !== undefined) return known;
  const found = (await getLookup(models, legacyTimelineLookup(incidentId))) !== undefined;
  legacy.set(cacheKey, found);
  return found;
}

export async function appendLegacy<T extends TimelineEventType>(
  models: Models,
  input: NewTimelineEvent<T>,
  payload: TimelinePayload<T>,
): Promise<{ event: TimelineEvent<T>; created: boolean }> {
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
    const event = existing && toEvent(existing as TimelineEventRecord);
    if (!event) throw error;
    if (event.type !== type) throw new Error(`timeline key ${key} is already used by a ${event.type} event`);
    return { event: event as TimelineEvent<T>, created: false };
  }
}

export async function legacyPage(
  models: Models,
  incidentId: string,
  skip: number,
  limit: number,
): Promise<TimelineEventRecord[]> {
  return (await models.timelineEvents
    .find({ incidentId })
    .sort({ at: 1, _id: 1 })
    .skip(skip)
    .limit(limit)
    .lean()) as TimelineEventRecord[];
}

export function countLegacy(models: Models, incidentId: string): Promise<number> {
  return models.timelineEvents.countDocuments({ incidentId }).exec();
}

export async function wasPinnedLegacy(models: Models, incidentId: string, ts: string): Promise<boolean> {
  const found = await models.timelineEvents.exists({ incidentId, type: "message_pinned", "payload.ts": ts });
  return found !== null;
}
