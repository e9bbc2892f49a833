import type { AppContext } from "../context.ts";
import type { PageTarget } from "../domain/alert.ts";
import type { MessageRef, Severity } from "../domain/incident.ts";
import { DEFAULT_STORM_POLICY, foldIntoStorm, type StormAlert, type StormSummary } from "../domain/storm.ts";
import type { FailedStep } from "../domain/timeline.ts";
import type { DeliveryHandler, Folded, StormBatch } from "../jobs/deliveries.ts";
import type { SendFailure, SendOutcome } from "../send-outcome.ts";
import { type Alert, getAlert, getAlerts, openAlertIds, updateAlert } from "../store/alerts.ts";
import type { Delivery } from "../store/deliveries.ts";
import { appendEvent } from "../store/timeline.ts";
import { ALERT_WORK, queueAlertRefresh } from "./alert-messages.ts";
import { declareFromAlert } from "./auto-declare.ts";

/**
 * How the delivery job does each kind of Slack work alerts queue. Items carry ids; each handler reads the
 * alert afresh, so what goes out is its latest state. An alert that is gone has nothing left to send.
 */

const done: SendOutcome = { status: "done", value: undefined };

const alertOf = (ctx: AppContext, item: Pick<Delivery, "payload">) =>
  getAlert(ctx.store.models, String(item.payload.alertId));

/** What the alert's message shows changed between two reads of it. */
const shownDifferently = (a: Alert, b: Alert) =>
  a.state !== b.state ||
  a.fireCount !== b.fireCount ||
  a.nextStep !== b.nextStep ||
  a.incidentNumber !== b.incidentNumber;

/**
 * The alert's own message; where it is is stored, so its refreshes find it. A change made while it was
 * being posted found no message to refresh, so the post queues that refresh itself. An alert that has its
 * message already is not posted again (its post queued a second time by the recovery of an opening that
 * died before its pointer, src/store/alert-firings.ts).
 */
async function postAlert(ctx: AppContext, item: Delivery): Promise<SendOutcome<unknown>> {
  const alert = await alertOf(ctx, item);
  if (!alert || alert.message) return done;
  const posted = await ctx.notifier.post(item.channel, { kind: "alert", alert });
  if (posted.status !== "done") return posted;
  const stored = await updateAlert(ctx.store.models, alert.id, { message: posted.value });
  if (stored && shownDifferently(alert, stored)) await queueAlertRefresh(ctx, stored);
  return posted;
}

const stormAlert = (a: Alert): StormAlert => ({
  id: a.id,
  title: a.title,
  severity: a.severity,
  service: a.service,
  firedAt: a.firstFiredAt,
});

/** The summary fields an item carries (src/alerts/alert-messages.ts, `stormSnapshot`); none on older items. */
function snapshotOf(item: Delivery): StormAlert | undefined {
  const storm = item.payload.storm as StormAlert | undefined;
  return storm && typeof storm.id === "string" && storm.firedAt instanceof Date ? storm : undefined;
}

/**
 * What a storm batch's items show in its summary: each item's snapshot; an item queued without one has its
 * alert read by `_id` (a few at a time). Only the new items: the summary keeps the rest.
 */
async function addedAlerts(ctx: AppContext, batch: StormBatch): Promise<StormAlert[]> {
  const unread = batch.added.filter((item) => !snapshotOf(item)).map((item) => String(item.payload.alertId));
  const read = new Map((await getAlerts(ctx.store.models, unread)).map((a) => [a.id, stormAlert(a)]));
  return batch.added.flatMap((item) => {
    const alert = snapshotOf(item) ?? read.get(String(item.payload.alertId));
    return alert ? [alert] : [];
  });
}

/** The running summary the job hands back: what this module returned for the storm's previous batch. */
const previousSummary = (batch: StormBatch) => batch.summary as StormSummary | undefined;

/**
 * A channel's storm: its folded alerts as one summary message, posted once and then edited in place. The
 * folded alerts get no message of their own, so their refreshes have nothing to edit; their pages still go
 * out by direct message. Each edit reads only the batch's new alerts and folds them into the running summary.
 */
async function foldStorm(ctx: AppContext, batch: StormBatch): Promise<SendOutcome<Folded>> {
  const added = await addedAlerts(ctx, batch);
  const summary = foldIntoStorm(previousSummary(batch), added, DEFAULT_STORM_POLICY.topK);
  if (!summary) return { status: "done", value: { messageRef: batch.messageRef ?? "" } };
  const message = { kind: "alert_storm", summary } as const;
  if (batch.messageRef) {
    const updated = await ctx.notifier.update({ channelId: batch.channel, ts: batch.messageRef }, message);
    return updated.status === "done"
      ? { status: "done", value: { messageRef: batch.messageRef, summary } }
      : updated;
  }
  const posted = await ctx.notifier.post(batch.channel, message);
  return posted.status === "done"
    ? { status: "done", value: { messageRef: posted.value.ts, summary } }
    : posted;
}

async function refreshAlert(ctx: AppContext, item: Delivery): Promise<SendOutcome<unknown>> {
  const alert = await alertOf(ctx, item);
  if (!alert?.message) return done;
  return ctx.notifier.update(alert.message, { kind: "alert", alert });
}

/** A page still waiting when its alert was acknowledged or resolved (Slack was down) is not sent: nobody needs it. */
async function page(ctx: AppContext, item: Delivery): Promise<SendOutcome<unknown>> {
  const alert = await alertOf(ctx, item);
  if (alert?.state !== "open") return done;
  return ctx.notifier.sendDirect(item.channel, { kind: "page", alert, level: String(item.payload.level) });
}

/**
 * A person's page storm: the pages folded into one DM, posted once (one notification) and then edited in
 * place. Its pending pages are all of open alerts (acknowledging or resolving an alert takes its waiting
 * pages off the queue, src/alerts/paging.ts `dropWaitingPages`), so they are counted without a read each;
 * the alerts it names are read again at each edit (a handful), so one acknowledged since leaves the list.
 * Its reference holds the DM's channel and ts, as an edit needs both.
 */
async function foldPages(ctx: AppContext, batch: StormBatch): Promise<SendOutcome<Folded>> {
  const folded = foldIntoStorm(
    previousSummary(batch),
    await addedAlerts(ctx, batch),
    DEFAULT_STORM_POLICY.topK,
  );
  const stillOpen = await openAlertIds(
    ctx.store.models,
    (folded?.top ?? []).map((a) => a.id),
  );
  const summary = folded && { ...folded, top: folded.top.filter((a) => stillOpen.has(a.id)) };
  const [channelId, ts] = (batch.messageRef ?? "").split(" ");
  if (channelId && ts) {
    if (!summary) return { status: "done", value: { messageRef: batch.messageRef ?? "" } };
    const updated = await ctx.notifier.update({ channelId, ts }, { kind: "page_storm", summary });
    return updated.status === "done"
      ? { status: "done", value: { messageRef: `${channelId} ${ts}`, summary } }
      : updated;
  }
  if (!summary) return { status: "done", value: { messageRef: "" } };
  const sent = await ctx.notifier.sendDirect(batch.channel, { kind: "page_storm", summary });
  return sent.status === "done"
    ? { status: "done", value: { messageRef: `${sent.value.channelId} ${sent.value.ts}`, summary } }
    : sent;
}

async function pagingLine(ctx: AppContext, item: Delivery): Promise<SendOutcome<unknown>> {
  const line = item.payload as {
    thread: MessageRef;
    level: string;
    people: string[];
    unresolved: PageTarget[];
    lateMinutes?: number;
  };
  return ctx.notifier.post(
    item.channel,
    {
      kind: "paging",
      level: line.level,
      people: line.people,
      unresolved: line.unresolved,
      lateMinutes: line.lateMinutes,
    },
    { thread: { channelId: line.thread.channelId, ts: line.thread.ts } },
  );
}

async function declare(ctx: AppContext, item: Delivery): Promise<SendOutcome<unknown>> {
  const alert = await alertOf(ctx, item);
  if (!alert) return done;
  return declareFromAlert(ctx, alert, item.payload.severity as Severity);
}

export function alertDeliveryHandlers(ctx: AppContext): Record<string, DeliveryHandler> {
  return {
    [ALERT_WORK.post]: { send: (item) => postAlert(ctx, item), fold: (batch) => foldStorm(ctx, batch) },
    [ALERT_WORK.refresh]: { send: (item) => refreshAlert(ctx, item), latestState: true },
    [ALERT_WORK.page]: { send: (item) => page(ctx, item), fold: (batch) => foldPages(ctx, batch) },
    [ALERT_WORK.pagingLine]: { send: (item) => pagingLine(ctx, item) },
    [ALERT_WORK.declare]: { send: (item) => declare(ctx, item) },
  };
}

/** Alert work given up for good: an incident's escalation notes it on the incident's timeline. */
export async function noteAlertWorkGivenUp(
  ctx: AppContext,
  item: Delivery,
  failure: SendFailure,
  reference: string,
): Promise<void> {
  if (item.payload.alertId === undefined) return;
  const alert = await alertOf(ctx, item);
  if (!alert?.incidentId) return;
  const step: FailedStep =
    item.kind === ALERT_WORK.page
      ? { action: "page", userId: item.channel, ref: reference }
      : { action: "announce_page", ref: reference };
  await appendEvent(ctx.store.models, {
    incidentId: alert.incidentId,
    type: "slack_error",
    at: ctx.clock.now(),
    actorId: "firebreak",
    payload: { ...step, error: failure.code },
  });
}
