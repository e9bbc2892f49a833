import type { FakeSlack } from "../test/support/fake-slack/server.ts";
import { WEBHOOK_SECRET } from "./harness.ts";

/** The alerts side of the bench workspace: a channel, a webhook secret and a two-level policy. */

export const ALERTS_CHANNEL = "C0BENCHALERTS";
const L1 = { id: "U0BENCHL1", name: "primary" };
const L2 = { id: "U0BENCHL2", name: "secondary" };
const POLICY = {
  levels: [
    { afterMinutes: 0, targets: [L1.id] },
    { afterMinutes: 15, targets: [L2.id] },
  ],
};

/** The environment that turns alerts on: a channel, a webhook secret and a two-level policy. */
export const ALERT_ENV = {
  ALERTS_CHANNEL,
  ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
  ESCALATION_POLICY: JSON.stringify(POLICY),
};

/** The alerts channel with the bot in it, and the people the policy pages. */
export function seedAlertWorkspace(slack: FakeSlack): void {
  slack.addChannel({ id: ALERTS_CHANNEL, name: "alerts", members: [slack.state.bot.user_id] });
  for (const person of [L1, L2]) slack.addUser(person);
}
