import http from "node:http";
import https from "node:https";
import type { FetchFunction } from "@slack/web-api";

/**
 * Slack's HTTP calls through node:http(s) on kept-alive connections. Global fetch (undici, web streams) cost
 * about four times the CPU a call, measured in a burst of 200 response_url answers, and every microsecond a
 * call costs delays the acks queued behind it on the one event loop; on the declare path it sits between the
 * two Slack calls that make the channel and its kickoff. A few connections are kept open and shared.
 */

const MAX_SOCKETS = 16;
/** An idle connection is closed before a server's own keep-alive timeout (Node's: 5 s) could close it under a request. */
const IDLE_MS = 4_000;

const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, timeout: IDLE_MS }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, timeout: IDLE_MS }),
};

export interface PostOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface Answer {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request on a kept-alive connection; rejects when the URL is not http(s) or the call fails. */
export function request(url: string | URL, options: PostOptions): Promise<Answer> {
  return new Promise((settle, fail) => {
    const target = new URL(String(url));
    if (target.protocol !== "https:" && target.protocol !== "http:")
      return fail(new Error(`not an http(s) URL: ${target.protocol}`));
    const { body } = options;
    const sent = (target.protocol === "https:" ? https : http).request(
      target,
      {
        method: options.method ?? "GET",
        agent: agents[target.protocol],
        headers: {
          ...options.headers,
          ...(body !== undefined && { "content-length": String(Buffer.byteLength(body)) }),
        },
        ...(options.timeoutMs !== undefined && { timeout: options.timeoutMs }),
        ...(options.signal && { signal: options.signal }),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.once("end", () =>
          settle({
            status: response.statusCode ?? 0,
            statusText: response.statusMessage ?? "",
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.once("error", fail);
      },
    );
    sent.once("timeout", () => sent.destroy(new Error("timed out")));
    sent.once("error", fail);
    sent.end(body);
  });
}

/**
 * The Web API client's fetch: text bodies (every method call) go through `request`; a form (file upload)
 * goes through global fetch, which knows how to encode it.
 */
export const keepAliveFetch: FetchFunction = async (url, init) => {
  if (init?.body !== undefined && typeof init.body !== "string") return fetch(url, init);
  const answer = await request(url, {
    ...(init?.method && { method: init.method }),
    ...(init?.headers && { headers: init.headers }),
    ...(init?.body !== undefined && { body: init.body }),
    ...(init?.signal && { signal: init.signal }),
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers))
    for (const each of Array.isArray(value) ? value : value === undefined ? [] : [value])
      headers.append(name, each);
  const empty = answer.status === 204 || answer.status === 304;
  return new Response(empty ? null : answer.body, {
    status: answer.status,
    statusText: answer.statusText,
    headers,
  });
};
