import type { AppContext } from "../context.ts";
import { sharesService } from "../domain/change.ts";
import type { Incident } from "../domain/incident.ts";
import { SYSTEM_ACTOR } from "../domain/timeline.ts";
import { newReference } from "../reference.ts";
import { addLinkedIncident, getChange, implementingChanges } from "../store/changes.ts";
import { appendEvent } from "../store/timeline.ts";

/**
 * Part of declaring an incident: each change being implemented on one of its services is a possible cause.
 * It is linked on the incident's timeline and on the change, and the incident channel is told. One `_id`
 * read (the workspace's implementing changes) when nothing matches. Never throws: a failure is logged
 * with a reference and recorded on the timeline (a message Slack refused as the declaration's own failed
 * steps are, anything else as a note).
 */
export async function linkImplementingChanges(ctx: AppContext, incident: Incident): Promise<void> {
  try {
    // A drill is practice: nothing real caused it.
    if (incident.drill || incident.affectedServices.length === 0) return;
    const { models } = ctx.store;
    const implementing = await implementingChanges(models, incident.workspaceId);
    for (const summary of implementing.filter((c) =>
      sharesService(c.affectedServices, incident.affectedServices),
    )) {
      await appendEvent(models, {
        incidentId: incident.id,
        type: "change_linked",
        at: ctx.clock.now(),
        actorId: SYSTEM_ACTOR,
        payload: { changeNumber: summary.number, title: summary.title, reason: "possible cause" },
        key: `change:${summary.number}`,
      });
      await addLinkedIncident(models, summary.id, incident.number);
      const change = await getChange(models, summary.id);
      if (!change || !incident.channelId) continue;
      const posted = await ctx.notifier.post(incident.channelId, {
        kind: "change",
        note: { kind: "possible_cause", change, incidentNumber: incident.number },
      });
      if (posted.status === "done") continue;
      const ref = newReference();
      ctx.logger.warn(
        { ref, incident: incident.number, change: change.number, error: posted.code },
        "could not tell an incident channel of a change being implemented",
      );
      await appendEvent(models, {
        incidentId: incident.id,
        type: "slack_error",
        at: ctx.clock.now(),
        actorId: SYSTEM_ACTOR,
        payload: { action: "post_change_link", ref, error: posted.code },
      });
    }
  } catch (error) {
    const ref = newReference();
    ctx.logger.error({ ref, incident: incident.number, err: error }, "could not link implementing changes");
    await appendEvent(ctx.store.models, {
      incidentId: incident.id,
      type: "note",
      at: ctx.clock.now(),
      actorId: SYSTEM_ACTOR,
      payload: {
        text: `Could not check for changes being implemented on these services (reference ${ref}).`,
      },
    }).catch(() => undefined);
  }
}
