import { fireNextStep } from "../alerts/escalation-steps.ts";
import type { AppContext } from "../context.ts";
import { findDueEscalations } from "../store/alerts.ts";
import type { DueJob } from "./poller.ts";

const BATCH = 100;
const CONCURRENCY = 8;

/** The poller's job: every due step of every open alert, a few at a time. */
export function escalationJob(ctx: AppContext): DueJob {
  return {
    name: "escalate unacknowledged alerts",
    runDue: async (now) => {
      // Several steps may be overdue after downtime: fire them in order, each once, in this pass.
      let fired = 0;
      for (let round = 0; round < 20; round++) {
        const due = await findDueEscalations(ctx.store.models, now, BATCH);
        if (due.length === 0) break;
        let firedThisRound = 0;
        for (let i = 0; i < due.length; i += CONCURRENCY) {
          const outcomes = await Promise.all(
            due.slice(i, i + CONCURRENCY).map((alert) => fireNextStep(ctx, alert)),
          );
          firedThisRound += outcomes.filter((o) => o.fired).length;
        }
        fired += firedThisRound;
        // Whatever is left is held by another process: it is theirs to fire.
        if (firedThisRound === 0) break;
      }
      return fired;
    },
  };
}
