import type { WebClient } from "@slack/web-api";
import type { AppContext } from "../context.ts";

/** What a listener works with: the app's context, and Bolt's Web API client for views and replies. */
export interface SlackContext extends AppContext {
  client: WebClient;
}
