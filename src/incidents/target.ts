import type { AppContext } from "../context.ts";
import { type Incident, incidentKey } from "../domain/incident.ts";
import { getIncidentByChannel, getIncidentByNumber } from "../store/incidents.ts";

export type Target = { ok: true; incident: Incident } | { ok: false; message: string };

/**
 * The incident a command is about: the one named (INC-42), else the one whose channel the command was
 * typed in. Elsewhere without a name, the answer says how to name one.
 */
export async function findTarget(
  ctx: AppContext,
  workspaceId: string,
  channelId: string,
  named: number | undefined,
): Promise<Target> {
  if (named !== undefined) {
    const incident = await getIncidentByNumber(ctx.store.models, workspaceId, named);
    return incident ? { ok: true, incident } : { ok: false, message: `There is no ${incidentKey(named)}.` };
  }
  const incident = await getIncidentByChannel(ctx.store.models, channelId);
  if (incident) return { ok: true, incident };
  return {
    ok: false,
    message:
      "This channel is not an incident channel. Name the incident, e.g. `INC-42`, or run the command in its channel.",
  };
}
