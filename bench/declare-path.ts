import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { Connection } from "mongoose";
import type { CallRecord, FakeSlack } from "../test/support/fake-slack/server.ts";
import { SlackDriver } from "../test/support/slack-driver.ts";
import type { ChildApp } from "./processes.ts";
import { ms, type Row, times } from "./report.ts";
import { percentile, waitFor, wallClockMs } from "./stats.ts";

/**
 * The declare critical path with Slack answering every call after 50 ms: from the signed `/incident declare`
 * to the kickoff message existing in the new channel (the fake's answer to that chat.postMessage), and how
 * many Slack calls ran one after another on the way (from the fake's call log). Floor: the two calls that
 * cannot be avoided (create the channel, then post in it) plus one database insert, timed alone between
 * the declarations.
 */

export const SLACK_LATENCY_MS = 50;
const DECLARES = 12;
const INSERTS_EACH = 5;
const TARGET_RATIO = 1.3;
/** The kickoff's action block, which no other message carries. */
const KICKOFF_BLOCK = '"incident_kickoff_actions"';

export interface DeclareSetup {
  app: ChildApp;
  slack: FakeSlack;
  signingSecret: string;
  declarer: { id: string; name: string };
  /** The bench's own connection to the app's database, for the insert floor. */
  connection: Connection;
}

export interface DeclareFigures {
  rows: Row[];
  /** The channel of the last incident declared, for `/incident status` in it. */
  lastChannel: string;
}

/** The longest run of calls, each starting after the previous one ended, that ends with `last`. */
export function sequentialChain(calls: readonly CallRecord[], last: CallRecord): CallRecord[] {
  const before = calls.filter((c) => c.endedAt <= last.startedAt).sort((a, b) => a.startedAt - b.startedAt);
  const chains = new Map<CallRecord, CallRecord[]>();
  for (const call of before) {
    const longest = before
      .filter((p) => p.endedAt <= call.startedAt)
      .map((p) => chains.get(p) ?? [])
      .reduce((a, b) => (b.length > a.length ? b : a), [] as CallRecord[]);
    chains.set(call, [...longest, call]);
  }
  const longest = [...chains.values()]
    .filter((chain) => (chain.at(-1)?.endedAt ?? 0) <= last.startedAt)
    .reduce((a, b) => (b.length > a.length ? b : a), [] as CallRecord[]);
  return [...longest, last];
}

/**
 * Waits until the fake Slack has taken no call for `quietMs` (longer than the poller's second), so one
 * declaration's tail (queued announcements, App Home refreshes) is not counted in the next one's path.
 */
async function settle(slack: FakeSlack, quietMs = 1_500): Promise<void> {
  for (let seen = -1; seen !== slack.calls.length; ) {
    seen = slack.calls.length;
    await sleep(quietMs);
  }
}

/** One `/incident declare`, to its "declared" answer: the Slack calls made since it was sent, and the kickoff. */
export async function declareOnce(
  setup: Omit<DeclareSetup, "connection">,
  title: string,
): Promise<{ sentAt: number; calls: CallRecord[]; kickoff: CallRecord }> {
  const { slack } = setup;
  const send = new SlackDriver(`${setup.app.url}/slack/events`, setup.signingSecret);
  const responseId = `bench-declare-${title}`;
  const firstCall = slack.calls.length;
  const sentAt = wallClockMs();
  const acked = await send.slashCommand({
    command: "/incident",
    text: `declare sev3 ${title}`,
    user: setup.declarer,
    channelId: "C0BENCHGENERAL",
    responseUrl: slack.responseUrl(responseId),
    triggerId: slack.newTriggerId(setup.declarer.id),
  });
  if (acked.status !== 200) throw new Error(`declaring "${title}" was answered ${acked.status}`);
  await waitFor(
    () =>
      slack.responses.find(
        (r) => r.id === responseId && /INC-\d+ declared/.test(String((r.body as { text?: unknown }).text)),
      ),
    () => `the "declared" answer to "${title}"`,
    30_000,
  );
  const calls = slack.calls.slice(firstCall).filter((c) => c.startedAt >= sentAt);
  const kickoff = calls.find(
    (c) => c.method === "chat.postMessage" && c.ok && JSON.stringify(c.args.blocks).includes(KICKOFF_BLOCK),
  );
  if (!kickoff) throw new Error(`declaring "${title}" posted no kickoff message`);
  return { sentAt, calls, kickoff };
}

export async function measureDeclarePath(setup: DeclareSetup): Promise<DeclareFigures> {
  const { slack } = setup;
  const scratch = setup.connection.collection("bench_insert_floor");
  const totals: number[] = [];
  const inserts: number[] = [];
  const chains: string[][] = [];
  let lastChannel = "";
  slack.setLatency(SLACK_LATENCY_MS);
  try {
    for (let i = 0; i <= DECLARES; i++) {
      await settle(slack);
      for (let k = 0; k < INSERTS_EACH; k++) {
        const t = performance.now();
        await scratch.insertOne({ declare: i, k, at: new Date() });
        if (i > 0) inserts.push(performance.now() - t);
      }
      const { sentAt, calls, kickoff } = await declareOnce(setup, `Bench declaration ${i}`);
      lastChannel = String(kickoff.args.channel);
      // The first declaration warms the path up and is not counted.
      if (i === 0) continue;
      totals.push(kickoff.endedAt - sentAt);
      chains.push(sequentialChain(calls, kickoff).map((c) => c.method));
    }
  } finally {
    slack.setLatency(0);
  }
  totals.sort((a, b) => a - b);
  inserts.sort((a, b) => a - b);
  const insert = percentile(inserts, 50);
  const floor = 2 * SLACK_LATENCY_MS + insert;
  const median = percentile(totals, 50);
  const counts = chains.map((c) => c.length).sort((a, b) => a - b);
  const typical = chains.find((c) => c.length === percentile(counts, 50)) ?? [];
  return {
    lastChannel,
    rows: [
      {
        benchmark: `declare: request → kickoff in channel (Slack ${SLACK_LATENCY_MS} ms/call), ×${DECLARES}`,
        median: ms(median),
        p99: ms(percentile(totals, 99)),
        floor: `${ms(floor)} (2×${SLACK_LATENCY_MS} + insert ${ms(insert)})`,
        ratio: times(median / floor),
        target: `≤ ${TARGET_RATIO}× floor`,
        met: median / floor <= TARGET_RATIO,
        data: { totalsMs: totals, insertMs: insert, floorMs: floor, ratio: median / floor },
      },
      {
        benchmark: "declare: sequential Slack calls up to the kickoff",
        median: String(percentile(counts, 50)),
        p99: String(counts.at(-1) ?? Number.NaN),
        floor: "2",
        ratio: times(percentile(counts, 50) / 2),
        target: "2 (create, then post)",
        met: (counts.at(-1) ?? Number.POSITIVE_INFINITY) <= 2,
        data: { counts, typical: typical.join(" → ") },
      },
    ],
  };
}
