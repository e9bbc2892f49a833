import type { Route } from "./server.ts";

export interface MetricsScrape {
  /** The exposition text and its content type (Prometheus' text format). */
  scrape(): Promise<{ contentType: string; body: string }>;
}

/** `GET /metrics`: Prometheus scrapes it, on the port of `/healthz` (Slack's port in HTTP mode). */
export function metricsRoutes(metrics: MetricsScrape): Route[] {
  return [
    {
      method: "GET",
      path: "/metrics",
      handle: async (_req, res) => {
        const { contentType, body } = await metrics.scrape();
        res.writeHead(200, { "content-type": contentType });
        res.end(body);
      },
    },
  ];
}
