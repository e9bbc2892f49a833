import { fireDueSteps } from "../alerts/escalation-steps.ts";
import type { AppContext } from "../context.ts";
import { findDueEscalations } from "../store/alerts.ts";
import type { DueJob } from "./poller.ts";

/** Due steps taken per round: one scan of the armed set finds them (it costs what is armed, not what is due). */
const BATCH = 500;
const MAX_ROUNDS = 20;

/** The poller's job: every due step of every open alert, a batch at a time. */
export function escalationJob(ctx: AppContext): DueJob {
  return {
    name: "escalate unacknowledged alerts",
    runDue: async (now) => {
      // Several steps may be overdue after downtime: fire them in order, each once, in this pass.
      let fired = 0;
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const due = await findDueEscalations(ctx.store.models, now, BATCH);
        if (due.length === 0) break;
        const stepped = await fireDueSteps(ctx, due);
        fired += stepped.length;
        // Whatever is left is held by another process: it is theirs to fire.
        if (stepped.length === 0) break;
        // Another scan only when this round may have left due steps behind: a full batch, or a step whose
        // next one is already due (the bot was down past both).
        const nextAlsoDue = stepped.some((alert) => alert.nextDueAt !== undefined && alert.nextDueAt <= now);
        if (due.length < BATCH && !nextAlsoDue) break;
      }
      return fired;
    },
  };
}
