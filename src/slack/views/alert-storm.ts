import type { KnownBlock } from "@slack/types";
import type { StormSummary } from "../../domain/storm.ts";
import { slackDateToken } from "../mrkdwn.ts";
import { SEVERITY_EMOJI } from "./alert-message.ts";
import { context, escapedWithin, messageFromBlocks, type SlackMessage, section } from "./blocks.ts";

/** Services named in the summary; the rest are counted together so the line stays short. */
const MAX_SERVICES = 8;

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

function servicesLine(summary: StormSummary): string {
  const named = summary.byService
    .slice(0, MAX_SERVICES)
    .map(({ service, count }) => `${escapedWithin(service || "no service", 60)} ${count}`);
  const others =
    summary.byService.slice(MAX_SERVICES).reduce((sum, s) => sum + s.count, 0) + summary.otherServices;
  return [...named, ...(others > 0 ? [`others ${others}`] : [])].join(" · ");
}

/**
 * A channel's alert storm as one message, edited in place as more alerts fold into it: how many, by
 * severity and service, and the most severe by name. Each alert is still escalated on its own (pages go by
 * direct message); only its channel post folds here.
 */
export function alertStormMessage(summary: StormSummary): SlackMessage {
  const severities = summary.bySeverity
    .map(({ severity, count }) => `${SEVERITY_EMOJI[severity]} ${count} ${severity}`)
    .join(" · ");
  const top = summary.top
    .map((alert) => `${SEVERITY_EMOJI[alert.severity]} ${escapedWithin(alert.title, 150)}`)
    .join("\n");
  const blocks: KnownBlock[] = [
    section(
      `:cyclone: *Alert storm: ${plural(summary.total, "alert")}* folded into this message to keep the channel readable\n${severities}`,
    ),
    ...(top ? [section(`*Most severe*\n${top}`)] : []),
    context(
      `Services: ${servicesLine(summary)}`,
      `From ${slackDateToken(summary.firstAt)} to ${slackDateToken(summary.lastAt)} · each alert still pages on its own`,
    ),
  ];
  return messageFromBlocks(blocks);
}
