import type { AppContext } from "../context.ts";
import type { Incident } from "../domain/incident.ts";
import { newReference } from "../reference.ts";

export type Permission = { allowed: true } | { allowed: false; reason: string };

/**
 * Who may change severity, resolve and reopen: by default anyone in the incident (a channel member, the
 * reporter or a role holder); with INCIDENT_ADMIN_GROUP, only members of that user group. When Slack cannot
 * say who is in the group or channel, the answer is no, with the reason, rather than an error nobody sees.
 */
export async function mayManageIncident(
  ctx: AppContext,
  incident: Incident,
  userId: string,
): Promise<Permission> {
  const groupId = ctx.config.incidents.adminGroupId;
  const uncheckable = (where: string, code: string): Permission => {
    const ref = newReference();
    ctx.logger.warn(
      { ref, incident: incident.number, error: code },
      "could not check who may manage an incident",
    );
    return {
      allowed: false,
      reason: `I could not check who is in ${where}, so I did not do this. Please try again in a minute (ref ${ref}).`,
    };
  };
  if (groupId) {
    const members = await ctx.notifier.userGroupMembers(groupId);
    if (members.status !== "done") return uncheckable(`<!subteam^${groupId}>`, members.code);
    if (members.value.includes(userId)) return { allowed: true };
    return { allowed: false, reason: `Only members of <!subteam^${groupId}> may do this.` };
  }
  if (userId === incident.reporterId || Object.values(incident.roles).includes(userId))
    return { allowed: true };
  if (incident.channelId) {
    const member = await ctx.notifier.isInChannel(incident.channelId, userId);
    if (member.status !== "done") return uncheckable(`<#${incident.channelId}>`, member.code);
    if (member.value) return { allowed: true };
  }
  return {
    allowed: false,
    reason: `Only people in the incident may do this: join ${incident.channelId ? `<#${incident.channelId}>` : "its channel"} first.`,
  };
}
