import { performance } from "node:perf_hooks";
import mongoose from "mongoose";
import type { AppContext } from "../src/context.ts";
import { escalationJob } from "../src/jobs/escalation.ts";
import { createLogger } from "../src/logger.ts";
import { onCallLookup } from "../src/oncall/lookup.ts";
import { PrometheusMetrics } from "../src/prometheus/metrics.ts";
import { importAlerts } from "../src/store/alert-import.ts";
import { TestClock } from "../test/support/clock.ts";
import { filtersOf, isIdLookup } from "../test/support/command-filters.ts";
import { ALERT_ENV, ALERTS_CHANNEL, seedAlertWorkspace } from "./alerts.ts";
import { type BenchApp, type Cleanup, postGenericAlert, startBenchApp } from "./harness.ts";
import { cpuMs, databasePid } from "./processes.ts";

/**
 * `npm run bench -- --ops`: database commands per alert, the figure that does not depend on how busy the
 * machine is. A storm of new alerts into one channel (STORM.perSecond a second, one poller pass after each
 * second on a test clock, as the poller would run), then each of them firing again, then passes until the
 * Slack queue is empty. Every command the driver sends is recorded (command monitoring) and counted per
 * alert, apart for the webhook and the poller, by collection and command, with the bytes sent and
 * received; a filter other than `_id` alone is a scan on FerretDB, and its documents returned are shown.
 * Only the last column (milliseconds per command) depends on the machine's load. The poller's commands per
 * alert grow with the storm's length when an edit costs what was folded before it: lengthen STORM to see.
 * `--ops --escalation` measures the escalation timer instead (runEscalationOps below).
 */

const STORM = { alerts: 200, perSecond: 20, concurrency: 5 };
const MAX_DRAIN_PASSES = 120;

interface Tally {
  commands: number;
  scans: number;
  /** Documents a scan returned: on FerretDB each scan reads at least these. */
  scannedDocs: number;
  bytesOut: number;
  bytesIn: number;
  ms: number;
}

type Side = "webhook" | "poller";

class Recorder {
  side: Side = "webhook";
  byKey = new Map<string, Tally>();
  private readonly pending = new Map<number, string>();

  constructor(client: mongoose.mongo.MongoClient) {
    const size = (doc: unknown) => mongoose.mongo.BSON.calculateObjectSize(doc as mongoose.mongo.Document);
    client.on("commandStarted", (event) => {
      const command = event.command as Record<string, unknown>;
      const collection = command[event.commandName];
      if (typeof collection !== "string") return;
      const scan = filtersOf(event.commandName, command).some((filter) => !isIdLookup(filter));
      const key = `${this.side} ${collection} ${event.commandName}${scan ? " (scan)" : ""}`;
      const tally = this.tally(key);
      tally.commands++;
      if (scan) tally.scans++;
      tally.bytesOut += size(command);
      this.pending.set(event.requestId, key);
    });
    const settle = (event: { requestId: number; reply?: unknown; duration: number }) => {
      const key = this.pending.get(event.requestId);
      this.pending.delete(event.requestId);
      if (!key) return;
      const tally = this.tally(key);
      tally.ms += event.duration;
      if (event.reply !== undefined) tally.bytesIn += size(event.reply);
      if (key.endsWith("(scan)")) {
        const batch = (event.reply as { cursor?: { firstBatch?: unknown[] } }).cursor?.firstBatch;
        tally.scannedDocs += batch?.length ?? 0;
      }
    };
    client.on("commandSucceeded", settle);
    client.on("commandFailed", settle);
  }

  private tally(key: string): Tally {
    let tally = this.byKey.get(key);
    if (!tally) {
      tally = { commands: 0, scans: 0, scannedDocs: 0, bytesOut: 0, bytesIn: 0, ms: 0 };
      this.byKey.set(key, tally);
    }
    return tally;
  }

  take(): Map<string, Tally> {
    const taken = this.byKey;
    this.byKey = new Map();
    return taken;
  }
}

export async function runOpsBench(cleanup: Cleanup, mongodbUri: string): Promise<void> {
  if (process.argv.includes("--escalation")) return runEscalationOps(cleanup, mongodbUri);
  const clock = new TestClock(new Date());
  const app = await startBenchApp(cleanup, {
    mongodbUri: `${mongodbUri}?monitorCommands=true`,
    env: ALERT_ENV,
    clock,
  });
  seedAlertWorkspace(app.slack);
  await app.firebreak.poller.stop();
  const recorder = new Recorder(app.firebreak.store.connection.getClient());
  const alert = (i: number) => ({
    title: `Ops ${i}`,
    severity: "high",
    service: "checkout",
    fingerprint: `ops-${i}`,
  });
  for (const phase of ["new", "repeat"] as const) {
    recorder.take();
    const passes = await storm(app, clock, recorder, alert);
    const drained = await drain(app, clock, recorder);
    const perPass = drained + passes;
    console.log(
      `\n${phase} alerts: ${STORM.alerts} into ${ALERTS_CHANNEL}, ${STORM.perSecond}/s, ` +
        `${perPass} poller passes (${drained} after the last alert, until the Slack queue was empty)`,
    );
    console.log(render(recorder.take(), STORM.alerts));
  }
}

/** The alerts, STORM.perSecond at a time at STORM.concurrency, each second followed by one poller pass. */
async function storm(
  app: BenchApp,
  clock: TestClock,
  recorder: Recorder,
  alert: (i: number) => Record<string, unknown>,
): Promise<number> {
  let passes = 0;
  for (let start = 0; start < STORM.alerts; start += STORM.perSecond) {
    recorder.side = "webhook";
    const indexes = Array.from({ length: STORM.perSecond }, (_, i) => start + i);
    const workers = Array.from({ length: STORM.concurrency }, async () => {
      for (let i = indexes.shift(); i !== undefined; i = indexes.shift())
        await postGenericAlert(app, alert(i));
    });
    await Promise.all(workers);
    clock.advance(1_000);
    recorder.side = "poller";
    await app.firebreak.poller.tick();
    passes++;
  }
  return passes;
}

async function drain(app: BenchApp, clock: TestClock, recorder: Recorder): Promise<number> {
  recorder.side = "poller";
  const { models } = app.firebreak.store;
  for (let pass = 1; pass <= MAX_DRAIN_PASSES; pass++) {
    clock.advance(1_000);
    await app.firebreak.poller.tick();
    recorder.side = "webhook"; // not counted: the bench's own check
    const left = await models.deliveries.estimatedDocumentCount();
    recorder.side = "poller";
    if (left === 0) return pass;
  }
  throw new Error(`ops bench: Slack work still queued after ${MAX_DRAIN_PASSES} passes`);
}

function render(tallies: Map<string, Tally>, alerts: number): string {
  const rows = [...tallies].filter(([key]) => !key.includes(" count")).sort(([a], [b]) => a.localeCompare(b));
  const per = (n: number) => (n / alerts).toFixed(2);
  const kb = (n: number) => (n / alerts / 1024).toFixed(1);
  const total = { commands: 0, scans: 0, bytesOut: 0, bytesIn: 0 };
  const lines = [
    "| side, collection, command | per alert | scanned docs/alert | KB sent/alert | KB received/alert | ms each |",
  ];
  lines.push("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const [key, t] of rows) {
    total.commands += t.commands;
    total.scans += t.scans;
    total.bytesOut += t.bytesOut;
    total.bytesIn += t.bytesIn;
    lines.push(
      `| ${key} | ${per(t.commands)} | ${t.scans ? per(t.scannedDocs) : ""} | ${kb(t.bytesOut)} | ${kb(t.bytesIn)} | ${(t.ms / t.commands).toFixed(1)} |`,
    );
  }
  for (const side of ["webhook", "poller"] as const) {
    const mine = rows.filter(([key]) => key.startsWith(side)).map(([, t]) => t);
    const sum = (f: (t: Tally) => number) => mine.reduce((s, t) => s + f(t), 0);
    lines.push(
      `| **${side}, all** | ${per(sum((t) => t.commands))} | ${per(sum((t) => t.scannedDocs))} | ` +
        `${kb(sum((t) => t.bytesOut))} | ${kb(sum((t) => t.bytesIn))} |`,
    );
  }
  lines.push(`| **all** | ${per(total.commands)} | | ${kb(total.bytesOut)} | ${kb(total.bytesIn)} |`);
  return lines.join("\n");
}

/** 10,000 armed timers falling due over 60 s (issue 13, "escalation precision"), as the escalation job meets them. */
const TIMERS = { count: 10_000, overMs: 60_000 };

/**
 * `npm run bench -- --ops --escalation`: the escalation job alone, one pass per second of a test clock, over
 * TIMERS alerts armed (bulk inserted, each with a message, so a step queues its page, its thread line and
 * its message's refresh) whose second step falls due evenly over the minute. Reports the database commands
 * per step (load-independent), the passes' wall time and steps per second of it, and checks that each
 * alert fired its step exactly once. A pass that takes over a second would let lateness grow.
 */
async function runEscalationOps(cleanup: Cleanup, mongodbUri: string): Promise<void> {
  const start = new Date("2026-11-23T09:00:00Z");
  const clock = new TestClock(start);
  const app = await startBenchApp(cleanup, {
    mongodbUri: `${mongodbUri}?monitorCommands=true`,
    env: ALERT_ENV,
    clock,
  });
  seedAlertWorkspace(app.slack);
  await app.firebreak.poller.stop();
  const { store } = app.firebreak;
  const { config } = app;
  const policy = config.alerts.escalationPolicy;
  const levelMs = (policy.levels[1]?.afterMinutes ?? 0) * 60_000;
  const seeded = Array.from({ length: TIMERS.count }, (_, i) => {
    const dueAt = new Date(start.getTime() + Math.floor(((i + 1) / TIMERS.count) * TIMERS.overMs));
    const firedAt = new Date(dueAt.getTime() - levelMs);
    return {
      source: "generic",
      fingerprint: `timer-${i}`,
      state: "open" as const,
      title: `Timer ${i}`,
      severity: "high" as const,
      service: "checkout",
      description: "",
      links: [],
      labels: [],
      annotations: [],
      firstFiredAt: firedAt,
      lastFiredAt: firedAt,
      fireCount: 1,
      paging: true,
      policy,
      nextStep: 1,
      nextDueAt: dueAt,
      fired: [{ step: 0, at: firedAt, paged: ["U0BENCHL1"] }],
      message: { channelId: ALERTS_CHANNEL, ts: `${Math.floor(firedAt.getTime() / 1000)}.${i}` },
    };
  });
  for (let i = 0; i < seeded.length; i += 5_000) await importAlerts(store.models, seeded.slice(i, i + 5_000));
  // The job as the poller runs it, without the other jobs (the pages stay queued: not this measurement's).
  const logger = createLogger("warn");
  const noGauges = { openIncidents: async () => ({}), dueWork: async () => ({}) };
  const ctx = {
    config,
    store,
    clock,
    logger,
    onCall: onCallLookup(store.models),
    // A fired step counts its page and lateness: the app pays for that on every step.
    metrics: new PrometheusMetrics(noGauges, logger),
  } as unknown as AppContext;
  const job = escalationJob(ctx);
  const recorder = new Recorder(store.connection.getClient());
  recorder.side = "poller";
  const passMs: number[] = [];
  let steps = 0;
  const dbPid = databasePid(mongodbUri);
  const readDbCpu = () => (dbPid === undefined ? undefined : cpuMs(dbPid));
  const dbCpuBefore = readDbCpu();
  const appCpuBefore = process.cpuUsage();
  for (let elapsed = 0; elapsed <= TIMERS.overMs; elapsed += 1_000) {
    const t0 = performance.now();
    steps += await job.runDue(clock.now());
    passMs.push(performance.now() - t0);
    clock.advance(1_000);
  }
  const appCpu = process.cpuUsage(appCpuBefore);
  const dbCpuAfter = readDbCpu();
  const tallies = recorder.take();
  const stepped = await store.models.alerts.countDocuments({ fingerprint: /^timer-/, nextStep: 2 });
  const pages = await store.models.deliveries.countDocuments({ kind: "page" });
  if (steps !== TIMERS.count || stepped !== TIMERS.count || pages !== TIMERS.count)
    throw new Error(
      `escalation ops: ${steps} steps fired, ${stepped} alerts moved on, ${pages} pages queued ` +
        `for ${TIMERS.count} timers (each must fire exactly once)`,
    );
  const total = passMs.reduce((sum, ms) => sum + ms, 0);
  const sorted = [...passMs].sort((a, b) => a - b);
  console.log(
    `\nescalation: ${TIMERS.count} timers due over ${TIMERS.overMs / 1000} s, one pass a second (test clock): ` +
      `${steps} steps, each exactly once; ${(steps / (total / 1000)).toFixed(0)} steps/s of pass time; pass p50 ` +
      `${sorted[Math.floor(sorted.length / 2)]?.toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms`,
  );
  const perStep = (cpuMs: number) => `${((cpuMs * 1000) / steps).toFixed(0)} µs`;
  const dbCpu =
    dbCpuBefore === undefined || dbCpuAfter === undefined ? "unknown" : perStep(dbCpuAfter - dbCpuBefore);
  console.log(
    `CPU per step (depends less on load than wall time): this process ${perStep((appCpu.user + appCpu.system) / 1000)} ` +
      `(command monitoring included), the database ${dbCpu}`,
  );
  console.log(render(tallies, steps).replaceAll("per alert", "per step").replaceAll("/alert", "/step"));
}
