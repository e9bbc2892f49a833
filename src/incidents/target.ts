import type { AppContext } from "../context.ts";
import type { Incident } from "../domain/incident.ts";
import { getIncidentByChannel, getIncidentByNumber } from "../store/incidents.ts";

/** The incident found, or why none was: the number named does not exist, or the channel is no incident's. */
export type Target =
  | { ok: true; incident: Incident }
  | { ok: false; missing: "no_such_incident"; number: number }
  | { ok: false; missing: "not_an_incident_channel" };

/**
 * The incident a command is about: the one named (INC-42), else the one whose channel the command was
 * typed in.
 */
export async function findTarget(
  ctx: AppContext,
  workspaceId: string,
  channelId: string,
  named: number | undefined,
): Promise<Target> {
  if (named !== undefined) {
    const incident = await getIncidentByNumber(ctx.store.models, workspaceId, named);
    return incident ? { ok: true, incident } : { ok: false, missing: "no_such_incident", number: named };
  }
  const incident = await getIncidentByChannel(ctx.store.models, channelId);
  if (incident) return { ok: true, incident };
  return { ok: false, missing: "not_an_incident_channel" };
}
