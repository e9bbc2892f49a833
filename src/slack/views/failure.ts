import type { SendFailure } from "../../send-outcome.ts";

/** What a failed Slack call means, said for people: never Slack's own error code. */
const REASON: Record<SendFailure["status"], string> = {
  not_found: "Slack could not find what it needed (it may have been deleted)",
  refused: "Slack did not allow it",
  rate_limited: "Slack asked me to slow down",
  unavailable: "Slack did not answer",
};

/** ":warning: I could not invite @alice: Slack did not allow it. Please … (ref 7KQ2M9)"; `step` is mrkdwn. */
export function failureLine(step: string, failure: SendFailure, ref: string): string {
  return `:warning: I could not ${step}: ${REASON[failure.status]}. Please do it by hand, or ask your Firebreak admin (ref ${ref}).`;
}

/** ":hourglass: I could not create the incident channel yet: Slack did not answer. I will try again … (ref 7KQ2M9)". */
export function retryingLine(step: string, failure: SendFailure, ref: string): string {
  return `:hourglass_flowing_sand: I could not ${step} yet: ${REASON[failure.status]}. I will try again on my own as soon as Slack answers (ref ${ref}).`;
}

/** The sentence for a request that failed unexpectedly, with the reference of the log line. */
export function unexpectedFailureText(ref: string): string {
  return `:warning: Something went wrong on my side and your request may not be done. Please try again in a minute; if it keeps failing, give your Firebreak admin this reference: ${ref}.`;
}
