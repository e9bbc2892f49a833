/**
 * When Slack work may be tried again: the pacing of one channel and the backoff of a failing send.
 * Times are epoch milliseconds; randomness is injected so the schedule is testable.
 */

/** Slack allows about one message per second per channel. */
export const CHANNEL_GAP_MS = 1_000;

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000 };

/**
 * Delay before retry number `attempt` (1 for the first retry): exponential up to the cap, jittered into
 * its upper half so processes that failed together do not retry together, and never sooner than a
 * Retry-After the platform asked for.
 */
export function retryDelayMs(
  attempt: number,
  random: () => number,
  retryAfterMs = 0,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(exponential * (0.5 + random() / 2));
  return Math.max(jittered, retryAfterMs);
}

/** What is known of a channel's recent sends. */
export interface ChannelPace {
  lastSentAt?: number;
  /** Set by a rate limit: nothing goes to the channel before it. */
  pausedUntil?: number;
}

/** The earliest time the channel's next message may go: at least a gap after the last, after any pause. */
export function nextSendAt(pace: ChannelPace, now: number, gapMs = CHANNEL_GAP_MS): number {
  return Math.max(now, (pace.lastSentAt ?? Number.NEGATIVE_INFINITY) + gapMs, pace.pausedUntil ?? 0);
}
