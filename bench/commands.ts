import { performance } from "node:perf_hooks";
import type { BenchApp } from "./harness.ts";
import { fmt, perSecond, summarize, timeConcurrently, waitFor, wallClockMs } from "./stats.ts";

/**
 * Slash commands through the real signed HTTP receiver. Slack gives an app 3 s to ack; `help` answers in
 * the ack itself, `declare` acks at once and then answers on the command's response_url.
 */

const HELP_REQUESTS = 1_000;
const HELP_CONCURRENCY = 10;
const DECLARES = 20;
/** Slack shows the user an error when a slash command is not acked within this. */
const SLACK_ACK_BUDGET_MS = 3_000;

export const INCIDENTS_CHANNEL = "C0BENCHINCIDENTS";
const DECLARER = { id: "U0BENCHDECL", name: "alice" };

/**
 * Declarations here are deliberately alike ("Bench incident <i>"): with the duplicate window at 0 the
 * check still runs, but finds nothing, so each one is declared rather than held back by the warning.
 */
export const DECLARE_ENV = { INCIDENTS_CHANNEL, DUPLICATE_WINDOW_MINUTES: "0" };

/** The announcements channel with the bot in it, and the person who declares. */
export function seedIncidentWorkspace(app: BenchApp): void {
  app.slack.addChannel({ id: INCIDENTS_CHANNEL, name: "incidents", members: [app.slack.state.bot.user_id] });
  app.slack.addUser(DECLARER);
}

export async function measureHelp(app: BenchApp): Promise<void> {
  const { latencies, seconds } = await timeConcurrently(HELP_REQUESTS, HELP_CONCURRENCY, async () => {
    const response = await app.send.slashCommand({
      command: "/incident",
      text: "help",
      responseUrl: app.slack.responseUrl(),
      triggerId: app.slack.newTriggerId(),
    });
    if (response.status !== 200) throw new Error(`help answered ${response.status}`);
  });
  console.log(
    `/incident help x${HELP_REQUESTS} (concurrency ${HELP_CONCURRENCY}): ` +
      `${summarize(latencies, [50, 95, 99])}, max ${fmt(latencies.at(-1) ?? Number.NaN)}, ` +
      `${perSecond(HELP_REQUESTS, seconds, "req")}`,
  );
}

/** One `/incident declare` after another: the ack's latency, then the time from the ack to "declared". */
export async function measureDeclare(app: BenchApp): Promise<void> {
  const acks: number[] = [];
  const declared: number[] = [];
  for (let i = 1; i <= DECLARES; i++) {
    const responseId = `bench-declare-${i}`;
    const t0 = performance.now();
    const response = await app.send.slashCommand({
      command: "/incident",
      text: `declare sev3 Bench incident ${i}`,
      user: DECLARER,
      channelId: "C0BENCHGENERAL",
      responseUrl: app.slack.responseUrl(responseId),
      triggerId: app.slack.newTriggerId(DECLARER.id),
    });
    const ackedAt = wallClockMs();
    acks.push(performance.now() - t0);
    if (response.status !== 200) throw new Error(`declare ${i} answered ${response.status}`);
    const answer = await waitFor(
      () =>
        app.slack.responses.find(
          (r) => r.id === responseId && /INC-\d+ declared/.test(String((r.body as { text?: unknown }).text)),
        ),
      () =>
        `the "declared" answer to declare ${i} (answers so far: ${JSON.stringify(
          app.slack.responses.filter((r) => r.id === responseId).map((r) => r.body),
        )})`,
    );
    declared.push(answer.receivedAt - ackedAt);
  }
  acks.sort((a, b) => a - b);
  declared.sort((a, b) => a - b);
  const slowest = acks.at(-1) ?? 0;
  if (slowest >= SLACK_ACK_BUDGET_MS)
    throw new Error(`declare: an ack took ${fmt(slowest)}, over Slack's 3 s`);
  console.log(
    `/incident declare x${DECLARES} (one at a time): ack ${summarize(acks, [50, 95])} (Slack allows 3 s); ` +
      `ack → "declared" answer ${summarize(declared, [50, 95])}, max ${fmt(declared.at(-1) ?? Number.NaN)}`,
  );
}
