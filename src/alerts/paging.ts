import type { AppContext } from "../context.ts";
import type { PageTarget } from "../domain/alert.ts";
import type { Alert } from "../store/alerts.ts";

/** The people behind a step's targets: users as given, user groups by their members, schedules by who is on call. */
async function peopleFor(ctx: AppContext, targets: readonly PageTarget[], at: Date) {
  const people = new Set<string>();
  const unresolved: PageTarget[] = [];
  for (const target of targets) {
    if (target.kind === "user") people.add(target.userId);
    else if (target.kind === "usergroup") {
      const members = await ctx.notifier.userGroupMembers(target.groupId);
      if (members.status === "done" && members.value.length > 0)
        for (const id of members.value) people.add(id);
      else unresolved.push(target);
    } else {
      const onCall = await ctx.onCall(target.scheduleName, at);
      if (onCall) people.add(onCall);
      else unresolved.push(target);
    }
  }
  return { people: [...people], unresolved };
}

/**
 * Pages a step: one line in the alert's thread naming whom (so the channel sees the escalation without a
 * new message in the channel itself) and a direct message to each person with the alert's buttons.
 * Returns the user ids paged. Slack failures are logged; the step still counts as fired.
 */
export async function pageStep(
  ctx: AppContext,
  alert: Alert,
  step: { level: string; targets: readonly PageTarget[]; lateMinutes?: number | undefined },
): Promise<string[]> {
  const { people, unresolved } = await peopleFor(ctx, step.targets, ctx.clock.now());
  const thread = alert.message ?? alert.thread;
  if (thread) {
    const line = {
      kind: "paging",
      level: step.level,
      people,
      unresolved,
      lateMinutes: step.lateMinutes,
    } as const;
    const posted = await ctx.notifier.post(thread.channelId, line, { thread });
    if (posted.status !== "done")
      ctx.logger.warn({ alert: alert.id, error: posted.code }, "could not post the page in the thread");
  }
  await Promise.all(
    people.map(async (userId) => {
      const sent = await ctx.notifier.sendDirect(userId, { kind: "page", alert, level: step.level });
      if (sent.status !== "done")
        ctx.logger.warn({ alert: alert.id, userId, error: sent.code }, "could not DM a page");
    }),
  );
  return people;
}
