import { incidentKey } from "../../domain/incident.ts";
import type { FollowUp } from "../../domain/postmortem.ts";
import type { PostmortemReminder } from "../../notifier.ts";
import { slackDateToken } from "../mrkdwn.ts";
import {
  channelMention,
  durationBetween,
  escapedWithin,
  mention,
  messageFromBlocks,
  type SlackMessage,
  section,
} from "./blocks.ts";

/** The nudge for a postmortem coming due or overdue, naming its owner and how to record the document. */
export function postmortemReminderMessage(reminder: PostmortemReminder, now: Date): SlackMessage {
  const key = incidentKey(reminder.number);
  const when =
    reminder.stage === "overdue"
      ? `was due ${slackDateToken(reminder.dueAt)} and is overdue by ${durationBetween(reminder.dueAt, now)}`
      : `is due ${slackDateToken(reminder.dueAt)} (in ${durationBetween(now, reminder.dueAt)})`;
  return messageFromBlocks([
    section(
      `:memo: ${mention(reminder.ownerId)}, the postmortem of ${key} ${when}. ` +
        "When it is written, record it with `/incident postmortem done &lt;link&gt;` in the incident channel" +
        (reminder.channelId ? ` (${channelMention(reminder.channelId)}).` : "."),
    ),
  ]);
}

/** The nudge for an overdue follow-up action. */
export function followUpReminderMessage(followUp: FollowUp): SlackMessage {
  const who = `${mention(followUp.ownerId ?? followUp.createdBy)}, f`;
  const due = followUp.dueAt ? ` was due ${slackDateToken(followUp.dueAt)} and` : "";
  return messageFromBlocks([
    section(
      `:hourglass: ${who}ollow-up *${followUp.id}* of ${incidentKey(followUp.number)}${due} is still open: ` +
        `${escapedWithin(followUp.text, 500)}. Mark it done with \`/incident followup done ${followUp.id}\` in the incident channel.`,
    ),
  ]);
}
