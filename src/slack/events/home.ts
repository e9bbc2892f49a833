import type { App } from "@slack/bolt";
import type { AppContext } from "../../context.ts";
import { publishHome } from "../../home/home.ts";
import { newReference } from "../../reference.ts";

/**
 * Publishes the person's Home tab, built fresh, whenever they open it. Nobody waits on an answer, so a
 * failure is only logged (with a reference); the next open tries again.
 */
export function register(app: App, deps: AppContext): void {
  app.event("app_home_opened", async ({ event, body, context }) => {
    if (event.tab !== "home") return;
    const workspaceId = context.teamId ?? body.team_id;
    const outcome = await publishHome(deps, workspaceId, event.user).catch((error: unknown) => {
      deps.logger.error(
        { err: error, ref: newReference(), user: event.user },
        "could not build the Home tab",
      );
      return undefined;
    });
    if (outcome && outcome.status !== "done")
      deps.logger.warn(
        { ref: newReference(), user: event.user, error: outcome.code },
        "could not publish the Home tab",
      );
  });
}
