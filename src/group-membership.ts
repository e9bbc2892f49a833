import type { AppContext } from "./context.ts";
import { newReference } from "./reference.ts";

/** A group whose members the chat platform could not list; `ref` is in the log line with the detail. */
export interface UncheckedGroup {
  groupId: string;
  ref: string;
}

export type GroupMembership = { member: true } | { member: false; unchecked?: UncheckedGroup };

/**
 * Whether a person is in any of these user groups. A group that cannot be listed is logged (with `purpose`
 * saying what was being checked) and reported as unchecked, and the others are still asked: one failing
 * group must not refuse someone another group allows.
 */
export async function memberOfAnyGroup(
  ctx: AppContext,
  userId: string,
  groupIds: readonly string[],
  purpose: string,
): Promise<GroupMembership> {
  let unchecked: UncheckedGroup | undefined;
  for (const groupId of groupIds) {
    const members = await ctx.notifier.userGroupMembers(groupId);
    if (members.status === "done") {
      if (members.value.includes(userId)) return { member: true };
    } else if (!unchecked) {
      const ref = newReference();
      ctx.logger.warn({ ref, groupId, error: members.code }, `could not check ${purpose}`);
      unchecked = { groupId, ref };
    }
  }
  return unchecked ? { member: false, unchecked } : { member: false };
}
