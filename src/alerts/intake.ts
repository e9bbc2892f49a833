import type { AppContext } from "../context.ts";
import type { IncomingAlert } from "../domain/alert.ts";
import { routeAlert } from "../domain/alert-routing.ts";
import { recordFiring } from "../store/alerts.ts";
import { postAlertMessage, refreshAlertMessage } from "./alert-messages.ts";
import { declareFromAlert } from "./auto-declare.ts";
import { fireNextStep } from "./escalation-steps.ts";

/**
 * What happens to alerts that passed the webhook's checks: a first firing is routed (channel, paging,
 * incident), posted and, if it pages, its first level is paged at once; a repeat edits the message; a
 * resolution edits it and the timer is disarmed by the store.
 */
export async function handleIncomingAlerts(
  ctx: AppContext,
  alerts: readonly IncomingAlert[],
): Promise<{ accepted: number }> {
  for (const incoming of alerts) {
    const route = routeAlert(ctx.config.alerts.routing, incoming, ctx.config.alerts.escalationPolicy);
    const outcome = await recordFiring(ctx.store.models, incoming, {
      now: ctx.clock.now(),
      paging: route.page,
      policy: route.policy,
    });
    if (outcome.kind === "ignored") {
      ctx.logger.info(
        { source: incoming.source, fingerprint: incoming.fingerprint, reason: outcome.reason },
        "alert ignored",
      );
      continue;
    }
    if (outcome.kind === "opened") {
      const posted = await postAlertMessage(ctx, outcome.alert, route.channel);
      const due = posted.nextDueAt && posted.nextDueAt.getTime() <= ctx.clock.now().getTime();
      if (due) await fireNextStep(ctx, posted);
      if (route.declare) await declareFromAlert(ctx, posted, route.declare);
      continue;
    }
    await refreshAlertMessage(ctx, outcome.alert);
  }
  return { accepted: alerts.length };
}
