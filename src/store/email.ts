import { type Connection, type Model, Schema } from "mongoose";
import { ALL_SERVICES } from "../domain/email.ts";
import { isDuplicateKeyError } from "./errors.ts";
import { insertRecord } from "./insert-record.ts";
import { claimLookup } from "./lookups.ts";
import { mapLimited, PAGE_READS } from "./parallel.ts";
import { serialised } from "./serial.ts";
import type { Models } from "./store.ts";

/**
 * Stakeholder e-mail:
 * - `email_subscribers/<service>`: the addresses subscribed to one service, so sending reads by `_id` only;
 * - `email_opt_outs/<address>`: an address that unsubscribed through an e-mail's link (from every list);
 * - `email_outbox/<incidentId>:<update key>:<address>`: one e-mail waiting to go out. The `_id` makes queueing
 *   idempotent; an e-mail leaves the collection once sent (or given up), so the due scan reads only the few
 *   still waiting, never the history.
 */

export interface EmailSubscribers {
  _id: string;
  addresses: string[];
}

const subscribersSchema = new Schema<EmailSubscribers>(
  { _id: { type: String, required: true }, addresses: { type: [String], default: [] } },
  { versionKey: false },
);

export function emailSubscribersModel(connection: Connection): Model<EmailSubscribers> {
  return connection.model<EmailSubscribers>("EmailSubscribers", subscribersSchema, "email_subscribers");
}

interface OptOut {
  _id: string;
  at: Date;
}

const optOutSchema = new Schema<OptOut>(
  { _id: { type: String, required: true }, at: { type: Date, required: true } },
  { versionKey: false },
);

export function emailOptOutModel(connection: Connection): Model<OptOut> {
  return connection.model<OptOut>("EmailOptOut", optOutSchema, "email_opt_outs");
}

/** Stops every e-mail to the address; doing it twice changes nothing. */
export async function optOut(models: Models, address: string, at: Date): Promise<void> {
  await models.emailOptOuts.updateOne({ _id: address }, { $set: { at } }, { upsert: true });
}

/** The addresses that have not opted out, read by `_id`. */
export async function withoutOptOuts(models: Models, addresses: readonly string[]): Promise<string[]> {
  const out = await mapLimited([...addresses], PAGE_READS, (address) =>
    models.emailOptOuts.findById(address).lean(),
  );
  return addresses.filter((_, index) => !out[index]);
}

export interface QueuedEmail {
  _id: string;
  /** The incident it is about; none for a subscription's confirmation. */
  incidentId?: string | undefined;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** When the next attempt is due; also the lease of an attempt in flight. */
  dueAt: Date;
  /** Attempts started so far. */
  attempts: number;
  /** Sent as the List-Unsubscribe header (one click, RFC 8058). */
  unsubscribeUrl?: string | undefined;
}

const outboxSchema = new Schema<QueuedEmail>(
  {
    _id: { type: String, required: true },
    incidentId: String,
    to: { type: String, required: true },
    subject: { type: String, required: true },
    text: { type: String, required: true },
    html: { type: String, required: true },
    dueAt: { type: Date, required: true },
    attempts: { type: Number, required: true },
    unsubscribeUrl: String,
  },
  { versionKey: false },
);

// For MongoDB; on FerretDB the due scan reads the few e-mails still waiting.
outboxSchema.index({ dueAt: 1 });

export function emailOutboxModel(connection: Connection): Model<QueuedEmail> {
  return connection.model<QueuedEmail>("EmailOutbox", outboxSchema, "email_outbox");
}

const serviceKey = (models: Models, service: string) =>
  `email-subscribers:${models.emailSubscribers.db.name}:${service}`;

/** Adds an address to a service's list; false when it was already there. */
export function addSubscriber(models: Models, service: string, address: string): Promise<boolean> {
  return serialised(serviceKey(models, service), async () => {
    // Subscribing again from Slack lifts an earlier unsubscribe.
    await models.emailOptOuts.deleteOne({ _id: address });
    const current = await models.emailSubscribers.findById(service).lean();
    const addresses = current?.addresses ?? [];
    if (addresses.includes(address)) return false;
    await models.emailSubscribers.updateOne(
      { _id: service },
      { $set: { addresses: [...addresses, address] } },
      { upsert: true },
    );
    return true;
  });
}

/** Removes an address from a service's list; false when it was not there. */
export function removeSubscriber(models: Models, service: string, address: string): Promise<boolean> {
  return serialised(serviceKey(models, service), async () => {
    const current = await models.emailSubscribers.findById(service).lean();
    const addresses = current?.addresses ?? [];
    if (!addresses.includes(address)) return false;
    const rest = addresses.filter((a) => a !== address);
    if (rest.length === 0) await models.emailSubscribers.deleteOne({ _id: service });
    else await models.emailSubscribers.updateOne({ _id: service }, { $set: { addresses: rest } });
    return true;
  });
}

/** Every service's list, for `/incident subscribers list` (one document per service with subscribers). */
export async function allSubscribers(models: Models): Promise<EmailSubscribers[]> {
  return models.emailSubscribers.find().sort({ _id: 1 }).lean();
}

/** The addresses subscribed to any of the services, each once, read by `_id`. */
export async function subscribersOf(models: Models, services: readonly string[]): Promise<string[]> {
  const lists = await mapLimited([...new Set([ALL_SERVICES, ...services])], PAGE_READS, (service) =>
    models.emailSubscribers.findById(service).lean(),
  );
  return [...new Set(lists.flatMap((list) => list?.addresses ?? []))];
}

/** True for the one caller that first e-mails `to` about an incident (a claim under a unique key). */
export function claimFirstEmail(models: Models, incidentId: string, to: string): Promise<boolean> {
  return claimLookup(models, `email-first:${incidentId}:${to}`, "1");
}

/** Queues an e-mail; queueing the same `_id` again changes nothing. */
export async function queueEmail(models: Models, email: QueuedEmail): Promise<void> {
  try {
    await insertRecord(models.emailOutbox, { ...email });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}

/** E-mails whose next attempt is due (the outbox holds only those not yet sent). */
export async function dueEmails(models: Models, now: Date, limit: number): Promise<QueuedEmail[]> {
  return models.emailOutbox
    .find({ dueAt: { $lte: now } })
    .sort({ dueAt: 1 })
    .limit(limit)
    .lean();
}

/** Records an attempt started and when the next is due if this one fails (or its process dies). */
export async function markAttempt(models: Models, id: string, attempts: number, dueAt: Date): Promise<void> {
  await models.emailOutbox.updateOne({ _id: id }, { $set: { attempts, dueAt } });
}

/** Takes an e-mail out of the outbox: sent, or given up. */
export async function removeEmail(models: Models, id: string): Promise<void> {
  await models.emailOutbox.deleteOne({ _id: id });
}
