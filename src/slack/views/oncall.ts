import type { KnownBlock } from "@slack/types";
import {
  coveredUser,
  describeHandoff,
  nextShift,
  type OnCall,
  type Override,
  onCallAt,
  type Schedule,
} from "../../domain/schedule.ts";
import { ONCALL_SUMMARIES, ONCALL_USAGE } from "../../domain/schedule-args.ts";
import { formatPlainTime } from "../../domain/templates.ts";
import type { HandoffAnnouncement } from "../../notifier.ts";
import type { OverrideRefusal } from "../../oncall/schedules.ts";
import { escapeMrkdwn } from "../mrkdwn.ts";
import {
  context,
  escapedWithin,
  mention,
  messageFromBlocks,
  type SlackMessage,
  section,
  sections,
} from "./blocks.ts";

/** Block Kit for `/oncall`: who is on call now and next, confirmations, and hand-off announcements. */

/** At most this many schedules in one `/oncall` answer (Slack allows 50 blocks). */
export const MAX_SCHEDULES_SHOWN = 40;

/**
 * A Slack date token: each reader sees the time in their own zone ("Today at 9:00 AM"); clients that
 * cannot render it show the time in the schedule's zone.
 */
export function onCallDateToken(date: Date, timeZone: string): string {
  const unix = Math.floor(date.getTime() / 1000);
  return `<!date^${unix}^{date_short_pretty} {time}|${formatPlainTime(date, timeZone)}>`;
}

/** The schedule's name as mrkdwn: escaped, at most 100 characters. */
export function scheduleNameMrkdwn(schedule: Pick<Schedule, "name">): string {
  return escapedWithin(schedule.name, 100);
}

function personLine(onCall: Pick<OnCall, "userId" | "scheduledUserId" | "override">): string {
  const covered = coveredUser(onCall);
  return covered ? `${mention(onCall.userId)} (covering for ${mention(covered)})` : mention(onCall.userId);
}

/** Two lines: who is on call now and until when, and who comes next and from when. */
export function nowAndNextText(schedule: Schedule, at: Date): string {
  const now = onCallAt(schedule, at);
  const next = nextShift(schedule, at);
  const tz = schedule.timeZone;
  // The person never changes: one person on the rotation and no override ahead.
  if (next.userId === now.userId) return `:pager: Now: ${personLine(now)}, the only person on this rotation`;
  return [
    `:pager: Now: ${personLine(now)} until ${onCallDateToken(now.until, tz)}`,
    `Next: ${personLine(next)} from ${onCallDateToken(next.handoffAt, tz)}`,
  ].join("\n");
}

function scheduleSection(schedule: Schedule, at: Date): KnownBlock {
  const title = `*${scheduleNameMrkdwn(schedule)}* · hands off ${escapeMrkdwn(describeHandoff(schedule))}`;
  return section(`${title}\n${nowAndNextText(schedule, at)}`);
}

/** The answer to `/oncall` (every schedule) and `/oncall <name>` (one). */
export function onCallMessage(schedules: readonly Schedule[], at: Date): SlackMessage {
  if (schedules.length === 0) {
    return messageFromBlocks([
      section("There are no on-call schedules yet."),
      context(`Make one with \`${escapeMrkdwn(ONCALL_USAGE.create)}\`.`),
    ]);
  }
  const shown = schedules.slice(0, MAX_SCHEDULES_SHOWN);
  const blocks: KnownBlock[] = shown.map((schedule) => scheduleSection(schedule, at));
  if (schedules.length > shown.length)
    blocks.push(
      context(`And ${schedules.length - shown.length} more: \`/oncall <schedule>\` shows one by name.`),
    );
  return messageFromBlocks(blocks);
}

/** The rotation in order: `@alice → @bob → @carol`. */
function rotationText(schedule: Schedule): string {
  return schedule.members.map(mention).join(" → ");
}

/** The confirmation of `/oncall schedule create`. */
export function scheduleCreatedMessage(schedule: Schedule, at: Date): SlackMessage {
  return messageFromBlocks([
    section(
      `:white_check_mark: Created the on-call schedule *${scheduleNameMrkdwn(schedule)}*, handing off ${escapeMrkdwn(describeHandoff(schedule))}.`,
    ),
    ...sections(`Rotation: ${rotationText(schedule)}`),
    section(nowAndNextText(schedule, at)),
  ]);
}

/**
 * The confirmation of `/oncall override`, with a note when it does not do what the words said: the covered
 * person has no shift then (`coversOffRotation`).
 */
export function overrideAddedMessage(
  schedule: Schedule,
  override: Override,
  at: Date,
  coversOffRotation = false,
): SlackMessage {
  const tz = schedule.timeZone;
  const covers = override.coversUserId ? ` covers ${mention(override.coversUserId)}` : " is on call";
  const blocks: KnownBlock[] = [
    section(
      `:white_check_mark: ${mention(override.userId)}${covers} on *${scheduleNameMrkdwn(schedule)}* from ${onCallDateToken(override.from, tz)} to ${onCallDateToken(override.to, tz)}.`,
    ),
    section(nowAndNextText(schedule, at)),
  ];
  if (coversOffRotation && override.coversUserId)
    blocks.push(
      context(
        `${mention(override.coversUserId)} is not on the rotation during that time; ${mention(override.userId)} is on call for all of it anyway.`,
      ),
    );
  return messageFromBlocks(blocks);
}

/** "Hand-off for Primary: @bob is now on call until <date>, taking over from @alice." */
export function handoffAnnouncementMessage(schedule: Schedule, handoff: HandoffAnnouncement): SlackMessage {
  const who = handoff.coversUserId
    ? `${mention(handoff.userId)} (covering for ${mention(handoff.coversUserId)})`
    : mention(handoff.userId);
  const from =
    handoff.previousUserId && handoff.previousUserId !== handoff.userId
      ? `, taking over from ${mention(handoff.previousUserId)}`
      : "";
  return messageFromBlocks([
    section(
      `:pager: Hand-off for *${scheduleNameMrkdwn(schedule)}*: ${who} is now on call until ${onCallDateToken(handoff.until, schedule.timeZone)}${from}.`,
    ),
  ]);
}

/** The answer to `/oncall help`. */
export function onCallHelpMessage(): SlackMessage {
  const keys = Object.keys(ONCALL_USAGE) as (keyof typeof ONCALL_USAGE)[];
  const lines = keys.map(
    (key) => `• \`${escapeMrkdwn(ONCALL_USAGE[key])}\` — ${escapeMrkdwn(ONCALL_SUMMARIES[key])}`,
  );
  return messageFromBlocks([
    section("Here is what `/oncall` can do:"),
    ...sections(lines.join("\n")),
    context("Weekdays like monday or mon; time zones like Europe/London or America/New_York."),
  ]);
}

/** Why an override was not added, other than an unknown schedule (see `scheduleNotFoundMessage`). */
export function overrideRefusalText(
  refusal: Exclude<OverrideRefusal, { kind: "schedule_not_found" }>,
): string {
  switch (refusal.kind) {
    case "ends_before_start":
      return "The override must end after it starts (in the schedule's time zone).";
    case "already_passed":
      return "That time has already passed.";
    case "invalid":
      return escapeMrkdwn(refusal.problem);
  }
}

/** No schedule by that name: say so, and list the names there are. */
export function scheduleNotFoundMessage(name: string, known: readonly Schedule[]): SlackMessage {
  const list = known
    .slice(0, 20)
    .map((s) => `*${scheduleNameMrkdwn(s)}*`)
    .join(", ");
  const hint = known.length === 0 ? "There are no schedules yet." : `Schedules: ${list}`;
  return messageFromBlocks([section(`I can't find a schedule named *${escapedWithin(name, 100)}*. ${hint}`)]);
}
