import type { AppContext } from "../context.ts";
import { incidentChannelName } from "../domain/channel-name.ts";
import type { Incident } from "../domain/incident.ts";
import type { SendFailure, SendOutcome } from "../send-outcome.ts";

const MAX_NAME_ATTEMPTS = 20;

/**
 * Creates the incident's channel, named from the configured template. Slack reserves names of archived
 * channels too, so when a name is taken the next suffix (-2, -3, …) is tried.
 */
export async function createIncidentChannel(
  ctx: AppContext,
  incident: Incident,
): Promise<SendOutcome<{ channelId: string; channelName: string }>> {
  const input = {
    number: incident.number,
    title: incident.title,
    declaredAt: incident.declaredAt,
    severity: incident.severity,
    drill: incident.drill === true,
  };
  for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
    const name = incidentChannelName(ctx.config.incidents.channelNameTemplate, input, attempt);
    const created = await ctx.notifier.createChannel(name, { isPrivate: incident.isPrivate });
    if (created.status !== "done") return created;
    if (created.value !== "taken") return { status: "done", value: created.value };
  }
  return { status: "refused", code: `every name tried was taken (${MAX_NAME_ATTEMPTS} attempts)` };
}

/**
 * Invites users one call each, so one bad user (deactivated, already there) does not keep the others out,
 * as a single multi-user invite would. Returns the failures by user.
 */
export async function inviteToChannel(
  ctx: AppContext,
  channelId: string,
  userIds: readonly string[],
): Promise<{ invited: string[]; failed: { userId: string; failure: SendFailure }[] }> {
  const results = await Promise.all(
    [...new Set(userIds)].map(async (userId) => ({
      userId,
      outcome: await ctx.notifier.invite(channelId, userId),
    })),
  );
  return {
    invited: results.filter((r) => r.outcome.status === "done").map((r) => r.userId),
    failed: results.flatMap((r) =>
      r.outcome.status === "done" ? [] : [{ userId: r.userId, failure: r.outcome }],
    ),
  };
}
