import { fireDueSteps } from "../alerts/escalation-steps.ts";
import type { AppContext } from "../context.ts";
import { type Alert, findDueTimers, readDueAlerts } from "../store/alerts.ts";
import { mapLimited } from "../store/parallel.ts";
import type { DueJob } from "./poller.ts";

/** Due steps taken per round: one scan of the armed set finds them (it costs what is armed, not what is due). */
const BATCH = 500;
const MAX_ROUNDS = 20;
/** Due alerts read and fired together, and how many such chunks are in flight: some read while others write. */
const CHUNK = 64;
const CHUNKS_IN_FLIGHT = 4;

/** The poller's job: every due step of every open alert, a batch at a time. */
export function escalationJob(ctx: AppContext): DueJob {
  return {
    name: "escalate unacknowledged alerts",
    // The pages it queues go to the delivery job: a Slack backlog there must not make the next step late.
    ownLoop: true,
    runDue: async (now) => {
      // Several steps may be overdue after downtime: fire them in order, each once, in this pass.
      let fired = 0;
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const due = await findDueTimers(ctx.store.models, now, BATCH);
        if (due.length === 0) break;
        const stepped = await fireInChunks(ctx, due, now);
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

/**
 * Fires the due steps of `ids` a chunk at a time, a few chunks in flight: while one chunk's alerts are read
 * (`_id` lookups), another's steps are written, so on FerretDB (SQLite) the reads run beside the writes
 * instead of waiting for them. Each alert is in one chunk only, so no read races a write of the same alert.
 */
async function fireInChunks(ctx: AppContext, ids: readonly string[], now: Date): Promise<Alert[]> {
  const chunks = Array.from({ length: Math.ceil(ids.length / CHUNK) }, (_, i) =>
    ids.slice(i * CHUNK, (i + 1) * CHUNK),
  );
  const fired = await mapLimited(chunks, CHUNKS_IN_FLIGHT, async (chunk) =>
    fireDueSteps(ctx, await readDueAlerts(ctx.store.models, chunk, now)),
  );
  return fired.flat();
}
