import type { KnownBlock } from "@slack/types";
import type { StormSummary } from "../../domain/storm.ts";
import { ALERT_ACTIONS } from "../ids.ts";
import { slackDateToken } from "../mrkdwn.ts";
import { SEVERITY_EMOJI } from "./alert-message.ts";
import { button, context, escapedWithin, messageFromBlocks, type SlackMessage, section } from "./blocks.ts";

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/**
 * A paged person's storm: once they have had a handful of pages within a minute, the rest fold into this
 * one direct message, edited in place, instead of a notification per alert. It counts the alerts paging
 * them and offers Acknowledge on the most severe still open; every alert is still escalated on its own.
 */
export function pageStormMessage(summary: StormSummary): SlackMessage {
  const severities = summary.bySeverity
    .map(({ severity, count }) => `${SEVERITY_EMOJI[severity]} ${count} ${severity}`)
    .join(" · ");
  const blocks: KnownBlock[] = [
    section(
      `:rotating_light: *You are paged for ${plural(summary.total, "more alert")}*, folded into this message so ` +
        `your phone stays usable\n${severities}`,
    ),
    ...summary.top.map((alert) => ({
      ...section(
        `${SEVERITY_EMOJI[alert.severity]} *${escapedWithin(alert.title, 150)}*\n` +
          `${alert.severity.toUpperCase()} · ${escapedWithin(alert.service || "no service", 80)}`,
      ),
      accessory: button("Acknowledge", ALERT_ACTIONS.acknowledge, alert.id, "primary"),
    })),
    context(
      `From ${slackDateToken(summary.firstAt)} to ${slackDateToken(summary.lastAt)} · ` +
        "acknowledged alerts leave this list; the alerts channel has every one with its buttons",
    ),
  ];
  return messageFromBlocks(blocks);
}
