import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { startEmbeddedDb } from "../src/store/embedded-db.ts";
import { ALERT_ENV, seedAlertWorkspace } from "./alerts.ts";
import { Cleanup, startBenchApp } from "./harness.ts";
import { LoadGenerator } from "./load-generator.ts";
import { cpuMs, databasePid } from "./processes.ts";
import { seedAlerts } from "./scale.ts";
import { percentile } from "./stats.ts";

/**
 * `node --import tsx bench/intake-diag.ts`: where the alert webhook's time goes, in figures that a busy
 * machine moves little. Single-alert webhooks at concurrency 5, phase after phase (no pause between them,
 * so the poller's backlog carries over as in the scale bench), sent from a process of their own; for each
 * phase: alerts/s and latency (those do depend on the load), CPU per alert of this process (app and fake
 * Slack), of FerretDB and of the sender, the event loop's delay, database commands per alert by command and
 * collection with their mean time, and the Slack calls made.
 *
 * INTAKE_DIAG_PHASES: `name:slackLatencyMs:poller(0|1)[:again]`, comma-separated (`again`: the previous
 * phase's alerts fire again, as repeats); INTAKE_DIAG_ALERTS: alerts a phase; INTAKE_DIAG_SEED_ALERTS: alerts
 * stored before the first phase (none by default).
 */

const DEFAULT_PHASES = "warm:0:0,alone:0:0,s0a:0:1,s0b:0:1,s0c:0:1,s500a:500:1,s500b:500:1,s500c:500:1";

/** User and system CPU of `pid` in µs (clock ticks of 10 ms). */
const cpuMicros = (pid: number | undefined) => (pid === undefined ? 0 : (cpuMs(pid) ?? 0) * 1000);

const cleanup = new Cleanup();
try {
  const db = await startEmbeddedDb({ storage: "ephemeral", dataDir: ".data" });
  cleanup.add("the embedded database", () => db.stop());
  const ferretDb = databasePid(db.uri);
  const app = await startBenchApp(cleanup, { mongodbUri: `${db.uri}bench_intake`, env: ALERT_ENV });
  seedAlertWorkspace(app.slack);
  const load = LoadGenerator.start(cleanup);
  // A year of alerts first, as the scale bench seeds them, to see what history costs intake.
  const seeded = Number(process.env.INTAKE_DIAG_SEED_ALERTS ?? 0);
  if (seeded > 0) await seedAlerts(app.firebreak.store.models, seeded);
  let commands = new Map<string, { count: number; ms: number }>();
  const started = new Map<number, string>();
  const client = app.firebreak.store.connection.getClient();
  client.on("commandStarted", (event) => {
    const collection = (event.command as Record<string, unknown>)[event.commandName];
    started.set(event.requestId, `${event.commandName} ${typeof collection === "string" ? collection : ""}`);
  });
  const settle = (event: { requestId: number; duration: number }) => {
    const key = started.get(event.requestId);
    started.delete(event.requestId);
    if (!key) return;
    const tally = commands.get(key) ?? { count: 0, ms: 0 };
    tally.count++;
    tally.ms += event.duration;
    commands.set(key, tally);
  };
  client.on("commandSucceeded", settle);
  client.on("commandFailed", settle);

  const alerts = Number(process.env.INTAKE_DIAG_ALERTS ?? 150);
  let pollerOn = true;
  let phaseNumber = 0;
  for (const spec of (process.env.INTAKE_DIAG_PHASES ?? DEFAULT_PHASES).split(",")) {
    const [name = "", latency = "0", poller = "1", again = "new"] = spec.split(":");
    app.slack.setLatency(Number(latency));
    if (poller === "1" && !pollerOn) app.firebreak.poller.start();
    if (poller !== "1" && pollerOn) await app.firebreak.poller.stop();
    pollerOn = poller === "1";
    commands = new Map();
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const cpu = process.cpuUsage();
    const ferretCpu = cpuMicros(ferretDb);
    const loadCpu = cpuMicros(load.pid);
    const calls = app.slack.calls.length;
    const t0 = performance.now();
    // `again`: the previous phase's alerts fire again (repeats).
    const phase = again === "again" ? phaseNumber - 1 : phaseNumber++;
    const { latencies, seconds } = await load.alerts(
      app,
      Array.from({ length: alerts }, (_, i) => ({
        title: `Intake ${phase} ${i}`,
        severity: "high",
        service: "checkout",
        fingerprint: `intake-${phase}-${i}`,
      })),
      5,
    );
    const wallUs = (performance.now() - t0) * 1000;
    const used = process.cpuUsage(cpu);
    const nodeUs = used.user + used.system;
    const ferretUs = cpuMicros(ferretDb) - ferretCpu;
    const loadUs = cpuMicros(load.pid) - loadCpu;
    loop.disable();
    const rows = [...commands.entries()].sort((a, b) => b[1].count - a[1].count);
    const total = rows.reduce((sum, [, tally]) => sum + tally.count, 0);
    const ms = (ns: number) => (ns / 1e6).toFixed(1);
    console.log(
      `${name} (Slack ${latency} ms, poller ${pollerOn ? "on" : "off"}): ${(alerts / seconds).toFixed(0)} alerts/s, ` +
        `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; ` +
        `CPU per alert: node ${(nodeUs / alerts).toFixed(0)} µs (${((100 * nodeUs) / wallUs).toFixed(0)}% of a core), ` +
        `FerretDB ${(ferretUs / alerts).toFixed(0)} µs (${((100 * ferretUs) / wallUs).toFixed(0)}%), load ${(loadUs / alerts).toFixed(0)} µs; ` +
        `event loop delay p99 ${ms(loop.percentile(99))} ms, max ${ms(loop.max)} ms; ` +
        `${(total / alerts).toFixed(2)} commands per alert; ${app.slack.calls.length - calls} Slack calls`,
    );
    for (const [key, tally] of rows.slice(0, 12))
      console.log(
        `   ${key}: ${(tally.count / alerts).toFixed(2)} per alert, ${(tally.ms / tally.count).toFixed(1)} ms each`,
      );
  }
  await app.firebreak.poller.stop();
} finally {
  await cleanup.run();
}
