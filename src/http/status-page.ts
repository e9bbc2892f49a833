import type { AppContext } from "../context.ts";
import { readStatusSnapshot, type StatusSnapshot } from "../status-page/snapshot.ts";
import { Representation, SnapshotCache, sendRendered } from "./render-cache.ts";
import type { Route } from "./server.ts";
import { renderStatusAtom } from "./status-atom.ts";
import { escapeHtml, renderStatusHtml } from "./status-html.ts";
import { renderStatusJson } from "./status-json.ts";

/** The page is read from the database at most this often, however many readers there are. */
export const STATUS_MAX_AGE_MS = 5_000;
/** How long a reader waits for a fresh read before getting the last good page. */
const FRESH_WAIT_MS = 2_000;

/** `GET /status`, `/status.json` and `/status/feed.atom`: the public status page, cached (render-cache.ts). */
export function statusPageRoutes(ctx: Pick<AppContext, "store" | "clock" | "config" | "logger">): Route[] {
  const { clock, logger } = ctx;
  const cache = new SnapshotCache<StatusSnapshot>(() => readStatusSnapshot(ctx), {
    clock,
    logger,
    maxAgeMs: STATUS_MAX_AGE_MS,
    waitMs: FRESH_WAIT_MS,
  });
  const url = ctx.config.statusPage.url ?? null;
  const representations = {
    html: new Representation<StatusSnapshot>(
      "text/html; charset=utf-8",
      (s) => renderStatusHtml(s, { subscribe: ctx.config.email.smtpUrl !== undefined }),
      clock,
    ),
    json: new Representation<StatusSnapshot>(
      "application/json; charset=utf-8",
      (s) => renderStatusJson(s, url),
      clock,
    ),
    atom: new Representation<StatusSnapshot>(
      "application/atom+xml; charset=utf-8",
      (s) => renderStatusAtom(s, url),
      clock,
    ),
  };
  const route = (path: string, kind: keyof typeof representations): Route => ({
    method: "GET",
    path,
    handle: async (request, response) => {
      let snapshot: StatusSnapshot;
      try {
        snapshot = await cache.get();
      } catch (error) {
        const ref = (error as { ref?: string }).ref ?? "";
        response.writeHead(503, { "content-type": "text/plain; charset=utf-8", "retry-after": "5" });
        response.end(
          `The status page cannot be shown right now. Please try again in a few seconds. (reference ${escapeHtml(ref)})\n`,
        );
        return;
      }
      sendRendered(request, response, representations[kind].of(snapshot));
    },
  });
  return [route("/status", "html"), route("/status.json", "json"), route("/status/feed.atom", "atom")];
}
