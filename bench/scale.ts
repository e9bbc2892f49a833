import { mkdir, writeFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { systemClock } from "../src/domain/clock.ts";
import type { ReportKind } from "../src/domain/report.ts";
import { buildHome } from "../src/home/home.ts";
import { onCallLookup } from "../src/oncall/lookup.ts";
import { buildReportFor } from "../src/reports/build.ts";
import { drawChartFor } from "../src/reports/chart.ts";
import { homeView } from "../src/slack/views/home.ts";
import { reportMessage } from "../src/slack/views/report.ts";
import { importAlerts } from "../src/store/alert-import.ts";
import type { Alert } from "../src/store/alerts.ts";
import { writeHead } from "../src/store/counters.ts";
import { getIncidentByChannel, type ImportedIncident, importIncidents } from "../src/store/incidents.ts";
import { countOpenIncidents, listOpenIncidents } from "../src/store/live-incident-queries.ts";
import type { Models } from "../src/store/store.ts";
import { importTimeline, listEvents } from "../src/store/timeline.ts";
import { TEAM } from "../test/support/slack-driver.ts";
import { ALERT_ENV, ALERTS_CHANNEL, seedAlertWorkspace } from "./alerts.ts";
import { type BenchApp, type Cleanup, startBenchApp } from "./harness.ts";
import { LoadGenerator } from "./load-generator.ts";
import { cpuMs, databasePid } from "./processes.ts";
import { percentile, timeConcurrently } from "./stats.ts";

/**
 * `npm run bench -- --scale [--factor=0.1]`: the store's hot paths on an empty database, then on a year of a
 * busy team's data (100,000 alerts, 10,000 incidents, 1,000,000 timeline events, times the factor), bulk
 * inserted in the shapes the store writes (lookups and live sets included). Each figure should stay within
 * 1.5× of its empty-database value. Prints a table and writes it to bench/results/scale.md.
 */

const FULL = { alerts: 100_000, incidents: 10_000, eventsPerIncident: 100 };
const OPEN_INCIDENTS = 20;
const OPEN_ALERTS = 100;
const BATCH = 5_000;
/**
 * Alerts a run: about 2.5 s each, so a run takes in several of the poller's passes (one a second) and of
 * the queue's scans (every 5 s); a run of one second caught one pass or none, and its figure swung with that.
 */
const INTAKE = { alerts: 500, concurrency: 5 };
const SLOW_INTAKE = { alerts: 250, concurrency: 5, latencyMs: 500 };
/** Alerts sent before each phase's intake is timed: the JIT takes about this many to reach its steady pace. */
const WARM_UP = 1_500;
/** Alerts sent once the poller is working, before its runs are timed: its paths reach their pace too. */
const POLLER_WARM_UP = 1_000;
const LOOKUPS = 100;
/** Each figure is the median of this many runs of its measurement, so one noisy run does not decide. */
const RUNS = 3;
const PAGE = 25;
const LIST_PAGE = 10;

/** Each measurement's runs (RUNS of them); the table shows the median of each figure over them. */
interface Figures {
  /** The webhook alone: the poller paused, as when background work runs behind or in another process. */
  intakeAlone: Intake[];
  intakeNew: Intake[];
  intakeRepeat: Intake[];
  intakeSlow: Intake[];
  byChannel: number[][];
  timelinePage: number[][];
  list: number[][];
  daily: ReportCost;
  weekly: ReportCost;
}

/** Drawing the report chart: 30 days of roll-ups read, the figures worked out, the PNG rendered. */
interface ChartCost {
  latencies: number[];
  pngBytes: number;
}

/** Building a report (roll-ups, live set, on-call, Block Kit), one after another. */
interface ReportCost {
  latencies: number[];
  /** The most the JS heap grew above where it stood before the builds, in MB (sampled every 2 ms). */
  peakHeapMb: number;
}

const REPORT_BUILDS = 20;
const BUSY = { workspaceId: "TBUSY", incidents: 1_000, eventsPerIncident: 10, open: 100 };

interface HomeCost {
  latencies: number[];
  blocks: number;
}

function busyLine(
  busy: Record<"daily" | "weekly", ReportCost> & { chart: ChartCost; home: HomeCost },
): string {
  const p = (cost: { latencies: number[] }, q: number) => ms(percentile(cost.latencies, q));
  return (
    `A day with ${BUSY.incidents.toLocaleString("en")} incidents (${BUSY.open} of them open): daily report ` +
    `p50 ${p(busy.daily, 50)}, p99 ${p(busy.daily, 99)}, heap +${busy.daily.peakHeapMb.toFixed(1)} MB; weekly ` +
    `p50 ${p(busy.weekly, 50)}, p99 ${p(busy.weekly, 99)}, heap +${busy.weekly.peakHeapMb.toFixed(1)} MB; ` +
    `their chart drawn p50 ${p(busy.chart, 50)}, p99 ${p(busy.chart, 99)}, PNG ` +
    `${(busy.chart.pngBytes / 1024).toFixed(0)} KB; an App Home built p50 ${p(busy.home, 50)}, p99 ` +
    `${p(busy.home, 99)}, ${busy.home.blocks} blocks.`
  );
}

interface Intake {
  latencies: number[];
  perSecond: number;
  /**
   * CPU per alert over the run, in µs, of this process (the app and the fake Slack) and of the database:
   * figures a busy machine moves far less than alerts/s.
   */
  cpuUs: { app: number; database: number };
}

export async function runScaleBench(cleanup: Cleanup, mongodbUri: string, factor: number): Promise<void> {
  const app = await startBenchApp(cleanup, { mongodbUri, env: ALERT_ENV });
  const databaseProcess = databasePid(mongodbUri);
  seedAlertWorkspace(app.slack);
  // The alerts are sent from a process of its own: its CPU is not the app's.
  const load = LoadGenerator.start(cleanup);
  const models = app.firebreak.store.models;

  const sizes = {
    alerts: Math.round(FULL.alerts * factor),
    incidents: Math.round(FULL.incidents * factor),
    eventsPerIncident: FULL.eventsPerIncident,
  };
  // Both phases read the same workspace and the same open incidents: the seeded one adds history only (the
  // live set is the database's open work, so open incidents added elsewhere would be read by both).
  await seedIncidents(
    models,
    TEAM.id,
    { first: 1, count: OPEN_INCIDENTS, open: OPEN_INCIDENTS },
    FULL.eventsPerIncident,
  );
  console.log("measuring on the empty database…");
  const empty = await measure(app, load, databaseProcess, "empty");
  console.log(phaseLine("empty", empty));

  const t0 = performance.now();
  await seedAlerts(models, sizes.alerts);
  const alertsSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  await seedIncidents(
    models,
    TEAM.id,
    { first: OPEN_INCIDENTS + 1, count: Math.max(0, sizes.incidents - OPEN_INCIDENTS), open: 0 },
    sizes.eventsPerIncident,
  );
  const incidentsSeconds = (performance.now() - t1) / 1000;
  // What was inserted, not a count of the collections: FerretDB counts by scanning (17 s for 32,000 alerts).
  const seeded = {
    alerts: sizes.alerts,
    incidents: sizes.incidents,
    events: sizes.incidents * sizes.eventsPerIncident,
  };
  const seeding =
    `seeded ${seeded.alerts.toLocaleString("en")} alerts in ${alertsSeconds.toFixed(0)} s, ` +
    `${seeded.incidents.toLocaleString("en")} incidents and ${seeded.events.toLocaleString("en")} timeline ` +
    `events in ${incidentsSeconds.toFixed(0)} s`;
  console.log(seeding);
  console.log("measuring on the seeded database…");
  const full = await measure(app, load, databaseProcess, "seeded");
  console.log(phaseLine("seeded", full));
  // A day with 1,000 incidents, whatever the factor: the report stays inside Block Kit's limits and its time.
  await seedIncidents(
    models,
    BUSY.workspaceId,
    { first: 1, count: BUSY.incidents, open: BUSY.open },
    BUSY.eventsPerIncident,
    { from: Date.now() - 24 * 3_600_000, ms: 23 * 3_600_000 },
  );
  const busy = {
    daily: await reportCost(app, BUSY.workspaceId, "daily"),
    weekly: await reportCost(app, BUSY.workspaceId, "weekly"),
    chart: await chartCost(app, BUSY.workspaceId),
    home: await homeCost(app, BUSY.workspaceId),
  };
  console.log(busyLine(busy));
  const table = `${render(empty, full, seeding, factor)}${busyLine(busy)}\n`;
  console.log(table);
  await mkdir(new URL("./results/", import.meta.url), { recursive: true });
  await writeFile(new URL("./results/scale.md", import.meta.url), table);
}

async function measure(
  app: BenchApp,
  load: LoadGenerator,
  databaseProcess: number | undefined,
  phase: string,
): Promise<Figures> {
  const models = app.firebreak.store.models;
  const workspaceId = TEAM.id;
  // "high": posted and paged, but not auto-declared (a critical alert declares an incident, a flow of its own).
  const alert = (i: number) => ({
    title: `Scale ${phase} ${i}`,
    severity: "high",
    service: "checkout",
    fingerprint: `scale-${phase}-${i}`,
  });
  // The webhook alone first; then with the poller at work, as in production: the escalation job paging the
  // new alerts and the delivery job posting to a Slack that answers at once or after 500 ms. Store reads
  // are timed alone.
  const poller = app.firebreak.poller;
  await poller.stop();
  app.slack.setLatency(0);
  const intake = async (count: number, concurrency: number, nth: (i: number) => number): Promise<Intake> => {
    const [app0, db0] = [process.cpuUsage(), cpuMs(databaseProcess ?? -1) ?? Number.NaN];
    const timed = await load.alerts(
      app,
      Array.from({ length: count }, (_, i) => alert(nth(i))),
      concurrency,
    );
    const appUs = process.cpuUsage(app0);
    const dbMs = (cpuMs(databaseProcess ?? -1) ?? Number.NaN) - db0;
    return {
      latencies: timed.latencies,
      perSecond: count / timed.seconds,
      cpuUs: { app: (appUs.user + appUs.system) / count, database: (dbMs * 1000) / count },
    };
  };
  await intake(WARM_UP, INTAKE.concurrency, (i) => -1 - i);
  const intakeAlone = await runs((run) =>
    intake(INTAKE.alerts, INTAKE.concurrency, (i) => 1_000_000 + run * INTAKE.alerts + i),
  );
  // The warm-up's and the webhook-alone alerts would hand the poller a backlog of thousands of due steps
  // and posts: the intake below is timed against the work of its own alerts only.
  await clearBacklog(app);
  poller.start();
  // The poller's own paths (delivery passes, folds, pages) warm up too, as the webhook's did; their work is
  // done before the runs start.
  await intake(POLLER_WARM_UP, INTAKE.concurrency, (i) => 2_000_000 + i);
  await queueEmptied(app);
  // Each run's new alerts, then the same alerts again (repeats), before the next run.
  const intakeNew: Intake[] = [];
  const intakeRepeat: Intake[] = [];
  for (let run = 0; run < RUNS; run++) {
    const mine = (i: number) => run * INTAKE.alerts + i;
    intakeNew.push(await intake(INTAKE.alerts, INTAKE.concurrency, mine));
    intakeRepeat.push(await intake(INTAKE.alerts, INTAKE.concurrency, mine));
  }
  app.slack.setLatency(SLOW_INTAKE.latencyMs);
  const intakeSlow = await runs((run) =>
    intake(
      SLOW_INTAKE.alerts,
      SLOW_INTAKE.concurrency,
      (i) => RUNS * INTAKE.alerts + run * SLOW_INTAKE.alerts + i,
    ),
  );
  app.slack.setLatency(0);
  await poller.stop();
  // What this phase left queued for Slack is not the next phase's work: each phase starts with none.
  await clearBacklog(app);
  // The newest incident of the workspace: its channel and a full timeline.
  const newest = (await listOpenIncidents(models, workspaceId, { skip: 0, limit: 1 }))[0];
  if (!newest?.channelId) throw new Error(`scale bench: no open incident with a channel in ${workspaceId}`);
  const channelId = newest.channelId;
  const byChannel = await runs(() =>
    repeat(LOOKUPS, async () => {
      if (!(await getIncidentByChannel(models, channelId)))
        throw new Error("lookup by channel found nothing");
    }),
  );
  const timelinePage = await runs(() =>
    repeat(LOOKUPS, async () => {
      const { events } = await listEvents(models, newest.id, { skip: 50, limit: PAGE });
      if (events.length !== PAGE) throw new Error(`a timeline page held ${events.length} events`);
    }),
  );
  // What `/incident list` reads: the count and the first page of open incidents.
  const list = await runs(() =>
    repeat(LOOKUPS, async () => {
      await countOpenIncidents(models, workspaceId);
      await listOpenIncidents(models, workspaceId, { skip: 0, limit: LIST_PAGE });
    }),
  );
  const daily = await reportCost(app, workspaceId, "daily");
  const weekly = await reportCost(app, workspaceId, "weekly");
  return { intakeAlone, intakeNew, intakeRepeat, intakeSlow, byChannel, timelinePage, list, daily, weekly };
}

async function chartCost(app: BenchApp, workspaceId: string): Promise<ChartCost> {
  const ctx = { config: app.config, store: app.firebreak.store };
  let pngBytes = 0;
  const latencies = await repeat(REPORT_BUILDS, async () => {
    const chart = await drawChartFor(ctx, { workspaceId, end: new Date() });
    if (!chart) throw new Error("the report chart had nothing to draw");
    pngBytes = chart.png.length;
  });
  return { latencies, pngBytes };
}

/** One person's App Home over the open incidents: built from the live set and `_id` reads, then rendered. */
async function homeCost(app: BenchApp, workspaceId: string): Promise<HomeCost> {
  const { store } = app.firebreak;
  const ctx = { config: app.config, store, clock: systemClock, onCall: onCallLookup(store.models) };
  let blocks = 0;
  const latencies = await repeat(REPORT_BUILDS, async () => {
    const home = await buildHome(ctx, workspaceId, "U0BENCHVIEWER");
    blocks = homeView(home, app.config.incidents.severityPolicy).blocks.length;
  });
  return { latencies, blocks };
}

async function reportCost(app: BenchApp, workspaceId: string, kind: ReportKind): Promise<ReportCost> {
  const { store } = app.firebreak;
  const ctx = { config: app.config, store, clock: systemClock, onCall: onCallLookup(store.models) };
  const policies = app.config.incidents.severityPolicy;
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 2);
  try {
    const latencies = await repeat(REPORT_BUILDS, async () => {
      const report = await buildReportFor(ctx, { kind, workspaceId, end: new Date() });
      if (reportMessage(report, policies).blocks.length === 0) throw new Error(`the ${kind} report is empty`);
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    });
    return { latencies, peakHeapMb: (peak - baseline) / 1_048_576 };
  } finally {
    clearInterval(sampler);
  }
}

/** Waits for the delivery job to finish the queued Slack work (at most a minute). */
async function queueEmptied(app: BenchApp): Promise<void> {
  const deadline = performance.now() + 60_000;
  while ((await app.firebreak.store.models.deliveries.countDocuments()) > 0) {
    if (performance.now() > deadline)
      throw new Error("scale bench: the delivery queue did not empty in 60 s");
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Drops queued Slack work and armed timers (the seeded ones fall due in a day: none is lost to a reading). */
async function clearBacklog(app: BenchApp): Promise<void> {
  const models = app.firebreak.store.models;
  await models.deliveries.deleteMany({});
  await models.deliveryChannels.deleteMany({});
  await models.armedAlerts.deleteMany({});
}

/** RUNS runs of a measurement, one after another. */
async function runs<T>(measure: (run: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let run = 0; run < RUNS; run++) results.push(await measure(run));
  return results;
}

/** The median of one figure over a measurement's runs. */
function median<T>(results: readonly T[], figure: (result: T) => number): number {
  return percentile(results.map(figure), 50);
}

async function repeat(times: number, task: () => Promise<void>): Promise<number[]> {
  return (await timeConcurrently(times, 1, task)).latencies;
}

async function inBatches<T>(items: number, make: (i: number) => T, write: (batch: T[]) => Promise<unknown>) {
  for (let start = 0; start < items; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, items - start) }, (_, i) => make(start + i));
    await write(batch);
  }
}

const YEAR_AGO = Date.now() - 365 * 24 * 3_600_000;

/** `count` alerts over the past year, the last OPEN_ALERTS of them open (also used by bench/intake-diag.ts). */
export async function seedAlerts(models: Models, count: number): Promise<void> {
  const policy = JSON.parse(ALERT_ENV.ESCALATION_POLICY) as Alert["policy"];
  await inBatches(
    count,
    (i): Omit<Alert, "id"> => {
      const open = i >= count - OPEN_ALERTS;
      const at = new Date(YEAR_AGO + (i / count) * 365 * 24 * 3_600_000);
      return {
        source: "generic",
        fingerprint: `seed-${i}`,
        state: open ? "open" : "resolved",
        title: `Seeded alert ${i}`,
        severity: "low",
        service: "checkout",
        description: "",
        links: [],
        labels: [{ name: "team", value: "payments" }],
        annotations: [],
        firstFiredAt: at,
        lastFiredAt: at,
        fireCount: 1,
        paging: true,
        policy,
        nextStep: 1,
        fired: [{ step: 0, at, paged: ["U0BENCHL1"] }],
        message: { channelId: ALERTS_CHANNEL, ts: `${Math.floor(at.getTime() / 1000)}.${i}` },
        ...(open
          ? { nextDueAt: new Date(Date.now() + 24 * 3_600_000) }
          : { resolvedAt: at, resolvedBy: "generic" }),
      };
    },
    (batch) => importAlerts(models, batch),
  );
}

/**
 * `count` incidents numbered from `first`, declared over `span` in order of their numbers, the last `open` of
 * them open, each with a full timeline.
 */
async function seedIncidents(
  models: Models,
  workspaceId: string,
  { first, count, open }: { first: number; count: number; open: number },
  eventsPerIncident: number,
  span = { from: YEAR_AGO, ms: 365 * 24 * 3_600_000 },
): Promise<void> {
  const perBatch = Math.max(1, Math.floor(BATCH / eventsPerIncident));
  for (let start = 0; start < count; start += perBatch) {
    const numbers = Array.from({ length: Math.min(perBatch, count - start) }, (_, i) => first + start + i);
    const incidents = numbers.map((number): ImportedIncident => {
      const declaredAt = new Date(span.from + ((number - first + 1) / count) * span.ms);
      const isOpen = number >= first + count - open;
      return {
        workspaceId,
        number,
        declareKey: `seed-${workspaceId}-${number}`,
        title: `Seeded incident ${number}`,
        description: "",
        severity: "sev3",
        status: isOpen ? "investigating" : "resolved",
        affectedServices: ["checkout"],
        roles: { commander: "U0BENCHDECL" },
        reporterId: "U0BENCHDECL",
        isPrivate: false,
        declaredAt,
        channelId: `CSEED${workspaceId}${number}`,
        channelName: `inc-${number}-seeded`,
        linkedNumbers: [],
        // Acknowledged after 5 min and resolved after an hour, for the reports' MTTA and MTTR.
        ...(isOpen
          ? {}
          : {
              acknowledgedAt: new Date(declaredAt.getTime() + 5 * 60_000),
              resolvedAt: new Date(declaredAt.getTime() + 3_600_000),
              archivedAt: declaredAt,
            }),
      };
    });
    const ids = await importIncidents(models, incidents);
    await models.sequenceClaims.insertMany(
      numbers.map((number) => ({
        _id: `incident:${workspaceId}:${number}`,
        key: `incident:${workspaceId}`,
        value: number,
      })),
      { ordered: false, lean: true },
    );
    await importTimeline(
      models,
      ids.flatMap((incidentId, n) =>
        Array.from({ length: eventsPerIncident }, (_, e) => ({
          incidentId,
          type: "note" as const,
          at: new Date((incidents[n]?.declaredAt.getTime() ?? 0) + e * 60_000),
          actorId: "U0BENCHDECL",
          payload: { text: `Seeded note ${e} of a long incident` },
          ...(e % 10 === 0 && { key: `seed:${e}` }),
        })),
      ),
    );
  }
  if (count > 0) await writeHead(models.sequenceClaims, `incident:${workspaceId}`, first + count - 1);
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** One phase's medians as soon as they are known, so a run cut short still tells something. */
function phaseLine(phase: string, f: Figures): string {
  const p50 = (latencies: number[]) => ms(percentile(latencies, 50));
  const runsP50 = (results: number[][]) => ms(median(results, (latencies) => percentile(latencies, 50)));
  const intakeP50 = (results: Intake[]) =>
    `${ms(median(results, (run) => percentile(run.latencies, 50)))} ` +
    `(${median(results, (run) => run.perSecond).toFixed(0)}/s)`;
  return (
    `${phase} (medians of ${RUNS} runs): webhook alone p50 ${intakeP50(f.intakeAlone)}, ` +
    `intake new p50 ${intakeP50(f.intakeNew)}, repeat p50 ${intakeP50(f.intakeRepeat)}, ` +
    `Slack 500 ms p50 ${intakeP50(f.intakeSlow)}; by channel p50 ${runsP50(f.byChannel)}, ` +
    `timeline page p50 ${runsP50(f.timelinePage)}, list p50 ${runsP50(f.list)}; ` +
    `daily report p50 ${p50(f.daily.latencies)} (heap +${f.daily.peakHeapMb.toFixed(0)} MB), ` +
    `weekly p50 ${p50(f.weekly.latencies)} (heap +${f.weekly.peakHeapMb.toFixed(0)} MB)`
  );
}

function render(empty: Figures, full: Figures, seeding: string, factor: number): string {
  const rows: [string, string, string, number][] = [];
  const latency = (name: string, a: number[], b: number[]) => {
    for (const p of [50, 99]) {
      const [x, y] = [percentile(a, p), percentile(b, p)];
      rows.push([`${name} p${p}`, ms(x), ms(y), y / x]);
    }
  };
  // Medians over the runs of each figure: a run's p50, its p99, its alerts/s.
  const latencyOfRuns = (name: string, a: number[][], b: number[][]) => {
    for (const p of [50, 99]) {
      const [x, y] = [a, b].map((results) => median(results, (latencies) => percentile(latencies, p))) as [
        number,
        number,
      ];
      rows.push([`${name} p${p}`, ms(x), ms(y), y / x]);
    }
  };
  const intakeRows = (name: string, a: Intake[], b: Intake[]) => {
    latencyOfRuns(
      name,
      a.map((run) => run.latencies),
      b.map((run) => run.latencies),
    );
    const [x, y] = [median(a, (run) => run.perSecond), median(b, (run) => run.perSecond)];
    rows.push([`${name}, alerts/s`, x.toFixed(0), y.toFixed(0), x / y]);
    // Medians over the runs, of the app's and the database's CPU per alert; the ratio of their sums.
    const cpu = (results: Intake[]) =>
      [median(results, (run) => run.cpuUs.app), median(results, (run) => run.cpuUs.database)] as const;
    const [ca, cb] = [cpu(a), cpu(b)];
    const shown = ([app, database]: readonly [number, number]) =>
      `${(app / 1000).toFixed(1)} / ${(database / 1000).toFixed(1)} ms`;
    rows.push([
      `${name}, CPU per alert (app / database)`,
      shown(ca),
      shown(cb),
      (cb[0] + cb[1]) / (ca[0] + ca[1]),
    ]);
  };
  intakeRows(
    `webhook alone, new alerts (poller paused, concurrency ${INTAKE.concurrency})`,
    empty.intakeAlone,
    full.intakeAlone,
  );
  intakeRows(`alert intake, new (poller working, Slack 0 ms)`, empty.intakeNew, full.intakeNew);
  intakeRows(`alert intake, repeat (poller working, Slack 0 ms)`, empty.intakeRepeat, full.intakeRepeat);
  intakeRows(
    `alert intake, new (poller working, Slack ${SLOW_INTAKE.latencyMs} ms)`,
    empty.intakeSlow,
    full.intakeSlow,
  );
  latencyOfRuns("incident by channel", empty.byChannel, full.byChannel);
  latencyOfRuns(`timeline page (${PAGE} events)`, empty.timelinePage, full.timelinePage);
  latencyOfRuns(`/incident list reads (count + ${LIST_PAGE})`, empty.list, full.list);
  for (const kind of ["daily", "weekly"] as const) {
    latency(
      `${kind} report built (roll-ups, live set, on-call, Block Kit)`,
      empty[kind].latencies,
      full[kind].latencies,
    );
    const [a, b] = [empty[kind].peakHeapMb, full[kind].peakHeapMb];
    rows.push([
      `${kind} report, peak heap growth`,
      `${a.toFixed(1)} MB`,
      `${b.toFixed(1)} MB`,
      b / Math.max(a, 0.1),
    ]);
  }
  const lines = [
    "# Scale bench",
    "",
    `${new Date().toISOString()}; ${seeding}${factor === 1 ? "" : ` (factor ${factor})`}. Embedded FerretDB v1.24.2 ` +
      "(SQLite, patched to use its _id index), fake Slack, real webhook at concurrency 5 after a warm-up, the " +
      "alerts sent from a process of their own; both phases read one workspace with the same 20 open " +
      "incidents, the seeded one with a year of history beside them; " +
      `store reads timed one after another; each figure the median of ${RUNS} runs. Ratio: seeded ÷ empty for ` +
      "latencies and CPU, empty ÷ seeded for throughput (target ≤ 1.5). CPU per alert: this process (the " +
      "app and the fake Slack) and the database's, over each run, poller work included where it runs.",
    `Peak resident memory of the bench process (app, fake Slack, store reads): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB.`,
    "",
    "| measurement | empty | seeded | ratio |",
    "| --- | ---: | ---: | ---: |",
    ...rows.map(([name, a, b, ratio]) => `| ${name} | ${a} | ${b} | ${ratio.toFixed(2)}× |`),
    "",
  ];
  return lines.join("\n");
}
