/**
 * What became of one call to the chat platform, in the words use cases and jobs act on, never the
 * platform's own error strings. The notifier port returns these; the durable delivery queue decides from
 * them whether to retry (rate_limited, unavailable), give up (not_found, refused) or move on (done).
 * `code` is the platform's detail for the log line only: it is never shown to a person.
 */
export type SendOutcome<T = undefined> =
  | { status: "done"; value: T }
  /** The channel, message or person is gone: retrying will not help. */
  | { status: "not_found"; code: string }
  /** Not allowed or not valid (archived, not in channel, bad blocks): retrying will not help either. */
  | { status: "refused"; code: string }
  /** Slow down: try again no sooner than `retryAfterMs` from now. */
  | { status: "rate_limited"; retryAfterMs: number; code: string }
  /** The platform could not be reached or failed on its side: retry with backoff. */
  | { status: "unavailable"; code: string };

export type SendFailure = Exclude<SendOutcome<unknown>, { status: "done" }>;

/** Whether trying the same call later may succeed. */
export function isRetryable(outcome: SendOutcome<unknown>): outcome is SendFailure {
  return outcome.status === "rate_limited" || outcome.status === "unavailable";
}
