import { setTimeout as sleep } from "node:timers/promises";
import { ALERT_ACTIONS } from "../src/slack/ids.ts";
import type { FakeSlack } from "../test/support/fake-slack/server.ts";
import type { Cleanup } from "./harness.ts";
import type { BurstRequest } from "./load-client.ts";
import { LoadGenerator } from "./load-generator.ts";
import { type ChildApp, mainThreadCpuMs } from "./processes.ts";
import { ms, type Row, times } from "./report.ts";
import { percentile, waitFor } from "./stats.ts";

/**
 * Ack latency: bursts of signed requests sent all at once to the bot and to the floor (a bare Bolt app
 * that only acks), alternately, round after round, so both see the same machine at nearly the same moment.
 * Each request is timed from its send to the end of its answer (the ack, or the answer in the ack).
 */

const BURST = 200;
/** BENCH_ACK_ROUNDS=2 for a quicker, rougher look while working on the ack path. */
const ROUNDS = Number(process.env.BENCH_ACK_ROUNDS ?? 6);
const TARGET_RATIO = 1.2;

export interface AckSetup {
  app: ChildApp;
  floor: ChildApp;
  slack: FakeSlack;
  signingSecret: string;
  /** An incident's channel, for `/incident status` there. */
  incidentChannel: string;
  /** Open alerts whose Acknowledge button is clicked, in turn. */
  alertIds: string[];
  alertsChannel: string;
  userId: string;
}

interface Kind {
  key: string;
  name: string;
  /** Answers the app sends to the response_url after its ack, per request. */
  repliesEach: number;
  request(setup: AckSetup, index: number, responseUrl: string): BurstRequest;
}

const ALL_KINDS: Kind[] = [
  {
    key: "help",
    name: "/incident help",
    repliesEach: 0,
    request: (setup, _i, responseUrl) => ({
      kind: "command",
      text: "help",
      channelId: "C0BENCHGENERAL",
      userId: setup.userId,
      responseUrl,
    }),
  },
  {
    key: "status",
    name: "/incident status (incident channel)",
    repliesEach: 1,
    request: (setup, _i, responseUrl) => ({
      kind: "command",
      text: "status",
      channelId: setup.incidentChannel,
      userId: setup.userId,
      responseUrl,
    }),
  },
  {
    key: "click",
    name: "Acknowledge click (alert)",
    repliesEach: 1,
    request: (setup, i, responseUrl) => ({
      kind: "click",
      actionId: ALERT_ACTIONS.acknowledge,
      value: setup.alertIds[i % setup.alertIds.length] ?? "",
      channelId: setup.alertsChannel,
      ts: "1700000000.000100",
      userId: setup.userId,
      responseUrl,
    }),
  },
];

/** BENCH_ACK_KINDS=help (or status, click, comma-separated) measures only those, e.g. to profile one. */
const KINDS = ALL_KINDS.filter((kind) =>
  (process.env.BENCH_ACK_KINDS ?? "help,status,click").split(",").includes(kind.key),
);

interface Timed {
  latencies: number[];
  /** Main-thread CPU the target spent on the burst, its work after the acks included. */
  cpuMs: number;
}

/** The rows, and per kind a note of the CPU each request cost the bot and the floor. */
export async function measureAckLatency(
  cleanup: Cleanup,
  setup: AckSetup,
): Promise<{ rows: Row[]; notes: string[] }> {
  const client = LoadGenerator.start(cleanup);
  const responseUrl = setup.slack.responseUrl("bench-ack");
  // An answer goes to the response_url, or, when that refuses, by direct message.
  const replies = () =>
    setup.slack.responses.filter((r) => r.id === "bench-ack").length +
    setup.slack.callsToChannel("chat.postMessage", setup.userId).length;
  const samples = new Map(KINDS.map((k) => [k.name, { app: [] as number[], floor: [] as number[] }]));
  /** Main-thread CPU ms per kind and target, over the counted bursts (and the app's work after its acks). */
  const cpu = new Map(KINDS.map((k) => [k.name, { app: 0, floor: 0 }]));

  const burstTo = async (target: ChildApp, kind: Kind, count: number): Promise<Timed> => {
    const cpuBefore = await mainThreadCpuMs(target.pid);
    const before = replies();
    const requests = Array.from({ length: count }, (_, i) => kind.request(setup, i, responseUrl));
    const latencies = await client.burst({
      url: `${target.url}/slack/events`,
      signingSecret: setup.signingSecret,
      requests,
    });
    // The bot's work after the ack (its answers on the response_url) ends before the next burst starts.
    if (target === setup.app && kind.repliesEach > 0) {
      const expected = before + count * kind.repliesEach;
      await waitFor(
        () => (replies() >= expected ? true : undefined),
        () => `${count * kind.repliesEach} answers to ${kind.name} (got ${replies() - before})`,
        60_000,
      );
    }
    await sleep(100);
    const cpuAfter = await mainThreadCpuMs(target.pid);
    return { latencies, cpuMs: (cpuAfter ?? Number.NaN) - (cpuBefore ?? Number.NaN) };
  };

  // Warm-up, not counted: the first requests of each kind compile their code paths.
  for (const kind of KINDS) {
    await burstTo(setup.floor, kind, 50);
    await burstTo(setup.app, kind, 50);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of KINDS) {
      const figures = samples.get(kind.name);
      if (!figures) continue;
      // Alternate which goes first, so neither is always the one running just after the other.
      const order = round % 2 === 0 ? (["floor", "app"] as const) : (["app", "floor"] as const);
      for (const which of order) {
        const { latencies, cpuMs } = await burstTo(setup[which], kind, BURST);
        figures[which].push(...latencies);
        const spent = cpu.get(kind.name);
        if (spent) spent[which] += cpuMs;
      }
    }
  }
  client.stop();

  const rows = KINDS.map((kind): Row => {
    const figures = samples.get(kind.name) ?? { app: [], floor: [] };
    const app = [...figures.app].sort((a, b) => a - b);
    const floor = [...figures.floor].sort((a, b) => a - b);
    const p50 = { app: percentile(app, 50), floor: percentile(floor, 50) };
    const p99 = { app: percentile(app, 99), floor: percentile(floor, 99) };
    const ratio = { p50: p50.app / p50.floor, p99: p99.app / p99.floor };
    const spent = cpu.get(kind.name) ?? { app: Number.NaN, floor: Number.NaN };
    const cpuUsPerRequest = {
      app: (spent.app * 1000) / app.length,
      floor: (spent.floor * 1000) / floor.length,
    };
    return {
      benchmark: `ack: ${kind.name}, ${BURST} at once × ${ROUNDS} rounds`,
      median: ms(p50.app),
      p99: ms(p99.app),
      floor: `${ms(p50.floor)} / ${ms(p99.floor)}`,
      ratio: `${times(ratio.p50)} / ${times(ratio.p99)}`,
      target: `p50 and p99 ≤ ${TARGET_RATIO}× floor`,
      met: ratio.p50 <= TARGET_RATIO && ratio.p99 <= TARGET_RATIO,
      data: {
        requests: app.length,
        p50,
        p99,
        ratio,
        maxMs: { app: app.at(-1), floor: floor.at(-1) },
        cpuUsPerRequest,
      },
    };
  });
  const notes = rows.map((row) => {
    const { app, floor } = row.data.cpuUsPerRequest as { app: number; floor: number };
    return (
      `${row.benchmark.split(",")[0]}: main-thread CPU ${app.toFixed(0)} µs a request ` +
      `(its work after the ack included) vs the floor's ${floor.toFixed(0)} µs (${times(app / floor)})`
    );
  });
  return { rows, notes };
}
