import { performance } from "node:perf_hooks";
import { TestClock } from "../test/support/clock.ts";
import {
  type BenchApp,
  type Cleanup,
  postGenericAlert,
  postsTo,
  startBenchApp,
  WEBHOOK_SECRET,
} from "./harness.ts";
import { fmt, perSecond, summarize, timeConcurrently } from "./stats.ts";

/**
 * Alerts: intake through the real webhook (parse, deduplicate, record and queue the Slack work, all before
 * the 202; the posts and pages go out from the queue after), and the escalation timer's throughput when
 * many alerts fall due in the same poller pass.
 */

const INTAKE_ALERTS = 200;
const INTAKE_CONCURRENCY = 5;
const ESCALATION_ALERTS = 200;
const ARM_CONCURRENCY = 5;

export const ALERTS_CHANNEL = "C0BENCHALERTS";
const L1 = { id: "U0BENCHL1", name: "primary" };
const L2 = { id: "U0BENCHL2", name: "secondary" };
const POLICY = {
  levels: [
    { afterMinutes: 0, targets: [L1.id] },
    { afterMinutes: 15, targets: [L2.id] },
  ],
};

/** The environment that turns alerts on: a channel, a webhook secret and a two-level policy. */
export const ALERT_ENV = {
  ALERTS_CHANNEL,
  ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
  ESCALATION_POLICY: JSON.stringify(POLICY),
};

/** The alerts channel with the bot in it, and the people the policy pages. */
export function seedAlertWorkspace(app: BenchApp): void {
  app.slack.addChannel({ id: ALERTS_CHANNEL, name: "alerts", members: [app.slack.state.bot.user_id] });
  for (const person of [L1, L2]) app.slack.addUser(person);
}

const benchAlert = (kind: string, index: number) => ({
  title: `Bench ${kind} ${index}`,
  severity: "critical",
  service: "checkout",
  fingerprint: `bench-${kind}-${index}`,
});

/** N distinct critical alerts at a fixed concurrency; each 202 comes once the alert is stored and its post queued. */
export async function measureAlertIntake(app: BenchApp): Promise<void> {
  const { models } = app.firebreak.store;
  const isBench = { fingerprint: /^bench-intake-/ };
  const { latencies, seconds } = await timeConcurrently(INTAKE_ALERTS, INTAKE_CONCURRENCY, (i) =>
    postGenericAlert(app, benchAlert("intake", i)),
  );
  const stored = await models.alerts.countDocuments(isBench);
  if (stored !== INTAKE_ALERTS)
    throw new Error(`alert intake: ${stored} alerts stored for ${INTAKE_ALERTS} accepted`);
  console.log(
    `alert intake x${INTAKE_ALERTS} (concurrency ${INTAKE_CONCURRENCY}, webhook → 202): ` +
      `${summarize(latencies, [50, 95, 99])}, max ${fmt(latencies.at(-1) ?? Number.NaN)}, ` +
      `${perSecond(INTAKE_ALERTS, seconds, "alerts")}; ${stored} stored, their posts and pages queued`,
  );
}

/**
 * M alerts armed at the same moment, so their L2 step falls due together; the clock moves 15 minutes and
 * one poller pass fires every step. Runs on its own app, database and fake Slack, with a TestClock.
 */
export async function measureEscalation(cleanup: Cleanup, mongodbUri: string): Promise<void> {
  const clock = new TestClock();
  const app = await startBenchApp(cleanup, { mongodbUri, env: ALERT_ENV, clock });
  seedAlertWorkspace(app);
  const armed = await timeConcurrently(ESCALATION_ALERTS, ARM_CONCURRENCY, (i) =>
    postGenericAlert(app, benchAlert("escalation", i)),
  );
  // Only the passes timed here: the background poller would otherwise take the due steps on its own.
  await app.firebreak.poller.stop();
  // The steps queue their pages, and the delivery job sends them a second apart per person: which alert
  // each L2 page is for, sent (by the alert id its buttons carry) or still queued.
  const l2Pages = async (ids: string[]) => {
    const sent = postsTo(app.slack, L2.id, { threads: true }).map((page) => {
      const blocks = JSON.stringify(page.args.blocks);
      return ids.find((candidate) => blocks.includes(`"${candidate}"`)) ?? "(no alert id)";
    });
    const queued = await app.firebreak.store.models.deliveries
      .find({ kind: "page", channel: L2.id }, { payload: 1 })
      .lean();
    return [...sent, ...queued.map((page) => String(page.payload.alertId))];
  };
  if ((await l2Pages([])).length !== 0) throw new Error("escalation: L2 was paged before its time");

  clock.advance(15 * 60_000);
  const t0 = performance.now();
  await app.firebreak.poller.tick();
  const ms = performance.now() - t0;
  // A second pass must find nothing left to fire.
  await app.firebreak.poller.tick();

  const ids = (await app.firebreak.store.models.alerts.find({}, { _id: 1 }).lean()).map((a) => String(a._id));
  const perAlert = new Map<string, number>();
  const pages = await l2Pages(ids);
  for (const id of pages) perAlert.set(id, (perAlert.get(id) ?? 0) + 1);
  const once = [...perAlert.values()].filter((count) => count === 1).length;
  if (ids.length !== ESCALATION_ALERTS || once !== ESCALATION_ALERTS || perAlert.size !== ESCALATION_ALERTS)
    throw new Error(
      `escalation: ${pages.length} L2 pages for ${ids.length} stored alerts ` +
        `(${once} paged exactly once, ${perAlert.size} paged at all)`,
    );
  console.log(
    `escalation x${ESCALATION_ALERTS} (L2 due together, one poller pass): ${fmt(ms)} in all, ` +
      `${perSecond(ESCALATION_ALERTS, ms / 1000, "steps")}, ${fmt(ms / ESCALATION_ALERTS)} per step; ` +
      `every alert paged L2 exactly once, sent or queued (arming took ${armed.seconds.toFixed(1)} s via the webhook)`,
  );
}
