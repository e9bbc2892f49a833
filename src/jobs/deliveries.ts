import { randomBytes } from "node:crypto";
import { withCorrelation } from "../correlation.ts";
import type { Clock } from "../domain/clock.ts";
import { type BackoffPolicy, DEFAULT_BACKOFF, nextSendAt, retryDelayMs } from "../domain/delivery-pacing.ts";
import { DEFAULT_STORM_POLICY, inStorm, postsWithin, type StormPolicy, stormStep } from "../domain/storm.ts";
import type { Logger } from "../logger.ts";
import { newReference } from "../reference.ts";
import type { SendFailure, SendOutcome } from "../send-outcome.ts";
import {
  type Delivery,
  type DeliveryChannel,
  getDeliveryChannel,
  onQueueChange,
  pendingDeliveries,
  putBackDelivery,
  releaseChannelLease,
  removeDeliveries,
  saveDeliveryChannel,
  takeChannelLease,
} from "../store/deliveries.ts";
import type { Store } from "../store/store.ts";
import { PendingDeliveries } from "./pending-deliveries.ts";
import type { DueJob } from "./poller.ts";

/** A channel's storm summary to post (no `messageRef` yet) or to edit in place. */
export interface StormBatch {
  channel: string;
  /** The items this batch folds in, in order. */
  added: Delivery[];
  /** What this handler returned for the summary message last time. */
  messageRef?: string;
  /** The running summary this handler returned last time (undefined for a new storm). */
  summary?: unknown;
}

/** A fold that went out: its message, and the running summary to hand back with the storm's next batch. */
export interface Folded {
  messageRef: string;
  /** Keep it small (counts, the top few): it is saved on the channel's document after every fold. */
  summary?: unknown;
}

/** Does one kind of Slack work. Handlers render fresh data at send time from the item's references. */
export interface DeliveryHandler {
  send(item: Delivery): Promise<SendOutcome<unknown>>;
  /**
   * Makes the kind foldable (new-alert posts): in a storm the channel's pending items of this kind go to
   * this instead of `send`, as one summary. Its value is a reference to the summary message (for example
   * its ts) and the running summary, both handed back with the next batch of the same storm so that the
   * message is edited in place from the summary and the new items alone.
   */
  fold?(batch: StormBatch): Promise<SendOutcome<Folded>>;
  /**
   * For work that renders the latest state (a message refresh): the item leaves the queue before it is
   * sent, so a refresh requested during the send queues anew instead of coalescing into one that already
   * read the data. A failed send puts it back; a process dying mid-send loses that one refresh.
   */
  latestState?: boolean;
}

export interface DeliveryJobOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** By kind. An item of a kind with no handler is given up (and reported) rather than blocking its channel. */
  handlers: Readonly<Record<string, DeliveryHandler>>;
  /** Told of work abandoned for good (not found, refused), with the reference in the log line. */
  onGiveUp?: (item: Delivery, failure: SendFailure, reference: string) => Promise<void> | void;
  /** For the backoff's jitter; default Math.random. */
  random?: () => number;
  storm?: StormPolicy;
  backoff?: BackoffPolicy;
  /** Channels worked on at once by one process (default 4). */
  concurrency?: number;
  /** How long a process may hold a channel before another may take it over (default 60 s). */
  leaseMs?: number;
  /** Pending items read by a scan of the queue (default SCAN_LIMIT). */
  scanLimit?: number;
}

/**
 * Pending items a scan of the queue returns at most: enough for the backlog of a storm's first seconds (a
 * post and a page an alert, 400 items a second at 200 alerts/s, while its first posts go out one a second),
 * so that a storm's view stays complete and the work queued meanwhile joins it without another scan. The
 * rest of a bigger backlog is read by the scans that follow (src/jobs/pending-deliveries.ts).
 */
const SCAN_LIMIT = 5_000;

/**
 * Delivers the queued Slack work (src/store/deliveries.ts). Each pass takes the pending items (kept in
 * memory between scans of the queue, src/jobs/pending-deliveries.ts), groups them by channel and, channel
 * by channel under the channel's lease, sends what the channel's first item allows: one message per
 * channel per pass and never two within a second (Slack's pace), nothing before a rate limit's Retry-After,
 * a retry only after its backoff. So a channel's items go out in the order they were queued, and different
 * channels go out side by side. In a storm a foldable kind's pending items go out as one summary. It knows
 * kinds and handlers only, nothing of Slack.
 */
export class DeliveryJob implements DueJob {
  readonly name = "deliver queued Slack work";
  private readonly storm: StormPolicy;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly pending: PendingDeliveries;

  constructor(private readonly options: DeliveryJobOptions) {
    this.storm = options.storm ?? DEFAULT_STORM_POLICY;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    const { models } = options.store;
    this.pending = new PendingDeliveries(
      (limit) => pendingDeliveries(models, limit),
      options.scanLimit ?? SCAN_LIMIT,
    );
    onQueueChange(models, (change) => this.pending.heard(change));
  }

  async runDue(now: Date): Promise<number> {
    const pending = await this.pending.inOrder(now);
    const byChannel = new Map<string, Delivery[]>();
    for (const item of pending) {
      const queue = byChannel.get(item.channel) ?? [];
      queue.push(item);
      byChannel.set(item.channel, queue);
    }
    const channels = [...byChannel.values()];
    let handled = 0;
    const worker = async () => {
      for (let queue = channels.shift(); queue; queue = channels.shift()) {
        // One correlation id per channel's step: its lines are told apart from the other channels'.
        handled += await withCorrelation(newReference(), () => this.deliverNext(queue, now));
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? 4 }, worker));
    return handled;
  }

  /** One step for one channel, under its lease: returns how many items it finished (done or given up). */
  private async deliverNext(queue: Delivery[], now: Date): Promise<number> {
    const { models } = this.options.store;
    const [head] = queue;
    if (!head || head.dueAt > now) return 0;
    const holder = await takeChannelLease(models, head.channel, now, this.options.leaseMs ?? 60_000);
    // Another process is at work on the channel: what this one knows of the queue may be out of date.
    if (!holder) {
      this.pending.outOfDate();
      return 0;
    }
    try {
      // Another process may have worked this channel since the scan: every step starts with the channel's
      // first item and removes or reschedules it, so an unchanged first item means the scan still holds.
      const current = await models.deliveries.findById(head.key).lean();
      if (!current || current.seq !== head.seq || current.attempts !== head.attempts) {
        this.pending.outOfDate();
        return 0;
      }
      const channel = await getDeliveryChannel(models, head.channel);
      if (nextSendAt(this.pace(channel), now.getTime()) > now.getTime()) return 0;
      return await this.step(queue, channel, now);
    } finally {
      await releaseChannelLease(models, head.channel, holder);
    }
  }

  private pace(channel: DeliveryChannel) {
    return { lastSentAt: channel.lastSentAt?.getTime(), pausedUntil: channel.pausedUntil?.getTime() };
  }

  private async step(queue: Delivery[], channel: DeliveryChannel, now: Date): Promise<number> {
    const [head] = queue as [Delivery, ...Delivery[]];
    const handler = this.options.handlers[head.kind];
    if (!handler) {
      await removeDeliveries(this.options.store.models, [head.key]);
      await this.reportGiveUp([head], { status: "refused", code: "no_handler_for_kind" });
      return 1;
    }
    const { models } = this.options.store;
    // Taken out before rendering, so a refresh asked for from now on is queued anew (see `latestState`).
    if (handler.latestState) await removeDeliveries(models, [head.key]);
    const send = this.sendNext(queue, channel, handler, now);
    const outcome = await this.attempt(head, send.run);
    const next: DeliveryChannel = { ...channel, lastSentAt: now };
    const takeOut = async () => {
      if (!handler.latestState)
        await removeDeliveries(
          models,
          send.items.map((i) => i.key),
        );
    };
    switch (outcome.status) {
      case "done":
        await saveDeliveryChannel(models, send.afterDone(next));
        await takeOut();
        return send.items.length;
      case "rate_limited":
        // Not the item's failure: the channel waits, and the item goes first when it may.
        await saveDeliveryChannel(models, {
          ...next,
          pausedUntil: new Date(now.getTime() + outcome.retryAfterMs),
        });
        if (handler.latestState) await putBackDelivery(models, head);
        return 0;
      case "unavailable": {
        const attempts = head.attempts + 1;
        const dueAt = new Date(now.getTime() + retryDelayMs(attempts, this.random, 0, this.backoff));
        await saveDeliveryChannel(models, next);
        await putBackDelivery(models, { ...head, attempts, dueAt });
        this.options.logger.warn(
          { delivery: head.key, kind: head.kind, code: outcome.code, attempts, retryAt: dueAt },
          "Slack work failed; will retry",
        );
        return 0;
      }
      default:
        await saveDeliveryChannel(models, next);
        await takeOut();
        await this.reportGiveUp(send.items, outcome);
        return send.items.length;
    }
  }

  /**
   * What goes to the channel now: its first item on its own, or, for a foldable kind in a storm, the
   * channel's leading items of that kind as one summary; and how the channel's storm state moves if it works.
   */
  private sendNext(queue: Delivery[], channel: DeliveryChannel, handler: DeliveryHandler, now: Date) {
    const [head] = queue as [Delivery, ...Delivery[]];
    const at = now.getTime();
    const window = {
      recentPosts: channel.recentPosts.map((d) => d.getTime()),
      lastFoldedAt: channel.storm?.lastFoldedAt.getTime(),
    };
    const { fold } = handler;
    if (!fold)
      return { items: [head], run: () => handler.send(head), afterDone: (next: DeliveryChannel) => next };
    if (stormStep(window, at, this.storm) === "single") {
      const recentPosts = [...postsWithin(window.recentPosts, at, this.storm), at].map((t) => new Date(t));
      return {
        items: [head],
        run: () => handler.send(head),
        afterDone: (next: DeliveryChannel) => ({ ...next, recentPosts }),
      };
    }
    const items = leadingRun(queue);
    const storm = inStorm(window, at, this.storm) ? channel.storm : undefined;
    let folded: Folded | undefined;
    return {
      items,
      run: async () => {
        const outcome = await fold({
          channel: head.channel,
          added: items,
          messageRef: storm?.messageRef,
          summary: storm?.summary,
        });
        if (outcome.status === "done") folded = outcome.value;
        return outcome;
      },
      afterDone: (next: DeliveryChannel) => ({
        ...next,
        storm: { lastFoldedAt: now, messageRef: folded?.messageRef, summary: folded?.summary },
      }),
    };
  }

  /** Runs a handler; one that throws is treated as Slack being unavailable, so the item is retried. */
  private async attempt(
    item: Delivery,
    send: () => Promise<SendOutcome<unknown>>,
  ): Promise<SendOutcome<unknown>> {
    try {
      return await send();
    } catch (error) {
      this.options.logger.error(
        { err: error, delivery: item.key, kind: item.kind },
        "Slack work handler threw",
      );
      return { status: "unavailable", code: "handler_threw" };
    }
  }

  /** Logs and reports work abandoned for good; the caller has taken it out of the queue. */
  private async reportGiveUp(items: Delivery[], failure: SendFailure): Promise<void> {
    for (const item of items) {
      const reference = randomBytes(4).toString("hex");
      this.options.logger.warn(
        { reference, delivery: item.key, kind: item.kind, channel: item.channel, code: failure.code },
        "Slack work given up",
      );
      await this.options.onGiveUp?.(item, failure, reference);
    }
  }
}

/** The channel's first items of the first item's kind, in order: what one storm summary can fold. */
function leadingRun(queue: Delivery[]): Delivery[] {
  const end = queue.findIndex((item) => item.kind !== queue[0]?.kind);
  return end === -1 ? queue : queue.slice(0, end);
}
