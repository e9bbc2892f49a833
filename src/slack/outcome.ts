import type { SendOutcome } from "../send-outcome.ts";

/** Slack's error codes that mean the channel, message or person is gone. */
const NOT_FOUND = new Set([
  "channel_not_found",
  "message_not_found",
  "thread_not_found",
  "user_not_found",
  "users_not_found",
  "no_such_subteam",
  "subteam_not_found",
]);

/** Slack's error codes that mean Slack itself failed: worth trying again. */
const UNAVAILABLE = new Set([
  "internal_error",
  "fatal_error",
  "fatal",
  "service_unavailable",
  "request_timeout",
]);

/** Slack's error code from a failed Web API call, or the error's message: for log lines, never for people. */
export function slackErrorCode(error: unknown): string {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  if (typeof data?.error === "string") return data.error;
  return error instanceof Error ? error.message : String(error);
}

/** What a thrown Web API error means to the caller, in the port's words. */
function outcomeOf(error: unknown): Exclude<SendOutcome<never>, { status: "done" }> {
  const e = error as { code?: string; retryAfter?: number; statusCode?: number };
  const code = slackErrorCode(error);
  if (e.code === "slack_webapi_rate_limited_error")
    return { status: "rate_limited", retryAfterMs: (e.retryAfter ?? 1) * 1000, code: "ratelimited" };
  if (e.code === "slack_webapi_request_error" || e.code === "slack_webapi_http_error")
    return { status: "unavailable", code: e.statusCode ? `http_${e.statusCode}` : code };
  if (e.code !== "slack_webapi_platform_error") return { status: "unavailable", code };
  if (NOT_FOUND.has(code)) return { status: "not_found", code };
  if (UNAVAILABLE.has(code)) return { status: "unavailable", code };
  return { status: "refused", code };
}

/** Runs one Web API call and answers with its outcome; `accepted` codes count as done (already archived…). */
export async function attempt<T>(
  call: () => Promise<T>,
  accepted: readonly string[] = [],
): Promise<SendOutcome<T | undefined>> {
  try {
    return { status: "done", value: await call() };
  } catch (error) {
    const outcome = outcomeOf(error);
    if (accepted.includes(outcome.code)) return { status: "done", value: undefined };
    return outcome;
  }
}
