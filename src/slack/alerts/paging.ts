import type { PageTarget } from "../../domain/alert.ts";
import { describeTarget } from "../../domain/escalation.ts";
import type { Alert } from "../../store/alerts.ts";
import { slackErrorCode } from "../incidents/flow-context.ts";
import { pageMessage } from "../views/alert-message.ts";
import type { AlertContext } from "./alert-context.ts";

/** The people behind a step's targets: users as given, user groups by their members, schedules by who is on call. */
async function peopleFor(ctx: AlertContext, targets: readonly PageTarget[], at: Date) {
  const people = new Set<string>();
  const unresolved: string[] = [];
  for (const target of targets) {
    if (target.kind === "user") people.add(target.userId);
    else if (target.kind === "usergroup") {
      const members = await ctx.client.usergroups.users
        .list({ usergroup: target.groupId })
        .catch(() => undefined);
      if (members?.users?.length) for (const id of members.users) people.add(id);
      else unresolved.push(describeTarget(target));
    } else {
      const onCall = await ctx.onCall(target.scheduleName, at);
      if (onCall) people.add(onCall);
      else unresolved.push(`schedule "${target.scheduleName}" (nobody on call, or no such schedule)`);
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
  ctx: AlertContext,
  alert: Alert,
  step: { level: string; targets: readonly PageTarget[]; note?: string },
): Promise<string[]> {
  const now = ctx.clock.now();
  const { people, unresolved } = await peopleFor(ctx, step.targets, now);
  const thread = alert.message ?? alert.thread;
  const channelId = thread?.channelId;
  if (channelId && thread) {
    const who = people.map((id) => `<@${id}>`).join(", ") || "nobody";
    const missing = unresolved.length > 0 ? ` Could not page ${unresolved.join(", ")}.` : "";
    await ctx.client.chat
      .postMessage({
        channel: channelId,
        thread_ts: thread.ts,
        text: `:rotating_light: Paging ${who} (${step.level}).${step.note ? ` ${step.note}` : ""}${missing}`,
      })
      .catch((error) =>
        ctx.logger.warn(
          { alert: alert.id, error: slackErrorCode(error) },
          "could not post the page in the thread",
        ),
      );
  }
  await Promise.all(
    people.map((userId) =>
      ctx.client.chat
        .postMessage({ channel: userId, ...pageMessage(alert, step.level, channelId) })
        .catch((error) =>
          ctx.logger.warn({ alert: alert.id, userId, error: slackErrorCode(error) }, "could not DM a page"),
        ),
    ),
  );
  return people;
}
