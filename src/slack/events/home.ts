import type { App } from "@slack/bolt";
import type { AppContext } from "../../context.ts";
import { homeView } from "../views/home.ts";

/** Publishes the Home tab whenever someone opens it. */
export function register(app: App, deps: AppContext): void {
  app.event("app_home_opened", async ({ event, client }) => {
    if (event.tab !== "home") return;
    await client.views.publish({ user_id: event.user, view: homeView() }).catch((error) => {
      deps.logger.warn({ err: error, user: event.user }, "could not publish the Home tab");
    });
  });
}
