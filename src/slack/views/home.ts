import type { HomeView } from "@slack/types";
import { INCIDENT_SUBCOMMANDS } from "../../domain/incident-commands.ts";

/** The App Home tab: what Firebreak is and how to start, until it can list live incidents. */
export function homeView(): HomeView {
  const available = INCIDENT_SUBCOMMANDS.filter((s) => s.available).map((s) => `\`/incident ${s.usage}\``);
  return {
    type: "home",
    blocks: [
      { type: "header", text: { type: "plain_text", text: "Firebreak" } },
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: "Incident response from Slack: declare, escalate, track and report incidents without leaving the conversation.",
        },
      },
      { type: "divider" },
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `*Works today:* ${available.join(", ")}\n*Start here:* \`/incident help\``,
        },
      },
    ],
  };
}
