import type { Route } from "./server.ts";
import { sendJson } from "./server.ts";

export interface ReadinessChecks {
  database(): Promise<boolean>;
  slack(): Promise<boolean>;
}

/** A probe must answer quickly: a check still waiting after this long counts as not ready. */
const CHECK_TIMEOUT_MS = 2_000;

function withinTimeout(check: () => Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((done) => {
    timer = setTimeout(() => done(false), CHECK_TIMEOUT_MS);
  });
  return Promise.race([check().catch(() => false), timeout]).finally(() => clearTimeout(timer));
}

/** `/healthz`: the process is up. `/readyz`: it can do its job now (database answers, Slack token worked). */
export function healthRoutes(checks: ReadinessChecks): Route[] {
  return [
    { method: "GET", path: "/healthz", handle: (_req, res) => sendJson(res, 200, { status: "ok" }) },
    {
      method: "GET",
      path: "/readyz",
      handle: async (_req, res) => {
        const [database, slack] = await Promise.all([
          withinTimeout(checks.database),
          withinTimeout(checks.slack),
        ]);
        const ready = database && slack;
        sendJson(res, ready ? 200 : 503, {
          status: ready ? "ready" : "not ready",
          checks: { database, slack },
        });
      },
    },
  ];
}
