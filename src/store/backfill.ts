import { openKey } from "./alert-pointers.ts";
import { syncArmed } from "./armed-alerts.ts";
import { writeHead } from "./counters.ts";
import { isDuplicateKeyError } from "./errors.ts";
import { channelKey, numberKey } from "./incidents.ts";
import { syncLive } from "./live-incidents.ts";
import { claimLookup, getLookup } from "./lookups.ts";
import type { Models } from "./store.ts";
import { legacyTimelineLookup } from "./timeline-legacy.ts";

export const BACKFILL_DONE = "backfill:v1";
const OPEN_KEYS_DONE = "backfill:alert-open-keys";

/**
 * Brings data written by earlier versions up to what this version's lookups read: each step once per
 * database.
 */
export async function backfillLookups(models: Models): Promise<void> {
  await backfillLookupsV1(models);
  await backfillOpenKeys(models);
}

/**
 * Gives each alert still open when new alerts began to carry their open key (`openUnder`, unique) that key,
 * so a new firing's insert is refused while it is open. Runs once per database: one scan, then a mark.
 */
async function backfillOpenKeys(models: Models): Promise<void> {
  if ((await getLookup(models, OPEN_KEYS_DONE)) !== undefined) return;
  const open = await models.alerts.find(
    { state: { $ne: "resolved" }, openUnder: { $exists: false } },
    { source: 1, fingerprint: 1 },
  );
  for (const alert of open) {
    await models.alerts
      .updateOne({ _id: alert._id }, { $set: { openUnder: openKey(alert.source, alert.fingerprint) } })
      // A second open alert of one fingerprint (never written by this store) stays without the key.
      .catch((error: unknown) => {
        if (!isDuplicateKeyError(error)) throw error;
      });
  }
  await claimLookup(models, OPEN_KEYS_DONE, "done");
}

/**
 * Gives data written before the hot paths became `_id` lookups (docs/database.md) what those lookups read:
 * incident number and channel pointers, the live sets, open-alert claims that name their alert, sequence
 * heads, and a mark on each incident whose timeline predates keyed events. Runs once per database, at the
 * first start of this version: a few scans, then the mark `backfill:v1` makes later starts skip it. Every
 * write is idempotent, so two processes starting at once do no harm.
 */
async function backfillLookupsV1(models: Models): Promise<void> {
  if ((await getLookup(models, BACKFILL_DONE)) !== undefined) return;
  for (const doc of await models.incidents.find({}).lean()) {
    const id = doc._id.toString();
    await claimLookup(models, numberKey(doc.workspaceId, doc.number), id);
    if (doc.channelId) await claimLookup(models, channelKey(doc.channelId), id);
    await syncLive(models, doc);
  }
  const open = await models.alerts.find(
    { state: { $ne: "resolved" } },
    { source: 1, fingerprint: 1, state: 1, nextDueAt: 1 },
  );
  for (const alert of open) {
    const id = alert._id.toString();
    await models.claims.updateOne(
      { _id: openKey(alert.source, alert.fingerprint) },
      { $set: { "meta.alertId": id } },
    );
    await syncArmed(models, { id, state: alert.state, nextDueAt: alert.nextDueAt });
  }
  // FerretDB v1 has no $max (docs/database.md, note 4): the maximum of each sequence is found here.
  const heads = new Map<string, number>();
  for (const { key, value } of await models.sequenceClaims.find({}, { key: 1, value: 1 }).lean()) {
    heads.set(key, Math.max(heads.get(key) ?? 0, value));
  }
  for (const [key, value] of heads) await writeHead(models.sequenceClaims, key, value);
  const timelines = await models.timelineEvents.aggregate<{ _id: string }>([
    { $group: { _id: "$incidentId", events: { $sum: 1 } } },
  ]);
  for (const timeline of timelines) await claimLookup(models, legacyTimelineLookup(timeline._id), "1");
  await claimLookup(models, BACKFILL_DONE, "done");
}
