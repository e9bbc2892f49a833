import { correlationId } from "../correlation.ts";
import type { IncomingAlert } from "../domain/alert.ts";

/** Records alerts side by side (src/alerts/intake.ts `recordAlerts`): each one's outcome, in order. */
export type RecordAlerts = (
  alerts: readonly IncomingAlert[],
  correlationIds: readonly (string | undefined)[],
) => Promise<PromiseSettledResult<void>[]>;

interface Waiting {
  alerts: readonly IncomingAlert[];
  correlationId: string | undefined;
  settle: (outcomes: PromiseSettledResult<void>[]) => void;
  fail: (error: unknown) => void;
}

/**
 * Takes the alerts of concurrent webhook requests together. A request that finds no batch being recorded
 * goes at once; those that arrive while one is go together in the next, so their alerts move through the
 * stages of recording side by side and each stage's writes (alerts and their timer entries, roll-up counts
 * and queued work, pointers) are one command for the whole batch (src/store/group-commit.ts) instead of one
 * per request.
 * Under a steady stream of single-alert webhooks that is a few commands per batch rather than per alert.
 * Each request settles on its own alerts: stored (202), or the first failure among them (503, the sender
 * retries; what was stored is deduplicated then). Each alert's log lines keep its request's correlation id.
 * Repeats (`goesAlone`) skip the queue: their reads by `_id` are one command each, batched or not.
 */
export class IntakeBatcher {
  private waiting: Waiting[] = [];
  private recording = 0;

  constructor(
    private readonly record: RecordAlerts,
    private readonly options: {
      /** Requests that gain nothing from a batch (their writes are not the batched kind): they go at once. */
      goesAlone?: (alerts: readonly IncomingAlert[]) => boolean;
      /** Batches recorded at once: a request waits only while this many are. */
      maxBatches?: number;
    } = {},
  ) {}

  async take(alerts: readonly IncomingAlert[]): Promise<{ accepted: number }> {
    const outcomes = this.options.goesAlone?.(alerts)
      ? this.record(
          alerts,
          alerts.map(() => correlationId()),
        )
      : new Promise<PromiseSettledResult<void>[]>((settle, fail) => {
          this.waiting.push({ alerts, correlationId: correlationId(), settle, fail });
          if (this.recording < (this.options.maxBatches ?? 1)) void this.drain();
        });
    const failed = (await outcomes).find((outcome) => outcome.status === "rejected");
    if (failed) throw failed.reason;
    return { accepted: alerts.length };
  }

  private async drain(): Promise<void> {
    this.recording++;
    try {
      for (let batch = this.waiting.splice(0); batch.length > 0; batch = this.waiting.splice(0)) {
        const ids = batch.flatMap((request) => request.alerts.map(() => request.correlationId));
        try {
          const outcomes = await this.record(
            batch.flatMap((request) => request.alerts),
            ids,
          );
          let at = 0;
          for (const request of batch) {
            request.settle(outcomes.slice(at, at + request.alerts.length));
            at += request.alerts.length;
          }
        } catch (error) {
          for (const request of batch) request.fail(error);
        }
      }
    } finally {
      this.recording--;
    }
  }
}
