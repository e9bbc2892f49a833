import type { AppContext } from "../context.ts";
import { memberOfAnyGroup } from "../group-membership.ts";
import type { ReportPosters } from "../reports/settings.ts";
import { listOpenIncidents } from "../store/live-incident-queries.ts";

/** Why someone may not change who is e-mailed, as data: the edge says it in words. */
export type EditRefusal =
  /** Neither the commander of an open incident nor named in EMAIL_EDITORS (unset: undefined). */
  | { kind: "not_an_editor"; editors: ReportPosters | undefined }
  /** The chat platform could not say who is in a group; `ref` is in the log line. */
  | { kind: "membership_unknown"; groupId: string; ref: string };

export type EditPermission = { allowed: true } | { allowed: false; refusal: EditRefusal };

/** Open incidents whose commanders are read; far more than are ever open at once. */
const OPEN_INCIDENTS_READ = 100;

/**
 * Who may change the e-mail lists (`/incident subscribers add|remove`; listing is open to all): the commander
 * of an open incident (not a drill), who must reach stakeholders now, and the people and user groups in
 * EMAIL_EDITORS, who keep the lists between incidents. Groups are asked the way REPORT_POSTERS' are: when
 * one cannot be checked and the person is allowed by nothing else, the answer is no, with the reason.
 */
export async function mayEditSubscribers(
  ctx: AppContext,
  workspaceId: string,
  userId: string,
): Promise<EditPermission> {
  const editors = ctx.config.email.editors;
  if (editors?.userIds.includes(userId)) return { allowed: true };
  const open = await listOpenIncidents(ctx.store.models, workspaceId, {
    limit: OPEN_INCIDENTS_READ,
    skip: 0,
  });
  if (open.some((incident) => !incident.drill && incident.roles.commander === userId))
    return { allowed: true };
  const groups = await memberOfAnyGroup(
    ctx,
    userId,
    editors?.groupIds ?? [],
    "who may change e-mail subscribers",
  );
  if (groups.member) return { allowed: true };
  if (groups.unchecked)
    return { allowed: false, refusal: { kind: "membership_unknown", ...groups.unchecked } };
  return { allowed: false, refusal: { kind: "not_an_editor", editors } };
}
