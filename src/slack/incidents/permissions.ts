import type { Incident } from "../../domain/incident.ts";
import type { FlowContext } from "./flow-context.ts";

export type Permission = { allowed: true } | { allowed: false; reason: string };

/**
 * Who may change severity, resolve and reopen: by default anyone in the incident (a channel member, the
 * reporter or a role holder); with INCIDENT_ADMIN_GROUP, only members of that user group.
 */
export async function mayManageIncident(
  ctx: FlowContext,
  incident: Incident,
  userId: string,
): Promise<Permission> {
  const groupId = ctx.config.incidents.adminGroupId;
  if (groupId) {
    const members = await ctx.client.usergroups.users.list({ usergroup: groupId });
    if (members.users?.includes(userId)) return { allowed: true };
    return { allowed: false, reason: `Only members of <!subteam^${groupId}> may do this.` };
  }
  if (userId === incident.reporterId || Object.values(incident.roles).includes(userId))
    return { allowed: true };
  if (incident.channelId && (await isChannelMember(ctx, incident.channelId, userId)))
    return { allowed: true };
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
