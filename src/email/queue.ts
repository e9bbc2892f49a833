import type { AppContext } from "../context.ts";
import { emailKindOf, publicEmail } from "../domain/email.ts";
import { newReference } from "../reference.ts";
import { claimFirstEmail, queueEmail, subscribersOf, withoutOptOuts } from "../store/email.ts";
import type { PublicFields, PublicUpdate } from "../store/status-page.ts";
import { unsubscribeUrl } from "./links.ts";

/**
 * Queues one e-mail per subscriber (of the incident's services, and the configured defaults) for a public
 * update just shown on the status page: the declaration, an update, the resolution. The job in
 * src/jobs/email.ts sends them. Off while SMTP_URL is unset. Never throws: the status page and Slack go on.
 */
export async function queuePublicEmails(
  ctx: AppContext,
  incidentId: string,
  incident: Pick<PublicFields, "name" | "severity" | "services">,
  update: PublicUpdate,
): Promise<void> {
  const { email, statusPage } = ctx.config;
  if (!email.smtpUrl) return;
  try {
    const { models } = ctx.store;
    const subscribed = await subscribersOf(models, incident.services);
    const recipients = await withoutOptOuts(models, [
      ...new Set([...email.defaultSubscribers, ...subscribed]),
    ]);
    const dueAt = ctx.clock.now();
    const kind = emailKindOf(update.key);
    for (const to of recipients) {
      const unsubscribe = unsubscribeUrl(ctx, to);
      // Someone's first e-mail about an incident opens it ([INCIDENT]), whichever update it comes with:
      // they subscribed late, or an update is what made it public.
      const first = await claimFirstEmail(models, incidentId, to);
      const message = publicEmail({
        kind: first && kind === "update" ? "initial" : kind,
        severity: incident.severity,
        name: incident.name,
        body: update.body,
        statusPageUrl: statusPage.url,
        unsubscribeUrl: unsubscribe,
      });
      await queueEmail(models, {
        _id: `${incidentId}:${update.key}:${to}`,
        incidentId,
        to,
        ...message,
        dueAt,
        attempts: 0,
        unsubscribeUrl: unsubscribe,
      });
    }
  } catch (error) {
    const ref = newReference();
    ctx.logger.error({ err: error, ref, incidentId: incidentId }, "queueing e-mails failed");
  }
}
