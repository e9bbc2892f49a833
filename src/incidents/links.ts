import type { AppContext } from "../context.ts";
import type { Incident } from "../domain/incident.ts";
import { addLinkedNumber, getIncidentByNumber } from "../store/incidents.ts";
import { appendEvent } from "../store/timeline.ts";

/** Records a "declared anyway" link on both incidents' timelines (idempotent per pair). */
export async function linkIncidents(
  ctx: AppContext,
  incident: Incident,
  otherNumber: number,
  actorId: string,
) {
  const other = await getIncidentByNumber(ctx.store.models, incident.workspaceId, otherNumber);
  if (!other) return;
  const at = ctx.clock.now();
  const reason = "declared anyway despite the duplicate warning";
  await appendEvent(ctx.store.models, {
    incidentId: incident.id,
    type: "linked",
    at,
    actorId,
    payload: { otherNumber, reason },
    key: `linked:${otherNumber}`,
  });
  await appendEvent(ctx.store.models, {
    incidentId: other.id,
    type: "linked",
    at,
    actorId,
    payload: { otherNumber: incident.number, reason },
    key: `linked:${incident.number}`,
  });
  // $addToSet, not a rewrite of the list: another declare-anyway may be linking to it at the same moment.
  await addLinkedNumber(ctx.store.models, other.id, incident.number);
}
