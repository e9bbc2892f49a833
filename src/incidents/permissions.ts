import type { AppContext } from "../context.ts";
import type { Incident } from "../domain/incident.ts";
import { newReference } from "../reference.ts";

/** Why someone may not manage an incident, as data: the edge says it in words. */
export type PermissionRefusal =
  /** INCIDENT_ADMIN_GROUP is set and they are not in it. */
  | { kind: "not_in_admin_group"; groupId: string }
  /** Not in the incident's channel, nor its reporter or a role holder; channelId is absent before it has one. */
  | { kind: "not_in_incident"; channelId?: string | undefined }
  /** The chat platform could not say who is in the group or channel; `ref` is in the log line. */
  | { kind: "membership_unknown"; of: { groupId: string } | { channelId: string }; ref: string };

export type Permission = { allowed: true } | { allowed: false; refusal: PermissionRefusal };

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
  const uncheckable = (of: { groupId: string } | { channelId: string }, code: string): Permission => {
    const ref = newReference();
    ctx.logger.warn(
      { ref, incident: incident.number, error: code },
      "could not check who may manage an incident",
    );
    return { allowed: false, refusal: { kind: "membership_unknown", of, ref } };
  };
  if (groupId) {
    const members = await ctx.notifier.userGroupMembers(groupId);
    if (members.status !== "done") return uncheckable({ groupId }, members.code);
    if (members.value.includes(userId)) return { allowed: true };
    return { allowed: false, refusal: { kind: "not_in_admin_group", groupId } };
  }
  if (userId === incident.reporterId || Object.values(incident.roles).includes(userId))
    return { allowed: true };
  const { channelId } = incident;
  if (channelId) {
    const member = await ctx.notifier.isInChannel(channelId, userId);
    if (member.status !== "done") return uncheckable({ channelId }, member.code);
    if (member.value) return { allowed: true };
  }
  return { allowed: false, refusal: { kind: "not_in_incident", channelId } };
}
