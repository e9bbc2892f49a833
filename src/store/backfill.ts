import { openKey } from "./alert-firings.ts";
import { syncArmed } from "./armed-alerts.ts";
import { writeHead } from "./counters.ts";
import { channelKey, numberKey } from "./incidents.ts";
import { syncLive } from "./live-incidents.ts";
import { claimLookup, getLookup } from "./lookups.ts";
import type { Models } from "./store.ts";
import { legacyTimelineLookup } from "./timeline-legacy.ts";

export const BACKFILL_DONE = "backfill:v1";

/**
 * Gives data written before the hot paths became `_id` lookups (docs/database.md) what those lookups read:
 * incident number and channel pointers, the live sets, open-alert claims that name their alert, sequence
 * heads, and a mark on each incident whose timeline predates keyed events. Runs once per database, at the
 * first start of this version: a few scans, then the mark `backfill:v1` makes later starts skip it. Every
 * write is idempotent, so two processes starting at once do no harm.
 */
export async function backfillLookups(models: Models): Promise<void> {
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
