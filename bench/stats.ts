import { performance } from "node:perf_hooks";

/** Shared helpers: timing tasks at a fixed concurrency, percentiles, waiting for a condition. */

/** The nearest-rank percentile of ascending latencies. */
export function percentile(sortedMs: readonly number[], p: number): number {
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)] ?? Number.NaN;
}

export interface Timed {
  /** Ascending, one per task, in ms. */
  latencies: number[];
  seconds: number;
}

/**
 * Runs `task(0 … total-1)` with `concurrency` workers, each timing its own tasks. The first failure stops
 * every worker from taking more work, and is thrown once all have stopped, so nothing runs on afterwards.
 */
export async function timeConcurrently(
  total: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<Timed> {
  const latencies: number[] = [];
  let next = 0;
  let failed = false;
  const started = performance.now();
  const workers = await Promise.allSettled(
    Array.from({ length: concurrency }, async () => {
      while (!failed && next < total) {
        const index = next++;
        const t0 = performance.now();
        try {
          await task(index);
        } catch (error) {
          failed = true;
          throw error;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const failure = workers.find((w): w is PromiseRejectedResult => w.status === "rejected");
  if (failure) throw failure.reason;
  latencies.sort((a, b) => a - b);
  return { latencies, seconds };
}

/** Polls `probe` every few ms until it gives a value; throws after `timeoutMs`, saying what was missing. */
export async function waitFor<T>(
  probe: () => T | undefined,
  what: () => string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** The wall-clock time in fractional ms, the clock the fake Slack stamps `receivedAt` with. */
export const wallClockMs = () => performance.timeOrigin + performance.now();
