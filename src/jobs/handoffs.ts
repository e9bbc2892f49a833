import type { WebClient } from "@slack/web-api";
import { onCallAt, shiftAt } from "../domain/schedule.ts";
import type { SlackDeps } from "../slack/deps.ts";
import { slackErrorCode } from "../slack/incidents/flow-context.ts";
import { coveredUser, handoffAnnouncementMessage } from "../slack/views/oncall.ts";
import { listAllSchedules, markHandoffAnnounced, releaseHandoffAnnouncement } from "../store/schedules.ts";
import type { DueJob } from "./poller.ts";

/** A hand-off older than this is not announced any more (the process was down when it happened). */
export const HANDOFF_ANNOUNCE_WINDOW_MS = 60 * 60_000;

/** Slack errors that retrying will not fix: the announcement is dropped (and logged) instead of retried. */
const PERMANENT = new Set(["channel_not_found", "not_in_channel", "is_archived", "restricted_action"]);

/**
 * Posts "Hand-off for Primary: @bob is now on call until …, taking over from @alice" to `channelId` once
 * per schedule and shift, when the clock has passed the hand-off by less than an hour. The database holds
 * the schedules, so a restart loses nothing; `markHandoffAnnounced` (a claim) makes several processes,
 * or several passes, announce once. A schedule created in the middle of a shift has no hand-off to
 * announce for that shift. A failed post gives the claim back, so the next pass tries again.
 */
export function handoffAnnouncementsJob(
  deps: Pick<SlackDeps, "store" | "logger">,
  client: WebClient,
  channelId: string,
): DueJob {
  const { models } = deps.store;
  return {
    name: "announce on-call hand-offs",
    runDue: async (now) => {
      let announced = 0;
      for (const schedule of await listAllSchedules(models)) {
        const { start } = shiftAt(schedule, now);
        const age = now.getTime() - start.getTime();
        if (age < 0 || age > HANDOFF_ANNOUNCE_WINDOW_MS) continue;
        if (start.getTime() < schedule.startsAt.getTime()) continue;
        if (!(await markHandoffAnnounced(models, schedule.id, start))) continue;
        const current = onCallAt(schedule, start);
        const first = start.getTime() === schedule.startsAt.getTime();
        const message = handoffAnnouncementMessage(schedule, {
          userId: current.userId,
          until: current.until,
          ...(!first && { previousUserId: onCallAt(schedule, new Date(start.getTime() - 1)).userId }),
          ...(coveredUser(current) && { coversUserId: coveredUser(current) }),
        });
        try {
          await client.chat.postMessage({ channel: channelId, ...message });
          announced += 1;
        } catch (error) {
          const code = slackErrorCode(error);
          const log = { schedule: schedule.id, channel: channelId, error: code };
          if (PERMANENT.has(code)) {
            deps.logger.warn(log, "could not announce the on-call hand-off; not retrying");
          } else {
            await releaseHandoffAnnouncement(models, schedule.id, start);
            deps.logger.warn(log, "could not announce the on-call hand-off; will retry");
          }
        }
      }
      return announced;
    },
  };
}
