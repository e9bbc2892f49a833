import type { KnownBlock } from "@slack/types";
import {
  MAINT_USAGE,
  MAINTENANCE_TYPES,
  type MaintenancePolicyTable,
  noticeText,
  type WindowTimesProblem,
} from "../../domain/maintenance.ts";
import type { MaintenanceNotice } from "../../notifier.ts";
import type { CalendarWindow, MaintenanceWindow, OpenWindow } from "../../store/maintenance.ts";
import { escapeMrkdwn, slackDateToken } from "../mrkdwn.ts";
import {
  button,
  context,
  escapedWithin,
  groupMention,
  mention,
  messageFromBlocks,
  type SlackMessage,
  section,
} from "./blocks.ts";

/** The maintenance windows' messages: approval requests, announcements, answers to `/maint`. */

/** The buttons on maintenance messages; each carries the window id (`M3`) as its value. */
export const MAINT_ACTIONS = {
  approve: "maint_approve",
  reject: "maint_reject",
  endEarly: "maint_end_early",
  extend: "maint_extend",
} as const;

/** How long "Extend" adds. */
export const EXTEND_MINUTES = 30;

const TYPE_LABEL: Record<MaintenanceWindow["type"], string> = {
  security: "security",
  performance: "performance",
  feature: "feature",
  infrastructure: "infrastructure",
  unplanned: "unplanned",
};

/** `*M3* security maintenance "Patch openssl"`. */
const heading = (window: Pick<MaintenanceWindow, "id" | "type" | "title">) =>
  `*${window.id}* ${TYPE_LABEL[window.type]} maintenance *${escapedWithin(window.title, 150)}*`;

const servicesText = (services: readonly string[]) =>
  services.map((s) => `\`${escapedWithin(s, 80)}\``).join(", ") || "no service";

const span = (window: Pick<MaintenanceWindow, "startsAt" | "endsAt">) =>
  `from ${slackDateToken(window.startsAt)} to ${slackDateToken(window.endsAt)}`;

function planBlocks(window: MaintenanceWindow): KnownBlock[] {
  const parts = [
    window.procedure && `*Procedure*\n${escapedWithin(window.procedure, 1400)}`,
    window.rollback && `*Rollback*\n${escapedWithin(window.rollback, 1400)}`,
  ].filter((part): part is string => Boolean(part));
  return parts.map(section);
}

const requestText = (window: MaintenanceWindow) =>
  `${heading(window)}\n${span(window)} on ${servicesText(window.services)}\nRequested by ${mention(window.requestedBy)}`;

function approvalRequest(window: MaintenanceWindow, groups: readonly string[]): SlackMessage {
  const ask = groups.length > 0 ? `${groups.map(groupMention).join(" ")} ` : "";
  return messageFromBlocks([
    section(`${ask}:raised_hand: *Approval needed* for ${requestText(window)}`),
    ...planBlocks(window),
    {
      type: "actions",
      block_id: "maint_decision",
      elements: [
        button("Approve", MAINT_ACTIONS.approve, window.id, "primary"),
        button("Reject", MAINT_ACTIONS.reject, window.id, "danger"),
      ],
    },
  ]);
}

/** The request as every approver sees it once it is settled: who decided, and no buttons left to click. */
function approvalClosed(window: MaintenanceWindow): SlackMessage {
  const { decision } = window;
  const outcome = !decision
    ? ":hourglass: Expired: its start came before an approver decided."
    : `${decision.approved ? ":white_check_mark: Approved" : ":no_entry: Rejected"} by ${mention(decision.by)} at ${slackDateToken(decision.at)}.`;
  return messageFromBlocks([
    section(`Approval requested for ${requestText(window)}`),
    ...planBlocks(window),
    context(outcome),
  ]);
}

function decided(window: MaintenanceWindow): SlackMessage {
  const { decision } = window;
  const text = !decision
    ? `:hourglass: Your maintenance ${heading(window)} expired: its start came before an approver decided. Schedule it again with \`/maint schedule\`.`
    : decision.approved
      ? `:white_check_mark: Your maintenance ${heading(window)} was approved by ${mention(decision.by)} at ${slackDateToken(decision.at)}. It runs ${span(window)}.`
      : `:no_entry: Your maintenance ${heading(window)} was rejected by ${mention(decision.by)} at ${slackDateToken(decision.at)}.`;
  return messageFromBlocks([section(text)]);
}

const QUIET = "Alerts for these services are recorded but page nobody during the window.";

function announcement(
  notice: Exclude<MaintenanceNotice, { stage: "approval_request" | "approval_closed" | "decided" }>,
): SlackMessage {
  const { window } = notice;
  switch (notice.stage) {
    case "scheduled":
      return messageFromBlocks([
        section(
          `:calendar: Maintenance scheduled: ${heading(window)}\n${span(window)} on ${servicesText(window.services)}`,
        ),
        ...planBlocks(window),
        context(QUIET),
      ]);
    case "reminder":
      return messageFromBlocks([
        section(
          `:alarm_clock: Maintenance starts ${slackDateToken(window.startsAt)}: ${heading(window)} on ${servicesText(window.services)}, until ${slackDateToken(window.endsAt)}`,
        ),
        context(QUIET),
      ]);
    case "started":
      return messageFromBlocks([
        section(
          `:construction: Maintenance started: ${heading(window)} on ${servicesText(window.services)}, until ${slackDateToken(window.endsAt)}`,
        ),
        context(`${QUIET} Started by ${mention(window.requestedBy)}.`),
        {
          type: "actions",
          block_id: "maint_active",
          elements: [
            button("End now", MAINT_ACTIONS.endEarly, window.id, "danger"),
            button(`Extend ${EXTEND_MINUTES} min`, MAINT_ACTIONS.extend, window.id),
          ],
        },
      ]);
    case "extended":
      return messageFromBlocks([
        section(
          `:construction: Maintenance extended: ${heading(window)} now ends ${slackDateToken(window.endsAt)}${window.extendedBy ? ` (by ${mention(window.extendedBy)})` : ""}`,
        ),
      ]);
    case "ended": {
      const early = window.endedEarlyBy ? ` (ended early by ${mention(window.endedEarlyBy)})` : "";
      const held =
        notice.repaged.length > 0
          ? `Still firing, paged now: ${notice.repaged.map((t) => `*${escapedWithin(t, 150)}*`).join(", ")}`
          : "No alert it held back is still firing.";
      return messageFromBlocks([
        section(
          `:white_check_mark: Maintenance ended: ${heading(window)} on ${servicesText(window.services)}${early}`,
        ),
        context(held),
      ]);
    }
  }
}

export function maintenanceNoticeMessage(notice: MaintenanceNotice): SlackMessage {
  if (notice.stage === "approval_request") return approvalRequest(notice.window, notice.groups);
  if (notice.stage === "approval_closed") return approvalClosed(notice.window);
  if (notice.stage === "decided") return decided(notice.window);
  return announcement(notice);
}

/** In a new incident's channel: which maintenance is going on on its services. */
export function maintenanceActiveMessage(windows: readonly CalendarWindow[]): SlackMessage {
  const lines = windows.map(
    (w) =>
      `:construction: Maintenance *${w.id}* *${escapedWithin(w.title, 150)}* is active on ${servicesText(w.services)} until ${slackDateToken(w.endsAt)}: it may be the cause, and its alerts page nobody until it ends.`,
  );
  return messageFromBlocks([section(lines.join("\n"))]);
}

// ——— Answers to /maint ———

export function maintHelpMessage(types: MaintenancePolicyTable): SlackMessage {
  const commands = [
    `• \`${MAINT_USAGE.schedule} [type]\` — plan a window (a form: title, type, start, end, services, procedure, rollback)`,
    `• \`${MAINT_USAGE.list}\` — upcoming and active windows`,
    `• \`${MAINT_USAGE.start}\` — maintenance from now, e.g. \`/maint start checkout 30m hotfix for the cart\``,
    `• \`${MAINT_USAGE.help}\` — this help`,
  ].join("\n");
  const policy = MAINTENANCE_TYPES.map((type) => {
    const p = types[type];
    return `• *${type}* — ${escapeMrkdwn(p.description)}: ${noticeText(p.noticeHours)} notice, ${p.approvalRequired ? "needs approval" : "no approval"}, preferably ${p.preferredWindow}`;
  }).join("\n");
  return messageFromBlocks([
    section(`Here is what \`/maint\` can do:\n${commands}`),
    section(`*Types*\n${policy}`),
    context(
      "During a window, alerts for its services are recorded and shown but page nobody; those still firing at its end are paged then.",
    ),
  ]);
}

const STATE_LABEL: Record<OpenWindow["state"], string> = {
  pending: "waiting for approval",
  scheduled: "scheduled",
  active: "*active*",
  ended: "ended",
  rejected: "rejected",
};

export function maintListMessage(windows: readonly OpenWindow[]): SlackMessage {
  if (windows.length === 0)
    return messageFromBlocks([
      section("No maintenance is planned or going on. Plan some with `/maint schedule`."),
    ]);
  const lines = windows.map(
    (w) =>
      `• *${w._id}* *${escapedWithin(w.title, 150)}* — ${STATE_LABEL[w.state]}, ${slackDateToken(w.startsAt)} to ${slackDateToken(w.endsAt)} on ${servicesText(w.services)}`,
  );
  return messageFromBlocks([section(`*Maintenance windows*\n${lines.join("\n")}`)]);
}

/** Why a window's times were refused, as a sentence for the form or the person. */
export function windowTimesText(problem: WindowTimesProblem): string {
  switch (problem.kind) {
    case "start_in_past":
      return "The start is in the past: pick a time from now on.";
    case "end_before_start":
      return "The end must come after the start.";
    case "too_long":
      return `A window lasts at most ${problem.maxDays} days; split longer work into several windows.`;
    case "short_notice":
      return `This type needs ${noticeText(problem.noticeHours)} notice: the earliest allowed start is ${problem.earliestStart.toISOString().slice(0, 16).replace("T", " ")} UTC.`;
  }
}

export function unknownServiceText(name: string, suggestions: readonly string[]): string {
  const hint =
    suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(" or ")}?` : "";
  return `I don't know the service "${name}".${hint}`;
}
