import type { Incident } from "../../domain/incident.ts";
import { type FlowContext, slackErrorCode } from "./flow-context.ts";

export type Permission = { allowed: true } | { allowed: false; reason: string };

/**
 * Who may change severity, resolve and reopen: by default anyone in the incident (a channel member, the
 * reporter or a role holder); with INCIDENT_ADMIN_GROUP, only members of that user group. When Slack cannot
 * say who is in the group or channel, the answer is no, with the reason, rather than an error nobody sees.
 */
export async function mayManageIncident(
  ctx: FlowContext,
  incident: Incident,
  userId: string,
): Promise<Permission> {
  const groupId = ctx.config.incidents.adminGroupId;
  const uncheckable = (where: string, error: unknown): Permission => ({
    allowed: false,
    reason: `I could not check who is in ${where} (${slackErrorCode(error)}), so I did not do this. Please try again.`,
  });
  if (groupId) {
    let members: string[];
    try {
      members = (await ctx.client.usergroups.users.list({ usergroup: groupId })).users ?? [];
    } catch (error) {
      return uncheckable(`<!subteam^${groupId}>`, error);
    }
    if (members.includes(userId)) return { allowed: true };
    return { allowed: false, reason: `Only members of <!subteam^${groupId}> may do this.` };
  }
  if (userId === incident.reporterId || Object.values(incident.roles).includes(userId))
    return { allowed: true };
  if (incident.channelId) {
    try {
      if (await isChannelMember(ctx, incident.channelId, userId)) return { allowed: true };
    } catch (error) {
      return uncheckable(`<#${incident.channelId}>`, error);
    }
  }
  return {
    allowed: false,
    reason: `Only people in the incident may do this: join ${incident.channelId ? `<#${incident.channelId}>` : "its channel"} first.`,
  };
}

async function isChannelMember(ctx: FlowContext, channelId: string, userId: string): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const page = await ctx.client.conversations.members({ channel: channelId, limit: 200, cursor });
    if (page.members?.includes(userId)) return true;
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return false;
}
