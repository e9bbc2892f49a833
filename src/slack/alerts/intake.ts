import type { IncomingAlert } from "../../domain/alert.ts";
import { PAGING_SEVERITIES } from "../../domain/escalation.ts";
import { recordFiring } from "../../store/alerts.ts";
import type { AlertContext } from "./alert-context.ts";
import { postAlertMessage, refreshAlertMessage } from "./alert-messages.ts";
import { fireNextStep } from "./escalation.ts";

/**
 * What happens to alerts that passed the webhook's checks: a first firing is posted and, if its severity
 * pages, its first level is paged at once; a repeat edits the message; a resolution edits it and the timer
 * is disarmed by the store.
 */
export async function handleIncomingAlerts(
  ctx: AlertContext,
  alerts: readonly IncomingAlert[],
): Promise<{ accepted: number }> {
  for (const incoming of alerts) {
    const outcome = await recordFiring(ctx.store.models, incoming, {
      now: ctx.clock.now(),
      paging: PAGING_SEVERITIES.includes(incoming.severity),
      policy: ctx.config.alerts.escalationPolicy,
    });
    if (outcome.kind === "ignored") {
      ctx.logger.info(
        { source: incoming.source, fingerprint: incoming.fingerprint, reason: outcome.reason },
        "alert ignored",
      );
      continue;
    }
    if (outcome.kind === "opened") {
      const posted = await postAlertMessage(ctx, outcome.alert);
      const due = posted.nextDueAt && posted.nextDueAt.getTime() <= ctx.clock.now().getTime();
      if (due) await fireNextStep(ctx, posted);
      continue;
    }
    await refreshAlertMessage(ctx, outcome.alert);
  }
  return { accepted: alerts.length };
}
