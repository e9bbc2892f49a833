import type { App } from "@slack/bolt";
import * as incidentCommand from "./commands/incident.ts";
import type { SlackDeps } from "./deps.ts";

/** Every Slack surface, one module each, registered the way Slack's TypeScript samples do. */
const SURFACES = [incidentCommand];

export function registerSlackSurfaces(app: App, deps: SlackDeps): void {
  for (const surface of SURFACES) surface.register(app, deps);
}
