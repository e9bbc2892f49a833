import { randomUUID } from "node:crypto";
import { type Connection, type Model, Schema } from "mongoose";
import { claimOnce, getClaim, releaseClaim } from "./claims.ts";
import { isDuplicateKeyError } from "./errors.ts";
import { insertRecord } from "./insert-record.ts";
import type { Models } from "./store.ts";
import { writeById } from "./write-by-id.ts";
import { WriteListeners } from "./write-listeners.ts";

/**
 * The durable delivery queue: one document per piece of Slack work that is still to do, so a restart or a
 * Slack outage loses nothing (see docs/database.md, "Delivery queue").
 * - The `_id` is the work's natural idempotency key (`post-alert:<alertId>`, `page:<alertId>:<step>:<userId>`,
 *   `refresh-alert:<alertId>`): enqueueing the same work twice is an insert that fails, so it is queued once,
 *   and repeated refreshes of one message coalesce into the one pending item.
 * - The collection holds only pending work: a finished or abandoned item is deleted. FerretDB v1 scans a
 *   collection for every filter but `_id` equality, so the poller's scan costs what is pending, not history.
 * - Each channel's work is done by one process at a time, under a lease that is a claim (an insert under a
 *   unique `_id`); pacing and storm state live on a per-channel document written only by the lease holder,
 *   because FerretDB's updates are read-then-write with no guard against a concurrent writer.
 */
export interface Delivery {
  key: string;
  kind: string;
  channel: string;
  /** References (ids), never rendered messages: the handler renders fresh data when it sends. */
  payload: Record<string, unknown>;
  enqueuedAt: Date;
  /** Breaks ties within one millisecond of `enqueuedAt`, so one process's items keep their order. */
  seq: number;
  /** Failed tries so far (rate limits not counted). */
  attempts: number;
  /** Not to be tried before this. */
  dueAt: Date;
}

type DeliveryDoc = Omit<Delivery, "key"> & { _id: string };

const deliverySchema = new Schema<DeliveryDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    channel: { type: String, required: true },
    payload: { type: Schema.Types.Mixed, default: {} },
    enqueuedAt: { type: Date, required: true },
    seq: { type: Number, required: true },
    attempts: { type: Number, required: true },
    dueAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
// MongoDB serves the poller's sorted scan from this; FerretDB scans the (small) collection anyway.
deliverySchema.index({ enqueuedAt: 1, seq: 1 });

export function deliveryModel(connection: Connection): Model<DeliveryDoc> {
  return connection.model<DeliveryDoc>("Delivery", deliverySchema, "deliveries");
}

/** A channel's pacing and storm state; one small document per channel, read and written by `_id` only. */
export interface DeliveryChannel {
  channel: string;
  lastSentAt?: Date;
  /** A rate limit's Retry-After: nothing goes to the channel before it. */
  pausedUntil?: Date;
  /** When the channel's recent foldable posts went out as their own messages (for the storm threshold). */
  recentPosts: Date[];
  storm?: ChannelStorm;
}

/** The storm summary a channel's foldable posts are folding into. */
export interface ChannelStorm {
  lastFoldedAt: Date;
  /** What the handler returned for the summary message, to edit it in place next time. */
  messageRef?: string;
  /**
   * The handler's running summary of what it folded so far, handed back with the next batch: bounded in
   * size (counts and the top few), as FerretDB rewrites the whole document on every save.
   */
  summary?: unknown;
}

type DeliveryChannelDoc = Omit<DeliveryChannel, "channel"> & { _id: string };

const deliveryChannelSchema = new Schema<DeliveryChannelDoc>(
  {
    _id: { type: String, required: true },
    lastSentAt: Date,
    pausedUntil: Date,
    recentPosts: { type: [Date], default: [] },
    storm: {
      type: new Schema<ChannelStorm>(
        { lastFoldedAt: Date, messageRef: String, summary: Schema.Types.Mixed },
        { _id: false },
      ),
      required: false,
    },
  },
  { versionKey: false },
);

export function deliveryChannelModel(connection: Connection): Model<DeliveryChannelDoc> {
  return connection.model<DeliveryChannelDoc>("DeliveryChannel", deliveryChannelSchema, "delivery_channels");
}

export interface NewDelivery {
  key: string;
  kind: string;
  channel: string;
  payload?: Record<string, unknown>;
  /** Now, by the caller's clock. */
  at: Date;
  /** Not to be tried before this (a Retry-After Slack already gave); default `at`. */
  notBefore?: Date | undefined;
  /** Its place among work queued at the same `at` (`reserveDeliverySeq`); default: next in this process. */
  seq?: number;
}

let lastSeq = 0;

/**
 * A place in the queue's order taken now, for work queued later: alerts recorded side by side keep the
 * order they arrived in, whichever's writes finish first.
 */
export function reserveDeliverySeq(): number {
  return ++lastSeq;
}

/** A change this process made to the queue, once written (`onQueueChange`). */
export type QueueChange = { kind: "queued"; item: Delivery } | { kind: "removed"; keys: readonly string[] };

const changes = new WriteListeners<QueueChange>();

/**
 * Hears every change this process makes to the queue on `models`: the delivery job keeps the pending work
 * in memory between its scans of the queue, and follows its own process's work at once.
 */
export const onQueueChange = (models: Models, listener: (change: QueueChange) => void) =>
  changes.listen(models, listener);

/**
 * Queues a piece of Slack work once. Returns false when work under the same key is already pending
 * (a duplicate enqueue, or a refresh that coalesces into the pending one).
 */
export async function enqueueDelivery(models: Models, work: NewDelivery): Promise<boolean> {
  const item: Delivery = {
    key: work.key,
    kind: work.kind,
    channel: work.channel,
    payload: work.payload ?? {},
    enqueuedAt: work.at,
    seq: work.seq ?? ++lastSeq,
    attempts: 0,
    dueAt: work.notBefore ?? work.at,
  };
  try {
    await insertRecord(models.deliveries, toDoc(item));
    changes.tell(models, { kind: "queued", item });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

const toDelivery = ({ _id, ...rest }: DeliveryDoc): Delivery => ({ key: _id, ...rest });
const toDoc = ({ key, ...rest }: Delivery): DeliveryDoc => ({ _id: key, ...rest });

/** Pending work, oldest first, due or not (a channel's later items wait for its first). */
export async function pendingDeliveries(models: Models, limit: number): Promise<Delivery[]> {
  const docs = await models.deliveries.find().sort({ enqueuedAt: 1, seq: 1 }).limit(limit).lean();
  return docs.map(toDelivery);
}

/** Puts work back for a later try. */
export async function putBackDelivery(models: Models, item: Delivery): Promise<void> {
  const { key, ...rest } = item;
  await models.deliveries.findOneAndUpdate({ _id: key }, { $set: rest }, { upsert: true });
  changes.tell(models, { kind: "queued", item });
}

/** Takes finished or abandoned work out of the queue. */
export async function removeDeliveries(models: Models, keys: readonly string[]): Promise<void> {
  // One `_id` equality each: constant time on FerretDB, where `$in` would scan; batched (writeById).
  await Promise.all(keys.map((key) => writeById(models.deliveries, key, { delete: true })));
  changes.tell(models, { kind: "removed", keys });
}

export async function getDeliveryChannel(models: Models, channel: string): Promise<DeliveryChannel> {
  const doc = await models.deliveryChannels.findById(channel).lean();
  if (!doc) return { channel, recentPosts: [] };
  const { _id, ...rest } = doc;
  return { channel: _id, ...rest };
}

/** Written only by the holder of the channel's lease, so no other writer can overwrite it. */
export async function saveDeliveryChannel(models: Models, state: DeliveryChannel): Promise<void> {
  const { channel, ...rest } = state;
  await models.deliveryChannels.findOneAndUpdate({ _id: channel }, { $set: rest }, { upsert: true });
}

const leaseKey = (channel: string) => `delivery-lease:${channel}`;

/**
 * Takes the channel's lease until `now + leaseMs`; returns the holder token to release it with, or undefined
 * when another process holds it. A lease left by a process that died is taken over once it runs out: the
 * takeover of that one lease is itself a claim, so only one process removes it and takes a new one.
 */
export async function takeChannelLease(
  models: Models,
  channel: string,
  now: Date,
  leaseMs: number,
): Promise<string | undefined> {
  const key = leaseKey(channel);
  const holder = randomUUID();
  const meta = { holder, leaseUntil: now.getTime() + leaseMs };
  if (await claimOnce(models, key, meta)) return holder;
  const current = (await getClaim(models, key))?.meta as { holder?: string; leaseUntil?: number } | undefined;
  if (!current?.holder || now.getTime() <= (current.leaseUntil ?? Number.POSITIVE_INFINITY)) return undefined;
  if (!(await claimOnce(models, `delivery-takeover:${channel}:${current.holder}`))) return undefined;
  await releaseClaim(models, key);
  return (await claimOnce(models, key, meta)) ? holder : undefined;
}

export async function releaseChannelLease(models: Models, channel: string, holder: string): Promise<void> {
  const current = (await getClaim(models, leaseKey(channel)))?.meta as { holder?: string } | undefined;
  if (current?.holder === holder) await releaseClaim(models, leaseKey(channel));
}
