import type { AppContext } from "../context.ts";
import type { IncomingAlert } from "../domain/alert.ts";
import { routeAlert } from "../domain/alert-routing.ts";
import { maintenanceHolds, noteHeldAlert } from "../maintenance/suppression.ts";
import { noteAlertWorkQueued, recordFiring } from "../store/alerts.ts";
import { queueAlertPost, queueAlertRefresh } from "./alert-messages.ts";
import { queueDeclareFromAlert } from "./auto-declare.ts";
import { queueFirstStepPages } from "./paging.ts";

/**
 * What happens to alerts that passed the webhook's checks, before it answers: each is recorded
 * (deduplicated by fingerprint) and its Slack work queued, nothing more, so the sender is answered in the
 * time the database takes. A first firing is routed (channel, paging, incident): its post and any
 * auto-declare are queued; a first escalation step due at once that names people is recorded as fired on
 * the new alert and its pages queued here, any other is due on the alert (the escalation job pages);
 * a repeat or a resolution queues an edit of its message (the store disarms a resolved alert's timer).
 * A repeat whose first firing stored it but died before queueing its work (the sender retries the 503 it
 * got) queues that work now; the open claim keeps the mark.
 * A first firing on a service under maintenance is recorded and posted, but pages and declares nothing.
 */
export async function handleIncomingAlerts(
  ctx: AppContext,
  alerts: readonly IncomingAlert[],
): Promise<{ accepted: number }> {
  // One read by `_id` for the whole batch: the approved maintenance windows.
  const holdFor = await maintenanceHolds(ctx);
  for (const incoming of alerts) {
    const route = routeAlert(ctx.config.alerts.routing, incoming, ctx.config.alerts.escalationPolicy);
    const hold = incoming.status === "firing" ? holdFor(incoming.service) : undefined;
    const outcome = await recordFiring(ctx.store.models, incoming, {
      now: ctx.clock.now(),
      paging: route.page,
      policy: route.policy,
      ...(hold && { suppressedBy: hold }),
      firstStepNow: true,
    });
    ctx.metrics.alertReceived(incoming.source);
    if (outcome.kind === "repeated") ctx.metrics.alertDeduplicated(incoming.source);
    if (outcome.kind === "ignored") {
      ctx.logger.info(
        { source: incoming.source, fingerprint: incoming.fingerprint, reason: outcome.reason },
        "alert ignored",
      );
      continue;
    }
    if (outcome.kind === "opened" || (outcome.kind === "repeated" && !outcome.workQueued)) {
      if (hold) await noteHeldAlert(ctx, outcome.alert, hold);
      // Queued together: one batched insert (src/store/insert-record.ts).
      await Promise.all([
        queueAlertPost(ctx, outcome.alert, route.channel),
        queueFirstStepPages(ctx, outcome.alert),
      ]);
      if (route.declare && !hold) await queueDeclareFromAlert(ctx, outcome.alert, route.declare);
      await noteAlertWorkQueued(ctx.store.models, outcome.alert);
      continue;
    }
    await queueAlertRefresh(ctx, outcome.alert);
  }
  return { accepted: alerts.length };
}
