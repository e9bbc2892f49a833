import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "../logger.ts";

export interface Route {
  method: "GET" | "POST";
  path: string;
  handle(request: IncomingMessage, response: ServerResponse): Promise<void> | void;
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  response.end(JSON.stringify(body));
}

/**
 * One HTTP server for every route: Slack's (Bolt's receiver, in HTTP mode), health and webhooks, so they
 * share one port behind one load balancer. Unknown paths get a 404 here rather than reaching Bolt.
 */
export function createHttpServer(routes: Route[], logger: Logger): Server {
  return createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const route = routes.find((r) => r.path === path && r.method === request.method);
    if (!route) {
      sendJson(response, 404, { error: `no route for ${request.method} ${path}` });
      return;
    }
    Promise.resolve(route.handle(request, response)).catch((error: unknown) => {
      logger.error({ err: error, path }, "route failed");
      if (!response.headersSent) sendJson(response, 500, { error: "internal error" });
      else response.end();
    });
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
