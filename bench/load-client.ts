/**
 * The benches' load generator, forked (bench/load-generator.ts) so that sending and timing requests never
 * shares an event loop with the fake Slack (which takes the bot's replies) or with what is measured.
 * - A burst (the ack bench): every Slack request is built and signed first, then all are sent at once and
 *   each is timed from its send to the end of its answer.
 * - A stream (the scale bench's alert intake): POSTs of the given bodies, `concurrency` at a time, each
 *   timed; every one must be answered with `status`.
 */
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";
import { API_APP_ID, signSlackRequest, TEAM } from "../test/support/slack-driver.ts";
import { blockActions } from "../test/support/slack-payloads.ts";
import { type Timed, timeConcurrently } from "./stats.ts";

export type BurstRequest =
  | { kind: "command"; text: string; channelId: string; userId: string; responseUrl: string }
  | {
      kind: "click";
      actionId: string;
      value: string;
      channelId: string;
      ts: string;
      userId: string;
      responseUrl: string;
    };

export interface Burst {
  kind: "burst";
  url: string;
  signingSecret: string;
  requests: BurstRequest[];
}

export interface Stream {
  kind: "stream";
  url: string;
  headers: Record<string, string>;
  bodies: string[];
  concurrency: number;
  /** The answer every request must get. */
  status: number;
}

export type LoadResult = { ok: true; timed: Timed } | { ok: false; error: string };

let triggers = 0;

function bodyOf(request: BurstRequest): string {
  const triggerId = `bench.${process.pid}.${++triggers}`;
  if (request.kind === "command") {
    return new URLSearchParams({
      token: "deprecated-verification-token",
      team_id: TEAM.id,
      team_domain: TEAM.domain,
      channel_id: request.channelId,
      channel_name: "bench",
      user_id: request.userId,
      user_name: request.userId,
      command: "/incident",
      text: request.text,
      api_app_id: API_APP_ID,
      is_enterprise_install: "false",
      response_url: request.responseUrl,
      trigger_id: triggerId,
    }).toString();
  }
  const payload = {
    team: { id: TEAM.id, domain: TEAM.domain },
    api_app_id: API_APP_ID,
    token: "deprecated",
    ...blockActions({
      user: { id: request.userId },
      actionId: request.actionId,
      value: request.value,
      message: { channelId: request.channelId, ts: request.ts },
      triggerId,
      responseUrl: request.responseUrl,
    }),
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/**
 * One POST and its whole answer, over `agent`. Plain `node:http` rather than `fetch`: this process shares the
 * machine's cores with the app it measures, and `fetch` spent about three times the CPU a request (1.4–1.6
 * ms an alert against the app's 3), CPU the app then lacked.
 */
function post(
  url: string,
  agent: Agent,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    const sent = request(url, { method: "POST", agent, headers, timeout: 15_000 }, (answer) => {
      let text = "";
      answer.setEncoding("utf8");
      answer.on("data", (chunk: string) => {
        text += chunk;
      });
      answer.on("end", () => done({ status: answer.statusCode ?? 0, text }));
      answer.on("error", fail);
    });
    sent.on("timeout", () => sent.destroy(new Error("no answer in 15 s")));
    sent.on("error", fail);
    sent.end(body);
  });
}

/** Every target's requests go over kept-alive sockets, as many as a burst needs. */
const burstAgent = new Agent({ keepAlive: true });

async function runBurst(burst: Burst): Promise<Timed> {
  const timestamp = Math.floor(Date.now() / 1000);
  const prepared = burst.requests.map((request) => {
    const body = bodyOf(request);
    return {
      body,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": signSlackRequest(burst.signingSecret, timestamp, body),
      },
    };
  });
  const started = performance.now();
  const latencies = await Promise.all(
    prepared.map(async ({ body, headers }) => {
      const t0 = performance.now();
      const { status } = await post(burst.url, burstAgent, headers, body);
      const ms = performance.now() - t0;
      if (status !== 200) throw new Error(`a request was answered ${status}`);
      return ms;
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

/** One socket for each concurrent request, kept alive. */
function runStream(stream: Stream): Promise<Timed> {
  const agent = new Agent({ keepAlive: true, maxSockets: stream.concurrency });
  return timeConcurrently(stream.bodies.length, stream.concurrency, async (index) => {
    const { status, text } = await post(stream.url, agent, stream.headers, stream.bodies[index] ?? "");
    if (status !== stream.status) throw new Error(`a request was answered ${status}: ${text.slice(0, 200)}`);
  }).finally(() => agent.destroy());
}

process.on("message", (load: Burst | Stream) => {
  (load.kind === "burst" ? runBurst(load) : runStream(load)).then(
    (timed) => process.send?.({ ok: true, timed } satisfies LoadResult),
    (error: unknown) => process.send?.({ ok: false, error: String(error) } satisfies LoadResult),
  );
});
