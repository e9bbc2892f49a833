import type { HomeView } from "@slack/types";

/** The App Home tab: what Firebreak is and how to start. */
export function homeView(): HomeView {
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
          text: "*Declare:* `/incident declare sev2 Checkout is failing`, or the *Declare incident* shortcut.\n*Everything else:* `/incident help`",
        },
      },
    ],
  };
}
