import { incidentChannelName } from "../../domain/channel-name.ts";
import type { Incident } from "../../domain/incident.ts";
import { type FlowContext, slackErrorCode } from "./flow-context.ts";

const MAX_NAME_ATTEMPTS = 20;

/**
 * Creates the incident's channel, named from the configured template. Slack reserves names of archived
 * channels too, so on `name_taken` the next suffix (-2, -3, …) is tried.
 */
export async function createIncidentChannel(
  ctx: FlowContext,
  incident: Incident,
): Promise<{ channelId: string; channelName: string }> {
  const input = {
    number: incident.number,
    title: incident.title,
    declaredAt: incident.declaredAt,
    severity: incident.severity,
  };
  for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
    const name = incidentChannelName(ctx.config.incidents.channelNameTemplate, input, attempt);
    try {
      const created = await ctx.client.conversations.create({ name, is_private: incident.isPrivate });
      const channelId = created.channel?.id;
      if (!channelId) throw new Error("conversations.create returned no channel id");
      return { channelId, channelName: created.channel?.name ?? name };
    } catch (error) {
      if (slackErrorCode(error) !== "name_taken") throw error;
    }
  }
  throw new Error(
    `every channel name tried for INC-${incident.number} was taken (${MAX_NAME_ATTEMPTS} attempts)`,
  );
}

/**
 * Invites users one call each, so one bad user (deactivated, already there) does not keep the others out,
 * as a single multi-user `conversations.invite` would. Returns the failures by user.
 */
export async function inviteToChannel(
  ctx: FlowContext,
  channelId: string,
  userIds: readonly string[],
): Promise<{ invited: string[]; failed: { userId: string; error: string }[] }> {
  const unique = [...new Set(userIds)];
  const results = await Promise.all(
    unique.map(async (userId) => {
      try {
        await ctx.client.conversations.invite({ channel: channelId, users: userId });
        return { userId, error: undefined };
      } catch (error) {
        const code = slackErrorCode(error);
        // Already in the channel is the outcome we wanted.
        return { userId, error: code === "already_in_channel" ? undefined : code };
      }
    }),
  );
  return {
    invited: results.filter((r) => r.error === undefined).map((r) => r.userId),
    failed: results.flatMap((r) => (r.error === undefined ? [] : [{ userId: r.userId, error: r.error }])),
  };
}
