import type { Incident } from "../../domain/incident.ts";
import { updateIncident } from "../../store/incidents.ts";
import { announcementMessage } from "../views/announcement.ts";
import { kickoffMessage } from "../views/kickoff.ts";
import { incidentTopic } from "../views/topic.ts";
import { type FlowContext, policyOf, slackErrorCode } from "./flow-context.ts";

/**
 * Brings every message that shows the incident up to date, editing in place: the kickoff in its channel,
 * the one announcement in the incidents channel (posted the first time), and the channel topic.
 * Failures are logged and do not undo the change that caused the refresh.
 */
export async function refreshIncidentMessages(ctx: FlowContext, incident: Incident): Promise<Incident> {
  const policy = policyOf(ctx, incident);
  const now = ctx.clock.now();
  const [, announcement] = await Promise.all([
    incident.kickoff &&
      attempt(ctx, incident, "update kickoff", () =>
        ctx.client.chat.update({
          channel: incident.kickoff?.channelId ?? "",
          ts: incident.kickoff?.ts ?? "",
          ...kickoffMessage(incident, policy, now),
        }),
      ),
    upsertAnnouncement(ctx, incident),
    incident.channelId &&
      !incident.archivedAt &&
      attempt(ctx, incident, "set topic", () =>
        ctx.client.conversations.setTopic({
          channel: incident.channelId ?? "",
          topic: incidentTopic(incident),
        }),
      ),
  ]);
  if (announcement && !incident.announcement) {
    return (await updateIncident(ctx.store.models, incident.id, { announcement })) ?? incident;
  }
  return incident;
}

async function upsertAnnouncement(ctx: FlowContext, incident: Incident) {
  const channel = ctx.config.channels.incidents;
  if (!channel) return undefined;
  const message = announcementMessage(incident, policyOf(ctx, incident), ctx.clock.now());
  if (incident.announcement) {
    await attempt(ctx, incident, "update announcement", () =>
      ctx.client.chat.update({
        channel: incident.announcement?.channelId ?? channel,
        ts: incident.announcement?.ts ?? "",
        ...message,
      }),
    );
    return incident.announcement;
  }
  const posted = await attempt(ctx, incident, "post announcement", () =>
    ctx.client.chat.postMessage({ channel, ...message }),
  );
  return posted?.ts && posted.channel ? { channelId: posted.channel, ts: posted.ts } : undefined;
}

async function attempt<T>(ctx: FlowContext, incident: Incident, step: string, call: () => Promise<T>) {
  try {
    return await call();
  } catch (error) {
    ctx.logger.warn({ incident: incident.number, step, error: slackErrorCode(error) }, "Slack call failed");
    return undefined;
  }
}
