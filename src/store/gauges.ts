import { SEVERITIES, type Severity } from "../domain/incident.ts";
import type { Models } from "./store.ts";

/**
 * Figures a metrics scrape reads, from the live sets only (what still has work ahead), never history: a
 * scrape every few seconds must cost the same with a year of incidents and alerts behind it.
 */

/** Open incidents by severity, drills aside: one scan of `live_incidents`. */
export async function openIncidentsBySeverity(models: Models): Promise<Record<Severity, number>> {
  const live = await models.liveIncidents.find({}, { severity: 1, status: 1, drill: 1 }).lean();
  const open = live.filter((entry) => entry.status !== "resolved" && !entry.drill);
  const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const entry of open) {
    // An entry written before the live set kept the severity: the incident, by `_id`, has it.
    const severity =
      entry.severity ?? (await models.incidents.findById(entry._id, { severity: 1 }).lean())?.severity;
    if (severity) counts[severity] += 1;
  }
  return counts;
}

/** Due work not done yet: queued Slack work past its due time, and escalation steps past theirs. */
export async function dueWorkBacklog(
  models: Models,
  now: Date,
): Promise<{ deliveries: number; escalations: number }> {
  const [deliveries, escalations] = await Promise.all([
    models.deliveries.countDocuments({ dueAt: { $lte: now } }).exec(),
    models.armedAlerts.countDocuments({ dueAt: { $lte: now } }).exec(),
  ]);
  return { deliveries, escalations };
}
