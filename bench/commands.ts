import type { FakeSlack } from "../test/support/fake-slack/server.ts";

/** The incidents side of the bench workspace: the announcements channel and the person who declares. */

export const INCIDENTS_CHANNEL = "C0BENCHINCIDENTS";
export const DECLARER = { id: "U0BENCHDECL", name: "alice" };

/**
 * Declarations here are deliberately alike ("Bench declaration <i>"): with the duplicate window at 0 the
 * check still runs, but finds nothing, so each one is declared rather than held back by the warning.
 */
export const DECLARE_ENV = { INCIDENTS_CHANNEL, DUPLICATE_WINDOW_MINUTES: "0" };

/** The announcements channel with the bot in it, and the person who declares. */
export function seedIncidentWorkspace(slack: FakeSlack): void {
  slack.addChannel({ id: INCIDENTS_CHANNEL, name: "incidents", members: [slack.state.bot.user_id] });
  slack.addUser(DECLARER);
}
