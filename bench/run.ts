/**
 * `npm run bench`: measures what users feel, on this machine, against the real wiring.
 * - /incident help: signed slash commands through the real HTTP receiver, acked with the answer (Slack's
 *   budget is 3 s); latency percentiles and throughput at a fixed concurrency.
 * - sequence numbers: the insert-under-unique-index claim that numbers incidents, alone and contended.
 * - alert intake: distinct alerts POSTed to the real webhook; latency of the 202 and alerts per second.
 * - escalation: many alerts falling due together, fired by one poller pass on a TestClock.
 * - /incident declare: the ack's latency, then the time from the ack to the "declared" answer.
 * `--scale` runs the scale bench (bench/scale.ts) instead, `--ops` the database commands per alert (bench/ops.ts).
 * Everything runs on loopback: an embedded FerretDB and the fake Slack from the test support.
 * Whatever happens, everything started here is stopped; a failed measurement exits 1.
 */
import { cpus, platform } from "node:os";
import { startEmbeddedDb } from "../src/store/embedded-db.ts";
import { ALERT_ENV, measureAlertIntake, measureEscalation, seedAlertWorkspace } from "./alerts.ts";
import { DECLARE_ENV, measureDeclare, measureHelp, seedIncidentWorkspace } from "./commands.ts";
import { Cleanup, startBenchApp } from "./harness.ts";
import { runOpsBench } from "./ops.ts";
import { runScaleBench } from "./scale.ts";
import { measureSequences } from "./sequences.ts";

async function runBench(cleanup: Cleanup): Promise<void> {
  const cpuList = cpus();
  console.log(
    `machine: node ${process.version}, ${platform()} ${process.arch}, ` +
      `${cpuList.length} CPUs (${cpuList[0]?.model.trim() ?? "unknown model"})`,
  );
  const db = await startEmbeddedDb({ storage: "ephemeral", dataDir: ".data" });
  cleanup.add("the embedded database", () => db.stop());
  console.log(`database: ${db.dataLocation}`);
  const scale = scaleOption(process.argv.slice(2));
  if (scale !== undefined) return runScaleBench(cleanup, `${db.uri}bench_scale`, scale);
  if (process.argv.includes("--ops")) return runOpsBench(cleanup, `${db.uri}bench_ops`);

  const app = await startBenchApp(cleanup, {
    mongodbUri: `${db.uri}bench`,
    env: { ...ALERT_ENV, ...DECLARE_ENV },
  });
  seedAlertWorkspace(app);
  seedIncidentWorkspace(app);

  await measureHelp(app);
  await measureSequences(app);
  await measureAlertIntake(app);
  await measureDeclare(app);
  await measureEscalation(cleanup, `${db.uri}bench_escalation`);
}

/** `--scale` (or BENCH_SCALE=1) runs the scale bench instead; `--factor=0.1` shrinks its data set. */
function scaleOption(args: string[]): number | undefined {
  if (!args.includes("--scale") && process.env.BENCH_SCALE !== "1") return undefined;
  const factor = Number(args.find((arg) => arg.startsWith("--factor="))?.slice("--factor=".length) ?? "1");
  if (!(factor > 0 && factor <= 1)) throw new Error("--factor must be a number in (0, 1]");
  return factor;
}

async function main(): Promise<number> {
  const cleanup = new Cleanup();
  let wasInterrupted = false;
  const interrupted = () => {
    wasInterrupted = true;
    console.error("interrupted: stopping everything");
    void cleanup.run().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  let exitCode = 0;
  try {
    await runBench(cleanup);
  } catch (error) {
    // Once interrupted, the measurement in progress fails as things stop under it: that is not news.
    if (!wasInterrupted) console.error("bench failed:", error);
    exitCode = 1;
  } finally {
    await cleanup.run();
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
  }
  return exitCode;
}

process.exitCode = await main();
// Everything is stopped; should a stray handle still keep the process alive, do not hang the caller.
setTimeout(() => {
  console.error("bench: something still held the event loop 5 s after stopping; exiting");
  process.exit();
}, 5_000).unref();
