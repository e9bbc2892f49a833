/**
 * `npm run bench`: what users feel, as ratios against a floor measured in the same run (see README, Bench).
 * - ack: bursts of signed requests to the built bot and to a bare Bolt app that only acks, each in its own
 *   process, alternately (bench/ack-latency.ts).
 * - declare: the critical path to the kickoff message with Slack answering after 50 ms (bench/declare-path.ts).
 * - escalation: 10,000 timers due over 60 s on the real clock, lateness and exactly-once
 *   (bench/escalation-precision.ts).
 * - footprint: start to /readyz and idle memory of `node dist/main.js` (bench/footprint.ts).
 * `--only=ack,declare,escalation,footprint` runs some of them; `--timers=N` resizes the escalation bench;
 * `--no-build` skips `npm run build` (the bench runs the built app). `--scale` runs the scale bench
 * (bench/scale.ts) instead, `--ops` the database commands per alert (bench/ops.ts).
 * Prints one table and writes it to bench/results/latest.json and latest.md. Everything started here is
 * stopped whatever happens; a failed measurement exits 1.
 */
import { spawnSync } from "node:child_process";
import { connectDatabase } from "../src/store/connection.ts";
import { startEmbeddedDb } from "../src/store/embedded-db.ts";
import { openStore } from "../src/store/store.ts";
import { type FakeSlack, startFakeSlack } from "../test/support/fake-slack/server.ts";
import { measureAckLatency } from "./ack-latency.ts";
import { ALERT_ENV, ALERTS_CHANNEL, seedAlertWorkspace } from "./alerts.ts";
import { DECLARE_ENV, DECLARER, seedIncidentWorkspace } from "./commands.ts";
import { declareOnce, measureDeclarePath } from "./declare-path.ts";
import { DEFAULT_TIMERS, escalationNote, measureEscalationPrecision } from "./escalation-precision.ts";
import { measureFootprint } from "./footprint.ts";
import { Cleanup, SIGNING_SECRET, WEBHOOK_SECRET } from "./harness.ts";
import { runOpsBench } from "./ops.ts";
import { BUILT_APP, type ChildApp, FLOOR_APP, freePort, spawnApp } from "./processes.ts";
import { describeMachine, printResults, type Row, writeResults } from "./report.ts";
import { runScaleBench } from "./scale.ts";

const BENCHES = ["declare", "ack", "escalation", "footprint"] as const;
type Bench = (typeof BENCHES)[number];
const ACK_ALERTS = 20;
/** Who sends the ack bench's commands and clicks: nobody the alerts page, so their answers are told apart. */
const ACK_USER = { id: "U0BENCHACK", name: "clicker" };

function optionValue(args: string[], name: string): string | undefined {
  return args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function onlyOption(args: string[]): Bench[] | undefined {
  const value = optionValue(args, "only");
  if (value === undefined) return undefined;
  const names = value.split(",").map((n) => n.trim());
  const unknown = names.filter((n) => !(BENCHES as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new Error(`--only: unknown ${unknown.join(", ")} (known: ${BENCHES.join(", ")})`);
  return names as Bench[];
}

/** The environment of the bot's process: the fake Slack, a database, alerts and declarations turned on. */
function appEnv(slack: FakeSlack, mongodbUri: string): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    SLACK_APP_TOKEN: "",
    MONGODB_URI: mongodbUri,
    NODE_ENV: "production",
    ...ALERT_ENV,
    ...DECLARE_ENV,
  };
}

/** Open alerts in the bot's database, raised through its real webhook, for the Acknowledge clicks. */
async function raiseAlerts(app: ChildApp, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${app.url}/webhooks/alerts/generic`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${WEBHOOK_SECRET}` },
      body: JSON.stringify({
        title: `Bench ack ${i}`,
        severity: "critical",
        service: "checkout",
        fingerprint: `bench-ack-${i}`,
      }),
    });
    if (response.status !== 202) throw new Error(`the alert webhook answered ${response.status}`);
  }
}

async function runBench(cleanup: Cleanup, args: string[]): Promise<void> {
  const scale = scaleOption(args);
  const ops = args.includes("--ops");
  const only = onlyOption(args);
  const selected = new Set<Bench>(only ?? BENCHES);
  if (scale === undefined && !ops && !args.includes("--no-build")) {
    console.log("building (npm run build): the bench runs the built app, dist/main.js");
    const built = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
    if (built.status !== 0) throw new Error("npm run build failed");
  }
  const db = await startEmbeddedDb({ storage: "ephemeral", dataDir: ".data" });
  cleanup.add("the embedded database", () => db.stop());
  console.log(`database: ${db.dataLocation}`);
  if (scale !== undefined) return runScaleBench(cleanup, `${db.uri}bench_scale`, scale);
  if (ops) return runOpsBench(cleanup, `${db.uri}bench_ops`);

  const machine = describeMachine(`embedded ${db.kind} (${db.dataLocation})`);
  const slack = await startFakeSlack();
  cleanup.add("the fake Slack", () => slack.close());
  seedAlertWorkspace(slack);
  seedIncidentWorkspace(slack);
  slack.addUser(ACK_USER);
  const rows: Row[] = [];
  const notes: string[] = [];

  if (selected.has("declare") || selected.has("ack")) {
    const uri = `${db.uri}bench`;
    const app = await spawnApp(cleanup, {
      name: "bot",
      args: BUILT_APP,
      env: appEnv(slack, uri),
      port: await freePort(),
      readyPath: "/readyz",
    });
    const connection = await connectDatabase(uri, { autoIndex: false });
    cleanup.add("the bench's database connection", () => connection.close());
    const store = await openStore(connection, "ensure");
    const declareSetup = { app, slack, signingSecret: SIGNING_SECRET, declarer: DECLARER, connection };
    let incidentChannel: string | undefined;
    if (selected.has("declare")) {
      console.log("declare: critical path with Slack at 50 ms a call…");
      const declared = await measureDeclarePath(declareSetup);
      rows.push(...declared.rows);
      incidentChannel = declared.lastChannel;
    }
    if (selected.has("ack")) {
      incidentChannel ??= String((await declareOnce(declareSetup, "Bench status")).kickoff.args.channel);
      await raiseAlerts(app, ACK_ALERTS);
      const alerts = await store.models.alerts.find({ fingerprint: /^bench-ack-/ }, { _id: 1 }).lean();
      const floor = await spawnApp(cleanup, {
        name: "floor",
        args: FLOOR_APP,
        env: appEnv(slack, uri),
        port: await freePort(),
        readyPath: "/healthz",
      });
      console.log("ack: bursts to the bot and to the bare Bolt floor, alternately…");
      const acks = await measureAckLatency(cleanup, {
        app,
        floor,
        slack,
        signingSecret: SIGNING_SECRET,
        incidentChannel,
        alertIds: alerts.map((a) => String(a._id)),
        alertsChannel: ALERTS_CHANNEL,
        userId: ACK_USER.id,
      });
      rows.push(...acks.rows);
      notes.push(...acks.notes);
      await floor.stop();
    }
    await app.stop();
  }

  if (selected.has("escalation")) {
    const timers = Number(optionValue(args, "timers") ?? DEFAULT_TIMERS);
    if (!(Number.isInteger(timers) && timers > 0)) throw new Error("--timers must be a positive integer");
    const uri = `${db.uri}bench_escalation`;
    const app = await spawnApp(cleanup, {
      name: "bot-escalation",
      args: BUILT_APP,
      env: appEnv(slack, uri),
      port: await freePort(),
      readyPath: "/readyz",
    });
    const connection = await connectDatabase(uri, { autoIndex: false });
    cleanup.add("the bench's escalation database connection", () => connection.close());
    const store = await openStore(connection, "ensure");
    console.log(`escalation: ${timers} timers due over 60 s on the real clock…`);
    const escalation = await measureEscalationPrecision({
      app,
      models: store.models,
      timers,
      mongodbUri: uri,
    });
    rows.push(...escalation);
    notes.push(...escalation.map(escalationNote));
  }

  if (selected.has("footprint")) {
    console.log("footprint: starts of node dist/main.js and of the floor…");
    rows.push(
      ...(await measureFootprint({
        slackEnv: {
          SLACK_BOT_TOKEN: slack.botToken,
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_API_URL: slack.apiUrl,
          SLACK_APP_TOKEN: "",
        },
      })),
    );
  }

  if (machine.loadAverage > machine.cores)
    notes.push("Provisional, under load: other work shared the machine during this run.");
  printResults(machine, rows, notes);
  await writeResults(machine, rows, notes, only);
}

/** `--scale` (or BENCH_SCALE=1) runs the scale bench instead; `--factor=0.1` shrinks its data set. */
function scaleOption(args: string[]): number | undefined {
  if (!args.includes("--scale") && process.env.BENCH_SCALE !== "1") return undefined;
  const factor = Number(optionValue(args, "factor") ?? "1");
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
    await runBench(cleanup, process.argv.slice(2));
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
