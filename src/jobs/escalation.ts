import { fireDueSteps } from "../alerts/escalation-steps.ts";
import type { AppContext } from "../context.ts";
import { type Alert, readDueAlerts } from "../store/alerts.ts";
import { type ArmedTimer, findDueTimers, onArmed } from "../store/armed-alerts.ts";
import { mapLimited } from "../store/parallel.ts";
import type { DueJob } from "./poller.ts";
import { UpcomingTimers } from "./upcoming-timers.ts";

/** Due steps taken per round. */
const BATCH = 500;
const MAX_ROUNDS = 20;
/** Due alerts read and fired together, and how many such chunks are in flight: some read while others write. */
const CHUNK = 64;
const CHUNKS_IN_FLIGHT = 4;

/** The poller's job: every due step of every open alert, a batch at a time. */
export function escalationJob(ctx: AppContext): DueJob {
  const { models } = ctx.store;
  const timers = new UpcomingTimers((until, limit) => findDueTimers(models, until, limit));
  onArmed(models, (timer) => timers.heard(timer));
  return {
    name: "escalate unacknowledged alerts",
    // The pages it queues go to the delivery job: a Slack backlog there must not make the next step late.
    // Twice a second: a pass with nothing due costs nothing (the timers due soon are in memory), and a
    // step's lateness is the wait for a pass plus the pass's work, both halved.
    ownLoopMs: 500,
    runDue: async (now) => {
      // Several steps may be overdue after downtime: fire them in order, each once, in this pass.
      let fired = 0;
      const unfired: ArmedTimer[] = [];
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const due = await timers.takeDue(now, BATCH);
        if (due.length === 0) break;
        const stepped = await fireInChunks(ctx, due, now);
        fired += stepped.fired.length;
        unfired.push(...stepped.unfired);
        // Whatever is left is held by another process: it is theirs to fire.
        if (stepped.fired.length === 0) break;
        // Another round only when this one may have left due steps behind: a full batch, or a step whose
        // next one is already due (the bot was down past both; its re-arm was heard).
        const nextAlsoDue = stepped.fired.some(
          (alert) => alert.nextDueAt !== undefined && alert.nextDueAt <= now,
        );
        if (due.length < BATCH && !nextAlsoDue) break;
      }
      timers.putBack(unfired);
      return fired;
    },
  };
}

/**
 * Fires the due steps of `ids` a chunk at a time, a few chunks in flight: while one chunk's alerts are read
 * (`_id` lookups), another's steps are written, so on FerretDB (SQLite) the reads run beside the writes
 * instead of waiting for them. Each alert is in one chunk only, so no read races a write of the same alert.
 * Returns the alerts whose step fired, and the timers of those still due whose step did not.
 */
async function fireInChunks(
  ctx: AppContext,
  ids: readonly string[],
  now: Date,
): Promise<{ fired: Alert[]; unfired: ArmedTimer[] }> {
  const chunks = Array.from({ length: Math.ceil(ids.length / CHUNK) }, (_, i) =>
    ids.slice(i * CHUNK, (i + 1) * CHUNK),
  );
  const results = await mapLimited(chunks, CHUNKS_IN_FLIGHT, async (chunk) => {
    const due = await readDueAlerts(ctx.store.models, chunk, now);
    const fired = await fireDueSteps(ctx, due);
    const firedIds = new Set(fired.map((alert) => alert.id));
    const unfired = due.flatMap((alert) =>
      !firedIds.has(alert.id) && alert.nextDueAt ? [{ id: alert.id, dueAt: alert.nextDueAt }] : [],
    );
    return { fired, unfired };
  });
  return { fired: results.flatMap((r) => r.fired), unfired: results.flatMap((r) => r.unfired) };
}
