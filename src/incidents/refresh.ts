import type { AppContext } from "../context.ts";
import type { Incident } from "../domain/incident.ts";
import type { SendOutcome } from "../send-outcome.ts";
import { syncStatusPage } from "../status-page/publish.ts";
import { updateIncident } from "../store/incidents.ts";

/**
 * Brings every message that shows the incident up to date, editing in place: the kickoff in its channel,
 * the one announcement in the incidents channel (posted the first time), the channel topic, and the public
 * status page.
 * Failures are logged and do not undo the change that caused the refresh.
 */
export async function refreshIncidentMessages(ctx: AppContext, incident: Incident): Promise<Incident> {
  const { kickoff, channelId } = incident;
  const [, , announced] = await Promise.all([
    kickoff &&
      logFailure(
        ctx,
        incident,
        "update kickoff",
        ctx.notifier.update(kickoff, { kind: "kickoff", incident }),
      ),
    channelId &&
      !incident.archivedAt &&
      logFailure(ctx, incident, "set topic", ctx.notifier.setTopic(channelId, incident)),
    announceIncident(ctx, incident),
    syncStatusPage(ctx, incident),
  ]);
  return announced;
}

/** Posts the incident's one announcement in the incidents channel the first time, then edits it in place. */
export async function announceIncident(ctx: AppContext, incident: Incident): Promise<Incident> {
  const channel = ctx.config.channels.incidents;
  if (!channel) return incident;
  const message = { kind: "announcement", incident } as const;
  if (incident.announcement) {
    await logFailure(
      ctx,
      incident,
      "update announcement",
      ctx.notifier.update(incident.announcement, message),
    );
    return incident;
  }
  const posted = await logFailure(ctx, incident, "post announcement", ctx.notifier.post(channel, message));
  if (posted.status !== "done") return incident;
  return (await updateIncident(ctx.store.models, incident.id, { announcement: posted.value })) ?? incident;
}

async function logFailure<T>(
  ctx: AppContext,
  incident: Incident,
  step: string,
  call: Promise<SendOutcome<T>>,
) {
  const outcome = await call;
  if (outcome.status !== "done")
    ctx.logger.warn({ incident: incident.number, step, error: outcome.code }, "Slack call failed");
  return outcome;
}
