import { peopleFor } from "../alerts/paging.ts";
import type { AppContext } from "../context.ts";
import { APPROVAL_MATRIX, type ApproverRole, type ChangeRequest } from "../domain/change.ts";
import type { SendFailure } from "../send-outcome.ts";

/**
 * Who holds an approval role, from CHANGE_APPROVERS: people as listed, user groups by their members, and
 * on-call schedules by whoever is on call at the moment asked (the on-call engineer of an emergency).
 */

export type RolePeople = { ok: true; people: string[] } | { ok: false; failure: SendFailure };

export async function peopleInRole(ctx: AppContext, role: ApproverRole, at: Date): Promise<RolePeople> {
  const targets = ctx.config.changes.approvers?.[role] ?? [];
  const found = await peopleFor(ctx, targets, at);
  return found.ok ? { ok: true, people: found.people } : found;
}

export type HeldRoles = { ok: true; roles: ApproverRole[] } | { ok: false; failure: SendFailure };

/** The change's required roles this person holds now. */
export async function rolesHeldBy(
  ctx: AppContext,
  change: Pick<ChangeRequest, "type">,
  userId: string,
  at: Date,
): Promise<HeldRoles> {
  const roles: ApproverRole[] = [];
  for (const role of APPROVAL_MATRIX[change.type].required) {
    const holders = await peopleInRole(ctx, role, at);
    if (!holders.ok) return holders;
    if (holders.people.includes(userId)) roles.push(role);
  }
  return { ok: true, roles };
}
