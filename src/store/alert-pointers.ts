import { type Claim, getClaim, releaseClaim } from "./claims.ts";
import type { Models } from "./store.ts";
import { writeById } from "./write-by-id.ts";

/**
 * How an open alert is found by its source and fingerprint: its open key, and the pointer under that key
 * (a claim document naming the alert, `meta.alertId`) that finds it by `_id`. The pointer is written once
 * the new alert's Slack work is queued, after the webhook's answer, and deleted when the alert is resolved
 * (src/store/alert-firings.ts). This process also keeps a hint of the keys it knows open.
 */

/** While an alert is open, its fingerprint is claimed: concurrent firings open one alert, not two. */
export const openKey = (source: string, fingerprint: string) => `alert-open:${source}:${fingerprint}`;

/**
 * Pointers being written, by open key: the webhook answers before its new alerts' pointers are written, so
 * a repeat or a resolve this process takes meanwhile waits for the pointer before it reads it.
 */
const pointersInFlight = new Map<string, Promise<void>>();

/** The pointer under `key`, once any write of it by this process has landed. */
export async function readPointer(models: Models, key: string): Promise<Claim | undefined> {
  await pointersInFlight.get(key)?.catch(() => undefined);
  return getClaim(models, key);
}

/**
 * Writes the pointer to the alert open under `key`, and notes the key as open here. Batched with the
 * pointers of concurrent requests' alerts (writeById): one command for several webhooks. With `trailing`,
 * the write is handed to it (it goes on after the caller's answer) instead of awaited.
 */
export function writePointer(
  models: Models,
  key: string,
  pointer: { alertId: string; at: Date; trailing?: ((work: Promise<void>) => void) | undefined },
): Promise<void> {
  const { alertId, at, trailing } = pointer;
  const writing = writeById(models.claims, key, { replace: { at, meta: { alertId } } }).finally(() => {
    if (pointersInFlight.get(key) === writing) pointersInFlight.delete(key);
  });
  pointersInFlight.set(key, writing);
  rememberOpen(key);
  if (!trailing) return writing;
  trailing(writing);
  return Promise.resolve();
}

/** Deletes the pointer of an alert resolved: its key is free for a new alert. */
export async function dropPointer(models: Models, key: string): Promise<void> {
  openHere.delete(key);
  await releaseClaim(models, key);
}

/**
 * Open keys this process opened or found taken: a repeat of one of them reads its pointer first instead of
 * trying the insert of a new alert, which would be refused (commands wasted on every repeat). Only a hint: a
 * key closed by another process is found out by the pointer read, and the firing then takes the path of a
 * new alert. Bounded; the oldest are forgotten first (their next repeat pays the one refused insert).
 */
const openHere = new Set<string>();
const OPEN_HERE_MAX = 10_000;

export function rememberOpen(key: string): void {
  openHere.add(key);
  if (openHere.size > OPEN_HERE_MAX) openHere.delete(openHere.values().next().value as string);
}

/** Whether the key is open, as far as this process knows. */
export const knownOpen = (key: string): boolean => openHere.has(key);

/** The hint was wrong: the key was closed elsewhere. */
export const forgetOpen = (key: string): void => {
  openHere.delete(key);
};

/** Whether an alert is open under the fingerprint, as far as this process knows (a hint). */
export const openedHereHint = (source: string, fingerprint: string): boolean =>
  knownOpen(openKey(source, fingerprint));
