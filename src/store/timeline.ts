import { setTimeout as sleep } from "node:timers/promises";
import {
  parseTimelinePayload,
  type TimelineEvent,
  type TimelineEventType,
  type TimelinePayload,
} from "../domain/timeline.ts";
import { isDuplicateKeyError } from "./errors.ts";
import { insertRecord } from "./insert-record.ts";
import { claimLookup, getLookup } from "./lookups.ts";
import { mapLimited, PAGE_READS } from "./parallel.ts";
import { serialised } from "./serial.ts";
import type { Models } from "./store.ts";
import { appendLegacy, countLegacy, isLegacy, legacyPage, wasPinnedLegacy } from "./timeline-legacy.ts";
import { AUTO_KEY, type NewTimelineEvent, type TimelineEventRecord, toEvent } from "./timeline-model.ts";

/**
 * Timelines are read by key: the n-th event appended to an incident has the `_id` `<incidentId>:<n>`
 * (n from 1, no gaps: each n is claimed by inserting the event under it), so a page is a run of `_id`
 * lookups and the count is the highest n, found by probing `_id`s. An idempotency key points at its event
 * through the lookup `event-key:<incidentId>:<key>`, and a pinned message through `pinned:<incidentId>:<ts>`.
 * Incidents whose events predate this keep being read and appended by query (timeline-legacy.ts).
 */
const eventId = (incidentId: string, seq: number) => `${incidentId}:${seq}`;
const eventKeyLookup = (incidentId: string, key: string) => `event-key:${incidentId}:${key}`;
const pinnedLookup = (incidentId: string, ts: string) => `pinned:${incidentId}:${ts}`;

const KEY_WAIT_MS = 5_000;
const KEY_POLL_MS = 20;

/** The highest n already taken, per database and incident: a lower bound, as events are never deleted. */
const knownHeads = new Map<string, number>();

async function exists(models: Models, id: string): Promise<boolean> {
  return (await models.timelineEvents.findById(id, { _id: 1 }).lean()) !== null;
}

/** The number of events of a keyed timeline: probes forward from what this process knew, by `_id`. */
async function head(models: Models, incidentId: string): Promise<number> {
  const cacheKey = `${models.timelineEvents.db.name}:${incidentId}`;
  let low = knownHeads.get(cacheKey) ?? 0;
  if (low === 0 && !(await exists(models, eventId(incidentId, 1)))) return 0;
  if (low === 0) low = 1;
  // Gallop past the end, then bisect: O(log n) lookups from a cold start, one or two when warm.
  let step = 1;
  let high = low + step;
  while (await exists(models, eventId(incidentId, high))) {
    low = high;
    step *= 2;
    high = low + step;
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (await exists(models, eventId(incidentId, middle))) low = middle;
    else high = middle;
  }
  knownHeads.set(cacheKey, low);
  return low;
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
  // One append at a time per incident in this process: events keep the order of the calls.
  return serialised(`timeline:${models.timelineEvents.db.name}:${input.incidentId}`, async () => {
    if (await isLegacy(models, input.incidentId)) return appendLegacy(models, input, payload);
    return appendKeyed(models, input, payload);
  });
}

async function appendKeyed<T extends TimelineEventType>(
  models: Models,
  input: NewTimelineEvent<T>,
  payload: TimelinePayload<T>,
): Promise<{ event: TimelineEvent<T>; created: boolean }> {
  const { incidentId, type, at, actorId } = input;
  if (input.key !== undefined) {
    const existing = await eventOfKey(models, incidentId, input.key, type);
    if (existing) return { event: existing, created: false };
  }
  // Warm, the next n is tried straight away; a stale guess only costs a failed insert.
  const known = knownHeads.get(`${models.timelineEvents.db.name}:${incidentId}`);
  for (let seq = (known ?? (await head(models, incidentId))) + 1; ; seq++) {
    const _id = eventId(incidentId, seq);
    const key = input.key ?? `${AUTO_KEY}${_id}`;
    try {
      await insertRecord(models.timelineEvents, { _id, incidentId, type, at, actorId, payload, key });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // Another process took this n (try the next), or this key (its event wins).
      if (input.key !== undefined && !(await exists(models, _id))) {
        const existing = await eventOfKey(models, incidentId, input.key, type, KEY_WAIT_MS);
        if (existing) return { event: existing, created: false };
      }
      seq = await head(models, incidentId);
      continue;
    }
    knownHeads.set(`${models.timelineEvents.db.name}:${incidentId}`, seq);
    if (input.key !== undefined) await claimLookup(models, eventKeyLookup(incidentId, input.key), _id);
    if (type === "message_pinned") {
      await claimLookup(models, pinnedLookup(incidentId, (payload as { ts: string }).ts), _id);
    }
    const event: TimelineEvent<T> = { id: _id, incidentId, type, at, actorId, payload };
    return { event: input.key === undefined ? event : { ...event, key }, created: true };
  }
}

/** The event a key was used for, if any; with `waitMs`, waits for a concurrent appender to point the key. */
async function eventOfKey<T extends TimelineEventType>(
  models: Models,
  incidentId: string,
  key: string,
  type: T,
  waitMs = 0,
): Promise<TimelineEvent<T> | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const id = await getLookup(models, eventKeyLookup(incidentId, key));
    const doc = id === undefined ? null : await models.timelineEvents.findById(id).lean();
    if (doc) {
      const event = toEvent(doc as TimelineEventRecord);
      if (!event) throw new Error(`timeline key ${key} is used by an event that no longer parses`);
      if (event.type !== type)
        throw new Error(`timeline key ${key} is already used by a ${event.type} event`);
      return event as TimelineEvent<T>;
    }
    if (Date.now() >= deadline) return undefined;
    await sleep(KEY_POLL_MS);
  }
}

/** Time order; equal times keep the order of appending. */
function byTime(a: TimelineEventRecord & { seq: number }, b: TimelineEventRecord & { seq: number }): number {
  return a.at.getTime() - b.at.getTime() || a.seq - b.seq;
}

/**
 * An incident's events in time order, equal times in the order they were appended. A page (`skip`,
 * `limit`) is a run of appended events, read as parallel `_id` lookups and sorted by time within itself;
 * the whole timeline (no page) is sorted as a whole. Stored events that no longer parse are left out and
 * counted in `invalid`, so a page may hold fewer than `limit` events.
 */
export async function listEvents(
  models: Models,
  incidentId: string,
  page: { limit?: number; skip?: number } = {},
): Promise<{ events: TimelineEvent[]; invalid: number }> {
  const skip = page.skip ?? 0;
  let docs: TimelineEventRecord[];
  if (await isLegacy(models, incidentId)) {
    docs = await legacyPage(models, incidentId, skip, page.limit ?? 0);
  } else {
    const count = await head(models, incidentId);
    const last = page.limit ? Math.min(count, skip + page.limit) : count;
    const seqs = Array.from({ length: Math.max(0, last - skip) }, (_, i) => skip + i + 1);
    const found = await mapLimited(seqs, PAGE_READS, async (seq) => {
      const doc = await models.timelineEvents.findById(eventId(incidentId, seq)).lean();
      return doc && { ...(doc as TimelineEventRecord), seq };
    });
    docs = found.filter((doc) => doc !== null).sort(byTime);
  }
  const events = docs.map(toEvent).filter((event) => event !== undefined);
  return { events, invalid: docs.length - events.length };
}

/** All stored events of the incident, including any that no longer parse. */
export async function countEvents(models: Models, incidentId: string): Promise<number> {
  if (await isLegacy(models, incidentId)) return countLegacy(models, incidentId);
  return head(models, incidentId);
}

/** Whether anyone ever pinned this message to the incident's timeline: only then do its edits matter. */
export async function wasMessagePinned(models: Models, incidentId: string, ts: string): Promise<boolean> {
  if (await isLegacy(models, incidentId)) return wasPinnedLegacy(models, incidentId, ts);
  return (await getLookup(models, pinnedLookup(incidentId, ts))) !== undefined;
}

/**
 * Bulk-inserts whole timelines of incidents that have none yet, each incident's events in the order given,
 * keyed as appendEvent keys them (for bulk loads: the bench's year of data, a migration). Payloads are
 * validated like appendEvent's.
 */
export async function importTimeline(
  models: Models,
  events: (Omit<NewTimelineEvent<TimelineEventType>, "payload"> & { payload: unknown })[],
): Promise<void> {
  const seqs = new Map<string, number>();
  const docs = events.map((input) => {
    const seq = (seqs.get(input.incidentId) ?? 0) + 1;
    seqs.set(input.incidentId, seq);
    const _id = eventId(input.incidentId, seq);
    const payload = parseTimelinePayload(input.type, input.payload as never);
    const { incidentId, type, at, actorId } = input;
    return { _id, incidentId, type, at, actorId, payload, key: input.key ?? `${AUTO_KEY}${_id}` };
  });
  await models.timelineEvents.insertMany(docs, { ordered: false, lean: true });
  const lookups = docs.flatMap((doc) => [
    ...(doc.key.startsWith(AUTO_KEY) ? [] : [{ _id: eventKeyLookup(doc.incidentId, doc.key), ref: doc._id }]),
    ...(doc.type === "message_pinned"
      ? [{ _id: pinnedLookup(doc.incidentId, (doc.payload as { ts: string }).ts), ref: doc._id }]
      : []),
  ]);
  if (lookups.length > 0) await models.lookups.insertMany(lookups, { ordered: false, lean: true });
}
