import { request } from "./keep-alive-http.ts";

/** Slack answers in well under a second; past this the answer goes by direct message instead. */
const TIMEOUT_MS = 10_000;

/**
 * POSTs a JSON answer to a response_url on a kept-alive connection (src/slack/keep-alive-http.ts): the HTTP
 * status, or undefined when it could not be reached or did not answer in time.
 */
export async function postToResponseUrl(url: string, body: unknown): Promise<number | undefined> {
  try {
    const answer = await request(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      timeoutMs: TIMEOUT_MS,
    });
    return answer.status;
  } catch {
    return undefined;
  }
}
