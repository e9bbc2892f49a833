import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { Types } from "mongoose";
import type { Alert } from "../src/store/alerts.ts";
import type { Models } from "../src/store/store.ts";
import { type ChildApp, cpuMs, databasePid } from "./processes.ts";
import { ms, type Row } from "./report.ts";
import { percentile } from "./stats.ts";

/**
 * Escalation precision on the real clock: N open alerts whose next step (L2) falls due spread evenly over
 * 60 s, armed in due order ahead of their time as the timer reads them (the alert and its timer entry,
 * bulk-inserted: the intake's pointers and report roll-ups play no part in firing),
 * while the built app runs its poller in its own process. Lateness is the step's recorded firing time
 * minus its due time; every step must be recorded exactly once (one `fired` entry, one slot claim).
 */

const SPREAD_MS = 60_000;
/**
 * The first step falls due this long after arming starts; arming (in due order) runs ahead of the due
 * times as long as it stores more than N / (LEAD + SPREAD) alerts a second. Any armed after its due time
 * is counted in the results (`armedAfterDue`).
 */
const LEAD_MS = 20_000;
/** How long after the last due time the bench waits for stragglers before it counts what fired. */
const GRACE_MS = 90_000;
const CHUNK = 500;
const TARGET_P99_MS = 2_000;
const L1 = "U0BENCHL1";
const L2 = "U0BENCHL2";

export const DEFAULT_TIMERS = 10_000;

const POLICY: Alert["policy"] = {
  id: "bench",
  name: "bench",
  levels: [
    { afterMinutes: 0, targets: [{ kind: "user", userId: L1 }] },
    { afterMinutes: 15, targets: [{ kind: "user", userId: L2 }] },
  ],
  repeat: 0,
  repeatAfterMinutes: 0,
};

function armedAlert(index: number, dueAt: Date): Omit<Alert, "id"> {
  const firstFiredAt = new Date(dueAt.getTime() - 15 * 60_000);
  return {
    source: "generic",
    fingerprint: `bench-timer-${index}`,
    state: "open",
    title: `Bench timer ${index}`,
    severity: "critical",
    service: "checkout",
    description: "",
    links: [],
    labels: [],
    annotations: [],
    firstFiredAt,
    lastFiredAt: firstFiredAt,
    fireCount: 1,
    paging: true,
    policy: POLICY,
    nextStep: 1,
    nextDueAt: dueAt,
    fired: [{ step: 0, at: firstFiredAt, paged: [L1] }],
  };
}

export interface EscalationSetup {
  /** The app's process, polling the database `models` reads. */
  app: ChildApp;
  /** The database's address, to find its process (CPU per step) when it runs on this machine. */
  mongodbUri: string;
  models: Models;
  timers: number;
}

/** How the timers fired, in words, for the notes under the table. */
export function escalationNote(row: Row): string {
  const d = row.data as {
    timers: number;
    fired: number;
    firedMoreThanOnce: number;
    slotClaims: number;
    deliveriesPending: number;
    cpuPerStepUs: { app: number | null; database: number | null };
  };
  const armed = row.data.armedAfterDue as number;
  return (
    `escalation: ${d.fired} of ${d.timers} steps fired by the end of the grace period, ` +
    `${d.firedMoreThanOnce} more than once, ${d.slotClaims} slot claims taken; ` +
    `${d.deliveriesPending} queued Slack deliveries (pages, thread lines, refreshes) still pending at the end; ` +
    `CPU per step, first due time to last fired: app ${d.cpuPerStepUs.app ?? "?"} µs, database ${d.cpuPerStepUs.database ?? "?"} µs` +
    (armed > 0 ? `; ${armed} timers were armed after their due time (arming fell behind)` : "")
  );
}

export async function measureEscalationPrecision(setup: EscalationSetup): Promise<Row[]> {
  const { models, timers } = setup;
  const start = Date.now() + LEAD_MS;
  const dueOf = (i: number) => new Date(start + Math.floor((i * SPREAD_MS) / timers));
  const due = new Map<string, number>();
  let armedLate = 0;
  const armStarted = performance.now();
  for (let first = 0; first < timers; first += CHUNK) {
    const indexes = Array.from({ length: Math.min(CHUNK, timers - first) }, (_, k) => first + k);
    const docs = indexes.map((i) => ({ ...armedAlert(i, dueOf(i)), _id: new Types.ObjectId() }));
    await models.alerts.insertMany(docs, { ordered: false, lean: true });
    await models.armedAlerts.insertMany(
      docs.map((doc) => ({ _id: doc._id.toString(), dueAt: doc.nextDueAt })),
      { ordered: false, lean: true },
    );
    const ids = docs.map((doc) => doc._id.toString());
    const armedAt = Date.now();
    ids.forEach((id, k) => {
      const dueAt = dueOf(indexes[k] ?? 0).getTime();
      due.set(id, dueAt);
      if (armedAt > dueAt) armedLate++;
    });
  }
  const armSeconds = (performance.now() - armStarted) / 1000;

  const lastDue = start + SPREAD_MS;
  // Progress is watched by `_id` on the timer due last (the job fires soonest first), and counted (a scan of
  // every alert, ~0.5 s of database CPU at 10,000) only once that one has fired: a count every 2 s while the
  // timers fell due took that much from the app being measured.
  let lastId = "";
  for (const [id, dueAt] of due) if (dueAt >= (due.get(lastId) ?? 0)) lastId = id;
  const lastFired = async () =>
    ((await models.alerts.findById(lastId, { nextStep: 1 }).lean())?.nextStep ?? 0) >= 2;
  const allFired = async () => (await models.alerts.countDocuments({ nextStep: { $gte: 2 } })) >= timers;
  // CPU the app and the database spend per step, from the first due time until the last step fired: a
  // figure that holds on a busy machine, where the lateness does not.
  await sleep(Math.max(0, start - Date.now()));
  const dbPid = databasePid(setup.mongodbUri);
  const cpu = () => ({ app: cpuMs(setup.app.pid), db: dbPid === undefined ? undefined : cpuMs(dbPid) });
  const cpuBefore = cpu();
  let cpuAfter = cpuBefore;
  await sleep(Math.max(0, lastDue - Date.now()));
  while (Date.now() < lastDue + GRACE_MS) {
    const last = await lastFired();
    cpuAfter = cpu();
    if (last && (await allFired())) break;
    await sleep(1_000);
  }
  const perStepUs = (before?: number, after?: number) =>
    before === undefined || after === undefined ? null : Math.round(((after - before) * 1000) / timers);
  // Stop the app before counting, so nothing fires while the figures are read.
  await setup.app.stop();

  const lateness: number[] = [];
  let once = 0;
  let twice = 0;
  for (const alert of await models.alerts.find({}, { fired: 1 }).lean()) {
    const dueAt = due.get(String(alert._id));
    if (dueAt === undefined) continue;
    const steps = alert.fired.filter((f) => f.step === 1);
    if (steps.length === 1) once++;
    if (steps.length > 1) twice++;
    const first = steps[0];
    if (first) lateness.push(new Date(first.at).getTime() - dueAt);
  }
  const claims = await models.claims.countDocuments({ _id: { $regex: /^alert-step:.*:1$/ } });
  // The delivery job's pass scans what is pending: a backlog there costs the database the app fires from.
  const deliveriesPending = await models.deliveries.countDocuments();
  lateness.sort((a, b) => a - b);
  const notFired = timers - lateness.length;
  // A step still unfired at the end is later than any that fired: it ranks last in the percentiles.
  const ranked = [...lateness, ...Array.from({ length: notFired }, () => Number.POSITIVE_INFINITY)];
  const median = percentile(ranked, 50);
  const p99 = percentile(ranked, 99);
  const late = (value: number) => (Number.isFinite(value) ? ms(value) : `> ${GRACE_MS / 1000} s`);
  const exactlyOnce = once === timers && twice === 0 && claims === timers;
  return [
    {
      benchmark: `escalation: ${timers.toLocaleString("en")} timers due over ${SPREAD_MS / 1000} s (real clock), lateness`,
      median: late(median),
      p99: late(p99),
      floor: "0 ms (due time)",
      ratio: `max ${late(ranked.at(-1) ?? Number.NaN)}`,
      target: `p99 ≤ ${TARGET_P99_MS / 1000} s, each fired once`,
      met: p99 <= TARGET_P99_MS && exactlyOnce,
      data: {
        timers,
        fired: lateness.length,
        notFiredWithinGrace: notFired,
        firedOnce: once,
        firedMoreThanOnce: twice,
        slotClaims: claims,
        deliveriesPending,
        armSeconds,
        armedAfterDue: armedLate,
        cpuPerStepUs: {
          app: perStepUs(cpuBefore.app, cpuAfter.app),
          database: perStepUs(cpuBefore.db, cpuAfter.db),
        },
        // Over every timer, the unfired ranking last: null when the percentile falls on an unfired one.
        latenessMs: {
          p50: Number.isFinite(median) ? median : null,
          p99: Number.isFinite(p99) ? p99 : null,
          maxOfFired: lateness.at(-1) ?? null,
        },
        clock: "real",
      },
    },
  ];
}
