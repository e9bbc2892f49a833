import type { App } from "@slack/bolt";
import * as incidentCommand from "./commands/incident.ts";
import * as oncallCommand from "./commands/oncall.ts";
import type { SlackDeps } from "./deps.ts";
import * as homeEvents from "./events/home.ts";
import * as declareShortcuts from "./shortcuts/declare.ts";

/** Every Slack surface, one module each, registered the way Slack's TypeScript samples do. */
const SURFACES = [incidentCommand, oncallCommand, declareShortcuts, homeEvents];

export function registerSlackSurfaces(app: App, deps: SlackDeps): void {
  for (const surface of SURFACES) surface.register(app, deps);
}
