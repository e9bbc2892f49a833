import type { AppContext } from "../context.ts";
import { runDueMaintenance } from "../maintenance/steps.ts";
import type { DueJob } from "./poller.ts";

/**
 * Reminds, starts, ends and expires maintenance windows from the due times on their live-set entries;
 * their announcements are queued for the delivery job (src/maintenance/steps.ts).
 */
export function maintenanceJob(ctx: AppContext): DueJob {
  return { name: "remind, start and end maintenance windows", runDue: (now) => runDueMaintenance(ctx, now) };
}
