import type { App } from "@slack/bolt";
import type { AppContext } from "../context.ts";
import * as alertButtons from "./actions/alert-buttons.ts";
import * as homeButtons from "./actions/home-buttons.ts";
import * as incidentButtons from "./actions/incident-buttons.ts";
import * as maintButtons from "./actions/maint-buttons.ts";
import * as runbookChecklist from "./actions/runbook-checklist.ts";
import * as changeSurfaces from "./change-surfaces.ts";
import * as incidentCommand from "./commands/incident.ts";
import * as maintCommand from "./commands/maint.ts";
import * as onCallCommand from "./commands/oncall.ts";
import * as homeEvents from "./events/home.ts";
import * as pinEvents from "./events/pins.ts";
import * as incidentModals from "./modals/incident-modals.ts";
import * as declareShortcuts from "./shortcuts/declare.ts";
import { ListenerRegistry } from "./unknown-requests.ts";

/** Every Slack surface, one module each, registered the way Slack's TypeScript samples do. */
const SURFACES = [
  incidentCommand,
  onCallCommand,
  declareShortcuts,
  incidentButtons,
  alertButtons,
  incidentModals,
  homeEvents,
  homeButtons,
  pinEvents,
  changeSurfaces,
  maintCommand,
  maintButtons,
  runbookChecklist,
];

/** Registers every surface; returns what they listen for, for `answerUnknownRequests`. */
export function registerSlackSurfaces(app: App, deps: AppContext): ListenerRegistry {
  const registry = new ListenerRegistry();
  const recording = registry.recording(app);
  for (const surface of SURFACES) surface.register(recording, deps);
  return registry;
}
