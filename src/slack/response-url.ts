import http from "node:http";
import https from "node:https";

/**
 * POSTs a JSON answer to a response_url through node:http(s) on kept-alive connections. Global fetch
 * (undici, web streams) cost about four times the CPU a call, measured in a burst of 200 answers; every
 * microsecond an answer costs delays the acks of the requests queued behind it on the one event loop. A
 * few connections are kept open and shared, so a burst reuses them rather than opening one per answer.
 */

const MAX_SOCKETS = 16;
/** An idle connection is closed before a server's own keep-alive timeout (Node's: 5 s) could close it under a request. */
const IDLE_MS = 4_000;
/** Slack answers in well under a second; past this the answer goes by direct message instead. */
const TIMEOUT_MS = 10_000;

const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, timeout: IDLE_MS }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, timeout: IDLE_MS }),
};

/** The response_url's HTTP status, or undefined when it could not be reached or did not answer in time. */
export function postToResponseUrl(url: string, body: unknown): Promise<number | undefined> {
  return new Promise((settle) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return settle(undefined);
    }
    const protocol =
      target.protocol === "https:" || target.protocol === "http:" ? target.protocol : undefined;
    if (!protocol) return settle(undefined);
    const payload = JSON.stringify(body);
    const request = (protocol === "https:" ? https : http).request(
      target,
      {
        method: "POST",
        agent: agents[protocol],
        timeout: TIMEOUT_MS,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
      },
      (response) => {
        response.resume();
        response.once("end", () => settle(response.statusCode));
        response.once("error", () => settle(undefined));
      },
    );
    request.once("timeout", () => request.destroy());
    request.once("error", () => settle(undefined));
    request.end(payload);
  });
}
