import type { AppContext } from "../context.ts";
import { memberOfAnyGroup } from "../group-membership.ts";
import type { ReportPosters } from "./settings.ts";

/** Why someone may not post a report to the report channel, as data: the edge says it in words. */
export type PostRefusal =
  /** REPORT_POSTERS is set and names neither them nor a user group they are in. */
  | { kind: "not_a_poster"; posters: ReportPosters }
  /** The chat platform could not say who is in a group; `ref` is in the log line. */
  | { kind: "membership_unknown"; groupId: string; ref: string };

export type PostPermission = { allowed: true } | { allowed: false; refusal: PostRefusal };

/**
 * Who may post a report to the report channel: anyone, unless REPORT_POSTERS names people and user groups.
 * Groups are asked for their members the way INCIDENT_ADMIN_GROUP is; when one cannot be checked and the
 * person is in none of the others, the answer is no, with the reason.
 */
export async function mayPostReport(ctx: AppContext, userId: string): Promise<PostPermission> {
  const posters = ctx.config.reports.posters;
  if (!posters || posters.userIds.includes(userId)) return { allowed: true };
  const groups = await memberOfAnyGroup(ctx, userId, posters.groupIds, "who may post a report");
  if (groups.member) return { allowed: true };
  if (groups.unchecked)
    return { allowed: false, refusal: { kind: "membership_unknown", ...groups.unchecked } };
  return { allowed: false, refusal: { kind: "not_a_poster", posters } };
}
