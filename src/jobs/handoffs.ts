import type { AppContext } from "../context.ts";
import { coveredUser, onCallAt, shiftAt } from "../domain/schedule.ts";
import { isRetryable } from "../send-outcome.ts";
import { listAllSchedules, markHandoffAnnounced, releaseHandoffAnnouncement } from "../store/schedules.ts";
import type { DueJob } from "./poller.ts";

/** A hand-off older than this is not announced any more (the process was down when it happened). */
export const HANDOFF_ANNOUNCE_WINDOW_MS = 60 * 60_000;

/**
 * Posts "Hand-off for Primary: @bob is now on call until …, taking over from @alice" to `channelId` once
 * per schedule and shift, when the clock has passed the hand-off by less than an hour. The database holds
 * the schedules, so a restart loses nothing; `markHandoffAnnounced` (a claim) makes several processes,
 * or several passes, announce once. A schedule created in the middle of a shift has no hand-off to
 * announce for that shift. A failed post gives the claim back, so the next pass tries again.
 */
export function handoffAnnouncementsJob(
  deps: Pick<AppContext, "store" | "logger" | "notifier">,
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
        const handoff = {
          userId: current.userId,
          until: current.until,
          ...(!first && { previousUserId: onCallAt(schedule, new Date(start.getTime() - 1)).userId }),
          ...(coveredUser(current) && { coversUserId: coveredUser(current) }),
        };
        const posted = await deps.notifier.post(channelId, { kind: "handoff", schedule, handoff });
        if (posted.status === "done") {
          announced += 1;
          continue;
        }
        const log = { schedule: schedule.id, channel: channelId, error: posted.code };
        if (isRetryable(posted)) {
          await releaseHandoffAnnouncement(models, schedule.id, start);
          deps.logger.warn(log, "could not announce the on-call hand-off; will retry");
        } else {
          deps.logger.warn(log, "could not announce the on-call hand-off; not retrying");
        }
      }
      return announced;
    },
  };
}
