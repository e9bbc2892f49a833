/**
 * `npm run bench`: measures what users feel, on this machine, against the real wiring.
 * - /incident help: signed slash commands through the real HTTP receiver, acked with the answer (Slack's
 *   budget is 3 s); latency percentiles and throughput at a fixed concurrency.
 * - sequence numbers: the insert-under-unique-index claim that numbers incidents, alone and contended.
 * Everything runs on loopback: an embedded FerretDB and the fake Slack from the test support.
 */
import { performance } from "node:perf_hooks";
import { parseConfig } from "../src/config.ts";
import { startFirebreak } from "../src/firebreak.ts";
import { createLogger } from "../src/logger.ts";
import { SLACK_EVENTS_PATH } from "../src/slack/app.ts";
import { nextSequence } from "../src/store/counters.ts";
import { startEmbeddedDb } from "../src/store/embedded-db.ts";
import { startFakeSlack } from "../test/support/fake-slack/server.ts";
import { SlackDriver } from "../test/support/slack-driver.ts";

const HELP_REQUESTS = 1_000;
const HELP_CONCURRENCY = 10;
const SEQUENCE_SOLO = 200;
const SEQUENCE_CONTENDED = 50;

function percentile(sortedMs: number[], p: number): number {
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)] ?? Number.NaN;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function main(): Promise<void> {
  const db = await startEmbeddedDb({ storage: "ephemeral", dataDir: ".data" });
  const slack = await startFakeSlack();
  const secret = "bench-signing-secret";
  const parsed = parseConfig({
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: secret,
    SLACK_API_URL: slack.apiUrl,
    MONGODB_URI: `${db.uri}bench`,
    PORT: "0",
    NODE_ENV: "test",
  });
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  const app = await startFirebreak({ config: parsed.config, logger: createLogger("warn") });
  const driver = new SlackDriver(`http://127.0.0.1:${app.port}${SLACK_EVENTS_PATH}`, secret);
  try {
    console.log(`database: ${db.dataLocation}`);
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: HELP_CONCURRENCY }, async () => {
        while (next < HELP_REQUESTS) {
          next++;
          const t0 = performance.now();
          const response = await driver.slashCommand({
            command: "/incident",
            text: "help",
            responseUrl: slack.responseUrl(),
            triggerId: slack.newTriggerId(),
          });
          if (response.status !== 200) throw new Error(`help answered ${response.status}`);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      `/incident help x${HELP_REQUESTS} (concurrency ${HELP_CONCURRENCY}): ` +
        `p50 ${fmt(percentile(latencies, 50))}, p95 ${fmt(percentile(latencies, 95))}, ` +
        `p99 ${fmt(percentile(latencies, 99))}, max ${fmt(percentile(latencies, 100))}, ` +
        `${(HELP_REQUESTS / seconds).toFixed(0)} req/s`,
    );

    const claims = app.store.models.sequenceClaims;
    let t0 = performance.now();
    for (let i = 0; i < SEQUENCE_SOLO; i++) await nextSequence(claims, "bench:solo");
    const solo = (performance.now() - t0) / SEQUENCE_SOLO;
    t0 = performance.now();
    await Promise.all(
      Array.from({ length: SEQUENCE_CONTENDED }, () => nextSequence(claims, "bench:contended")),
    );
    const contended = performance.now() - t0;
    console.log(
      `sequence numbers: ${fmt(solo)} each alone (x${SEQUENCE_SOLO}); ` +
        `${SEQUENCE_CONTENDED} concurrent callers on one sequence: ${fmt(contended)} in all`,
    );
  } finally {
    await app.stop(2_000);
    await slack.close();
    await db.stop();
  }
}

await main();
