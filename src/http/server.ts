import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from "node:http";
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
 * One HTTP server for Firebreak's own routes (health, webhooks); everything else goes to `fallback`, which is
 * Bolt's receiver in HTTP mode, so Slack, probes and webhooks share one port behind one load balancer.
 */
export function createHttpServer(
  routes: Route[],
  fallback: RequestListener | undefined,
  logger: Logger,
): Server {
  return createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const route = routes.find((r) => r.path === path && r.method === request.method);
    if (route) {
      Promise.resolve(route.handle(request, response)).catch((error: unknown) => {
        logger.error({ err: error, path }, "route failed");
        if (!response.headersSent) sendJson(response, 500, { error: "internal error" });
        else response.end();
      });
      return;
    }
    if (fallback) {
      fallback(request, response);
      return;
    }
    sendJson(response, 404, { error: `no route for ${request.method} ${path}` });
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
