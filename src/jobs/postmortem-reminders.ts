import type { AppContext } from "../context.ts";
import { queueDueReminders } from "../postmortems/reminders.ts";
import type { DueJob } from "./poller.ts";

/**
 * Queues the reminders of postmortems coming due or overdue and of overdue follow-ups, from the due times
 * on their live-set entries; the delivery job sends them (src/postmortems/reminders.ts).
 */
export function postmortemRemindersJob(ctx: AppContext): DueJob {
  return { name: "remind postmortem and follow-up owners", runDue: (now) => queueDueReminders(ctx, now) };
}
