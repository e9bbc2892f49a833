import type { AppContext } from "../context.ts";
import { withCorrelation } from "../correlation.ts";
import type { IncomingAlert } from "../domain/alert.ts";
import { type Route, routeAlert } from "../domain/alert-routing.ts";
import { type Hold, maintenanceHolds, noteHeldAlert } from "../maintenance/suppression.ts";
import { recordFiring } from "../store/alert-firings.ts";
import { openedHereHint } from "../store/alert-pointers.ts";
import type { Alert } from "../store/alerts.ts";
import { reserveDeliverySeq } from "../store/deliveries.ts";
import { afterAlertStopped } from "./alert-changes.ts";
import { type ArrivalOrder, queueAlertPost, queueAlertRefresh } from "./alert-messages.ts";
import { queueDeclareFromAlert } from "./auto-declare.ts";
import { queueFirstStepPages } from "./paging.ts";

/**
 * What happens to alerts that passed the webhook's checks, before it answers: each is recorded
 * (deduplicated by fingerprint) and its Slack work queued, nothing more, so the sender is answered in the
 * time the database takes. A first firing is routed (channel, paging, incident): its post and any
 * auto-declare are queued; a first escalation step due at once that names people is recorded as fired on
 * the new alert and its pages queued here, any other is due on the alert (the escalation job pages);
 * a repeat or a resolution queues an edit of its message (the store disarms a resolved alert's timer, and
 * a resolution takes its pages still waiting off the queue).
 * A new alert's work is queued by the store as soon as the alert is stored (`queueWork`), and again for an
 * alert whose first firing died before its pointer was written (the sender retries the 503 it got): the
 * pointer, written once the work is queued, goes on after the answer (`trailing`).
 * A first firing on a service under maintenance is recorded and posted, but pages and declares nothing.
 *
 * Returns each alert's outcome, in order. The alerts go side by side, so each stage's writes (alerts, timer
 * entries, queued work, pointers) go out together as one command for all of them (src/store/group-commit.ts)
 * rather than one alert's after another's; alerts of one source and fingerprint go one after another, in
 * order (a firing and its resolution). One alert failing does not stop the others.
 */
export async function recordAlerts(
  ctx: AppContext,
  alerts: readonly IncomingAlert[],
  options: {
    /** Each alert's request's, for its log lines (src/alerts/intake-batch.ts). */
    correlationIds?: readonly (string | undefined)[];
    /** Takes the writes that go on after the answer (new alerts' pointers): shutdown waits for them. */
    trailing: (work: Promise<void>) => void;
  },
): Promise<PromiseSettledResult<void>[]> {
  // One read by `_id` for the whole batch: the approved maintenance windows.
  const holdFor = await maintenanceHolds(ctx);
  const previous = new Map<string, Promise<void>>();
  return Promise.allSettled(
    alerts.map((incoming, index) => {
      const key = `${incoming.source}:${incoming.fingerprint}`;
      const id = options.correlationIds?.[index];
      const take = () =>
        id === undefined
          ? takeAlert(ctx, incoming, holdFor, options.trailing)
          : withCorrelation(id, () => takeAlert(ctx, incoming, holdFor, options.trailing));
      const taken = (previous.get(key) ?? Promise.resolve()).then(take, take);
      previous.set(key, taken);
      return taken;
    }),
  );
}

/**
 * Repeats of alerts this process opened, as far as it knows: their reads (the claim, the counted alert) are
 * `_id` lookups that no batch makes fewer, so they need not wait for one (src/alerts/intake-batch.ts).
 */
export const onlyRepeats = (alerts: readonly IncomingAlert[]): boolean =>
  alerts.every((alert) => alert.status === "firing" && openedHereHint(alert.source, alert.fingerprint));

async function takeAlert(
  ctx: AppContext,
  incoming: IncomingAlert,
  holdFor: (service: string) => Hold | undefined,
  trailing: (work: Promise<void>) => void,
): Promise<void> {
  // Taken before the first write, so its queued work keeps the order the alerts arrived in.
  const order = { at: ctx.clock.now(), seq: reserveDeliverySeq() };
  const route = routeAlert(ctx.config.alerts.routing, incoming, ctx.config.alerts.escalationPolicy);
  const hold = incoming.status === "firing" ? holdFor(incoming.service) : undefined;
  const outcome = await recordFiring(ctx.store.models, incoming, {
    now: order.at,
    paging: route.page,
    policy: route.policy,
    ...(hold && { suppressedBy: hold }),
    firstStepNow: true,
    queueWork: (alert) => queueNewAlertWork(ctx, alert, { route, hold, order }),
    trailing,
  });
  ctx.metrics.alertReceived(incoming.source);
  if (outcome.kind === "repeated") ctx.metrics.alertDeduplicated(incoming.source);
  if (outcome.kind === "ignored") {
    ctx.logger.info(
      { source: incoming.source, fingerprint: incoming.fingerprint, reason: outcome.reason },
      "alert ignored",
    );
    return;
  }
  if (outcome.kind === "opened") return;
  await (outcome.kind === "resolved"
    ? afterAlertStopped(ctx, outcome.alert)
    : queueAlertRefresh(ctx, outcome.alert));
}

/** A new alert's Slack work: its post, its first step's pages when due at once, and any auto-declare. */
async function queueNewAlertWork(
  ctx: AppContext,
  alert: Alert,
  { route, hold, order }: { route: Route; hold: Hold | undefined; order: ArrivalOrder },
): Promise<void> {
  if (hold) await noteHeldAlert(ctx, alert, hold);
  // Queued together: one batched insert (src/store/insert-record.ts).
  await Promise.all([
    queueAlertPost(ctx, alert, route.channel, order),
    queueFirstStepPages(ctx, alert, order),
  ]);
  if (route.declare && !hold) await queueDeclareFromAlert(ctx, alert, route.declare);
}
