import { performance } from "node:perf_hooks";

/** Shared helpers: timing tasks at a fixed concurrency, percentiles, and how figures are printed. */

/** The nearest-rank percentile of ascending latencies. */
export function percentile(sortedMs: readonly number[], p: number): number {
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)] ?? Number.NaN;
}

export const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

export const perSecond = (count: number, seconds: number, unit: string) =>
  `${(count / seconds).toFixed(0)} ${unit}/s`;

/** "p50 …, p95 …" for the percentiles asked, from ascending latencies. */
export function summarize(sortedMs: readonly number[], percentiles: readonly number[]): string {
  return percentiles.map((p) => `p${p} ${fmt(percentile(sortedMs, p))}`).join(", ");
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
