import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { withCorrelation } from "../correlation.ts";
import type { Logger } from "../logger.ts";
import { newReference } from "../reference.ts";

/** Values of a route's `:name` segments, URL-decoded. */
export type RouteParams = Readonly<Record<string, string>>;

export interface Route {
  method: "GET" | "POST";
  /** An exact path, or one with `:name` segments (`/webhooks/alerts/:source`), each matching one non-empty segment. */
  path: string;
  handle(request: IncomingMessage, response: ServerResponse, params: RouteParams): Promise<void> | void;
}

/** The params when `path` fits `pattern`, else undefined. A segment that is not valid percent-encoding never fits. */
export function matchPath(pattern: string, path: string): RouteParams | undefined {
  if (!pattern.includes("/:")) return pattern === path ? {} : undefined;
  const expected = pattern.split("/");
  const actual = path.split("/");
  if (expected.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of expected.entries()) {
    const value = actual[index] ?? "";
    if (!segment.startsWith(":")) {
      if (segment !== value) return undefined;
      continue;
    }
    if (value === "") return undefined;
    try {
      params[segment.slice(1)] = decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return params;
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  response.end(JSON.stringify(body));
}

/**
 * One HTTP server for every route: Slack's (Bolt's receiver, in HTTP mode), health and webhooks, so they
 * share one port behind one load balancer. Unknown paths get a 404 here rather than reaching Bolt. Each
 * request runs under a correlation id of its own, so every log line about it carries that id.
 */
export function createHttpServer(routes: Route[], logger: Logger): Server {
  return createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    let route: Route | undefined;
    let params: RouteParams | undefined;
    for (const candidate of routes) {
      params = candidate.method === request.method ? matchPath(candidate.path, path) : undefined;
      if (params) {
        route = candidate;
        break;
      }
    }
    if (!route || !params) {
      sendJson(response, 404, { error: `no route for ${request.method} ${path}` });
      return;
    }
    const found = route;
    const matched = params;
    const ref = newReference();
    withCorrelation(ref, () =>
      Promise.resolve(found.handle(request, response, matched)).catch((error: unknown) => {
        logger.error({ err: error, path }, "route failed");
        // The reference is this request's correlation id: it finds the line above, with the detail.
        if (!response.headersSent) sendJson(response, 500, { error: "internal error", ref });
        else response.end();
      }),
    );
  });
}

export function listen(server: Server, port: number): Promise<number> {
  return new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(port, () => {
      server.off("error", fail);
      const address = server.address();
      done(typeof address === "object" && address ? address.port : port);
    });
  });
}

/** Stops accepting connections and resolves once open requests have finished (idle keep-alives are closed). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((done) => {
    if (!server.listening) return done();
    server.close(() => done());
    server.closeIdleConnections();
  });
}
