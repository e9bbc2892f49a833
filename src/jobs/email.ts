import { createTransport } from "nodemailer";
import type { AppContext } from "../context.ts";
import { EMAIL_MAX_ATTEMPTS, emailRetryDelayMs } from "../domain/email.ts";
import { SYSTEM_ACTOR } from "../domain/timeline.ts";
import { newReference } from "../reference.ts";
import { claimOnce } from "../store/claims.ts";
import { dueEmails, markAttempt, type QueuedEmail, removeEmail } from "../store/email.ts";
import { appendEvent } from "../store/timeline.ts";
import type { DueJob } from "./poller.ts";

/** E-mails sent per pass: a long outbox drains over a few seconds instead of holding up the other jobs. */
const BATCH = 20;

/**
 * Sends the queued stakeholder e-mails through SMTP. Each attempt is claimed under
 * `email:<id>:<attempt>`, so with several processes one of them sends it; the claimer first moves the
 * e-mail's due time to the retry time, which is also the lease: if it dies mid-send, another process tries
 * again then. A failed attempt waits (1, 2, 4… minutes); after the last, the failure is noted on the
 * incident's timeline with a reference, the SMTP detail only in the log.
 */
export function emailJob(ctx: AppContext, smtpUrl: string): DueJob {
  const transport = createTransport(smtpUrl);
  const send = async (email: QueuedEmail, now: Date): Promise<boolean> => {
    const { models } = ctx.store;
    const attempt = email.attempts + 1;
    if (!(await claimOnce(models, `email:${email._id}:${attempt}`))) return false;
    await markAttempt(models, email._id, attempt, new Date(now.getTime() + emailRetryDelayMs(attempt)));
    try {
      await transport.sendMail({
        from: ctx.config.email.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        ...(email.unsubscribeUrl && {
          list: { unsubscribe: email.unsubscribeUrl },
          headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
        }),
      });
    } catch (error) {
      const ref = newReference();
      ctx.logger.warn({ err: error, ref, email: email._id, attempt }, "sending an e-mail failed");
      if (attempt < EMAIL_MAX_ATTEMPTS) return false;
      if (email.incidentId)
        await appendEvent(models, {
          incidentId: email.incidentId,
          type: "email_failed",
          at: now,
          actorId: SYSTEM_ACTOR,
          payload: { to: email.to, subject: email.subject, ref },
          key: `email-failed:${email._id}`,
        });
    }
    await removeEmail(models, email._id);
    return true;
  };
  return {
    name: "send stakeholder e-mails",
    async runDue(now) {
      let handled = 0;
      for (const email of await dueEmails(ctx.store.models, now, BATCH))
        if (await send(email, now)) handled++;
      return handled;
    },
  };
}
