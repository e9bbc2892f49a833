import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Acks before work. Slack gives every request 3 s to be acked; the work after an ack (database reads, the
 * answer on the response_url) has minutes. In a burst (a channel full of people clicking Acknowledge) the
 * requests still arriving would otherwise wait behind the work of those acked just before them, all on one
 * event loop. The HTTP route counts Slack requests not yet answered, and work that follows an ack waits
 * until there are none, or at most MAX_WAIT_MS, so a flood never starves it. Idle, it does not wait at all.
 * Process-wide, like the write queues of src/store/serial.ts: one event loop, one count.
 */

const MAX_WAIT_MS = 250;

let unanswered = 0;
let waiting: (() => void)[] = [];

function answered(): void {
  unanswered--;
  if (unanswered > 0) return;
  const wake = waiting;
  waiting = [];
  for (const resume of wake) resume();
}

/** Wraps a request listener so that each request counts as unanswered until its response closes. */
export function countingUnanswered(
  listener: (request: IncomingMessage, response: ServerResponse) => void,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    unanswered++;
    let counted = true;
    // "finish" when the answer is handed over, "close" as well when the client went away first.
    const done = () => {
      if (!counted) return;
      counted = false;
      answered();
    };
    response.once("finish", done);
    response.once("close", done);
    listener(request, response);
  };
}

/** Resolves once no Slack request waits for its ack (at once when none does), or after MAX_WAIT_MS. */
export function afterPendingAcks(): Promise<void> {
  if (unanswered === 0) return Promise.resolve();
  return new Promise((resume) => {
    const timer = setTimeout(resume, MAX_WAIT_MS);
    waiting.push(() => {
      clearTimeout(timer);
      resume();
    });
  });
}
