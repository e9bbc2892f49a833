import type { App } from "@slack/bolt";
import type { AppContext } from "../context.ts";
import * as changeButtons from "./actions/change-buttons.ts";
import * as changeCommand from "./commands/change.ts";
import * as changeModal from "./modals/change-modal.ts";

/** The change requests' surfaces: `/change`, its buttons and its request form. */
export function register(app: App, deps: AppContext): void {
  for (const surface of [changeCommand, changeButtons, changeModal]) surface.register(app, deps);
}
