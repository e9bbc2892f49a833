import type { ActionsBlock, KnownBlock } from "@slack/types";
import type { AskedRole, RequestResult } from "../../changes/changes.ts";
import {
  APPROVAL_MATRIX,
  type Approval,
  type ApproverRole,
  CHANGE_MOVES,
  CHANGE_SYSTEM_ACTOR,
  CHANGE_TYPES,
  type ChangeMove,
  type ChangeNote,
  type ChangeRefusal,
  type ChangeRequest,
  type ChangeStatus,
  type ChangeStepDone,
  changeKey,
  movesFrom,
  pendingRoles,
} from "../../domain/change.ts";
import { CHANGE_SUBCOMMANDS } from "../../domain/change-commands.ts";
import type { ChangeSummary } from "../../store/changes.ts";
import { CHANGE_ACTIONS } from "../ids.ts";
import { slackDateToken } from "../mrkdwn.ts";
import {
  button,
  context,
  escapedWithin,
  mention,
  messageFromBlocks,
  type SlackMessage,
  section,
} from "./blocks.ts";
import type { RenderedMessage } from "./message.ts";

/** Every message about change requests: the change's card, the notes people get, the lists and answers. */

const STATUS_LABELS: Record<ChangeStatus, string> = {
  draft: "Draft",
  submitted: "Waiting for approval",
  approved: "Approved",
  rejected: "Rejected",
  scheduled: "Scheduled",
  implementing: "Being implemented",
  completed: "Completed",
  failed: "Failed",
};

const MOVE_BUTTONS: Record<ChangeMove, { text: string; style?: "primary" | "danger" }> = {
  schedule: { text: "Schedule", style: "primary" },
  start: { text: "Start implementing", style: "primary" },
  complete: { text: "Completed", style: "primary" },
  fail: { text: "Failed", style: "danger" },
};

const capitalised = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
const roleList = (roles: readonly ApproverRole[]) => roles.join(", ") || "nobody";
const people = (ids: readonly string[]) => ids.map(mention).join(", ");
const actor = (id: string) => (id === CHANGE_SYSTEM_ACTOR ? "Firebreak" : mention(id));
const heading = (change: Pick<ChangeRequest, "number" | "title">) =>
  `*${changeKey(change.number)}* ${escapedWithin(change.title, 150)}`;

function approvalLine(change: ChangeRequest): string {
  const policy = APPROVAL_MATRIX[change.type];
  if (policy.autoApprove) return `Approved automatically (${change.type}); ${roleList(policy.required)} told`;
  const decided = change.approvals.map(
    (a) => `${a.decision === "approved" ? ":white_check_mark:" : ":x:"} ${a.role} ${mention(a.userId)}`,
  );
  const waiting = change.status === "submitted" ? pendingRoles(change).map((r) => `:hourglass: ${r}`) : [];
  return [...decided, ...waiting].join(" · ") || "none";
}

/** The change with its details, approvals and latest step; `withMoves` adds the next step's buttons. */
export function changeCardBlocks(change: ChangeRequest, withMoves: boolean): KnownBlock[] {
  const last = change.history.at(-1);
  const reason = last?.reason ? `: ${escapedWithin(last.reason, 300)}` : "";
  const details = [
    `*Type* ${capitalised(change.type)} · *Risk* ${change.risk} · *Status* ${STATUS_LABELS[change.status]}`,
    `*Scheduled* ${slackDateToken(change.scheduledAt)} · *Requested by* ${mention(change.requesterId)}`,
    `*Services* ${escapedWithin(change.affectedServices.join(", "), 500)}`,
    `*Approvals* ${approvalLine(change)}`,
  ];
  const plans = [
    ...(change.description ? [`*Description*\n${escapedWithin(change.description, 800)}`] : []),
    `*Rollback plan*\n${escapedWithin(change.rollbackPlan, 800)}`,
    `*Testing plan*\n${escapedWithin(change.testingPlan, 800)}`,
  ];
  const blocks: KnownBlock[] = [section(`:clipboard: ${heading(change)}`), section(details.join("\n"))];
  blocks.push(section(plans.join("\n")));
  if (last)
    blocks.push(
      context(`${STATUS_LABELS[last.to]} by ${actor(last.actorId)} ${slackDateToken(last.at)}${reason}`),
    );
  const moves = withMoves ? movesFrom(change.status) : [];
  if (moves.length > 0) {
    const actions: ActionsBlock = {
      type: "actions",
      block_id: "change_moves",
      elements: moves.map((move) =>
        button(
          MOVE_BUTTONS[move].text,
          CHANGE_ACTIONS[move],
          String(change.number),
          MOVE_BUTTONS[move].style,
        ),
      ),
    };
    blocks.push(actions);
  }
  return blocks;
}

/** A line above the card (what just happened), then the card with the next step's buttons. */
export function changeCardMessage(change: ChangeRequest, line?: string): SlackMessage {
  return messageFromBlocks([...(line ? [section(line)] : []), ...changeCardBlocks(change, true)]);
}

function approvalRequest(change: ChangeRequest, role: ApproverRole): SlackMessage {
  const key = changeKey(change.number);
  const intro = `:raising_hand: ${mention(change.requesterId)} asks you, as *${role}*, to approve ${key}.`;
  const blocks: KnownBlock[] = [section(intro), ...changeCardBlocks(change, false)];
  if (change.status === "submitted" && pendingRoles(change).includes(role))
    blocks.push({
      type: "actions",
      block_id: "change_decision",
      elements: [
        button("Approve", CHANGE_ACTIONS.approve, String(change.number), "primary"),
        button("Reject", CHANGE_ACTIONS.reject, String(change.number), "danger"),
      ],
    });
  else
    blocks.push(
      context(`Nothing to decide any more: ${key} is ${STATUS_LABELS[change.status].toLowerCase()}.`),
    );
  return messageFromBlocks(blocks);
}

function decided(change: ChangeRequest): SlackMessage {
  const key = changeKey(change.number);
  if (change.status === "rejected") {
    const rejection = change.approvals.find((a) => a.decision === "rejected");
    const by = rejection ? ` by ${mention(rejection.userId)} (${rejection.role})` : "";
    const why = rejection?.reason ? `: ${escapedWithin(rejection.reason, 300)}` : "";
    return changeCardMessage(change, `:x: ${key} was rejected${by}${why}. It is closed.`);
  }
  return changeCardMessage(change, `:white_check_mark: ${key} is approved. Schedule it when you are ready.`);
}

function possibleCause(change: ChangeRequest): SlackMessage {
  const started = change.history.find((h) => h.to === "implementing");
  const since = started ? ` since ${slackDateToken(started.at)}` : "";
  const line =
    `:warning: *Possible cause:* ${heading(change)} is being implemented on ` +
    `${escapedWithin(change.affectedServices.join(", "), 300)}${since}, requested by ${mention(change.requesterId)}.`;
  return messageFromBlocks([
    section(line),
    section(`*Rollback plan*\n${escapedWithin(change.rollbackPlan, 1500)}`),
    context(`Linked on this incident's timeline. See it with \`/change show ${changeKey(change.number)}\`.`),
  ]);
}

/** The view of each note the use cases send. */
export function changeNoteMessage(note: ChangeNote): SlackMessage {
  switch (note.kind) {
    case "approval_request":
      return approvalRequest(note.change, note.role);
    case "emergency_notice":
      return messageFromBlocks([
        section(
          `:rotating_light: Emergency change ${changeKey(note.change.number)} was approved automatically. ` +
            `You are told as *${note.role}*.`,
        ),
        ...changeCardBlocks(note.change, false),
      ]);
    case "decided":
      return decided(note.change);
    case "possible_cause":
      return possibleCause(note.change);
  }
}

function askedLine(asked: AskedRole): string {
  if (asked.people.length > 0) return `${asked.role}: ${people(asked.people)}`;
  if (asked.ref)
    return `:warning: ${asked.role}: Slack did not tell me who is in its user group; ask them yourself (ref ${asked.ref})`;
  return `:warning: ${asked.role}: nobody to ask (check CHANGE_APPROVERS, or the group or schedule it names)`;
}

export const CHANGES_OFF_TEXT =
  "Change requests are not set up in this workspace yet: your Firebreak admin sets CHANGE_APPROVERS (see the README, Change approvals).";

/** The answer to a submitted request form; undefined for a repeat of one already answered. */
export function changeRequestedMessage(result: RequestResult): RenderedMessage | undefined {
  if (!result.ok) return { text: CHANGES_OFF_TEXT };
  const { change, asked } = result;
  if (!change) return undefined;
  const key = changeKey(change.number);
  const lines = asked.map(askedLine).join("\n");
  const line =
    change.status === "approved"
      ? `:rotating_light: ${key} is an emergency change: approved at once. Told:\n${lines}`
      : `:clipboard: ${key} is submitted. Asked for approval:\n${lines}`;
  return changeCardMessage(change, line);
}

function approvalsBy(approvals: readonly Approval[]): string {
  return approvals.map((a) => `${a.role} (${mention(a.userId)})`).join(", ");
}

/** Why a step was refused, in words. */
export function changeRefusalText(number: number, refusal: ChangeRefusal): string {
  const key = changeKey(number);
  switch (refusal.kind) {
    case "not_approver":
      return `Only the approvers of ${key} may approve or reject it: ${roleList(refusal.roles)}. You are not one of them in CHANGE_APPROVERS.`;
    case "own_change":
      return `You requested ${key}, so you cannot approve or reject it yourself; its approvers were asked.`;
    case "already_decided":
      return `You already ${refusal.approval.decision} ${key} (as ${refusal.approval.role}, ${slackDateToken(refusal.approval.at)}).`;
    case "role_approved":
      return `${key} already has the approval of ${approvalsBy(refusal.approvals)}; it still waits for ${roleList(refusal.pending)}.`;
    case "not_awaiting_approval":
      return `${key} is not waiting for approval: it is ${STATUS_LABELS[refusal.status].toLowerCase()}.`;
    case "already_moved":
      return `That was already done: ${key} is ${STATUS_LABELS[refusal.status].toLowerCase()}.`;
    case "wrong_status": {
      const { from } = CHANGE_MOVES[refusal.move];
      return `${key} is ${STATUS_LABELS[refusal.status].toLowerCase()}; to ${refusal.move} it, it must be ${STATUS_LABELS[from].toLowerCase()}.`;
    }
    case "not_involved":
      return `Only whoever requested ${key} or its approvers (${roleList(refusal.roles)}) may move it along.`;
  }
}

/** What a step did, in one line above the card. */
export function changeStepLine(step: ChangeStepDone): string {
  const { change, approval, statusChange } = step;
  const key = changeKey(change.number);
  if (approval?.decision === "rejected")
    return `:x: You rejected ${key}: it is closed, and ${mention(change.requesterId)} is told.`;
  if (approval) {
    const pending = pendingRoles(change);
    return pending.length > 0
      ? `:white_check_mark: You approved ${key} as ${approval.role}. It still waits for ${roleList(pending)}.`
      : `:white_check_mark: You approved ${key} as ${approval.role}: it is approved, and ${mention(change.requesterId)} is told.`;
  }
  return `${key} is now ${STATUS_LABELS[statusChange?.to ?? change.status].toLowerCase()}.`;
}

export const noSuchChangeText = (number: number) =>
  `There is no change ${changeKey(number)} in this workspace. See the open ones with \`/change list\`.`;

export const approverLookupFailedText = (ref: string) =>
  `:warning: I could not check who may approve: Slack did not tell me who is in an approver group. Please try again in a minute (ref ${ref}).`;

/** `/change list`: the open changes, oldest first. */
export function changeListMessage(open: readonly ChangeSummary[]): RenderedMessage {
  if (open.length === 0) return { text: "No change requests are open. Start one with `/change request`." };
  const shown = open.slice(0, 20);
  const lines = shown.map(
    (c) =>
      `• ${heading(c)} · ${capitalised(c.type)} · ${STATUS_LABELS[c.status]} · scheduled ${slackDateToken(c.scheduledAt)}`,
  );
  const more = open.length > shown.length ? [`…and ${open.length - shown.length} more.`] : [];
  return { text: [`*Open change requests* (${open.length})`, ...lines, ...more].join("\n") };
}

function matrixLine(type: (typeof CHANGE_TYPES)[number]): string {
  const policy = APPROVAL_MATRIX[type];
  const optional = policy.optional.length > 0 ? `; optional ${roleList(policy.optional)}` : "";
  const how = policy.autoApprove ? "approved automatically, told" : "must approve";
  return `• *${capitalised(type)}*: ${roleList(policy.required)} ${how}${optional}; up to ${policy.maxDurationHours} h`;
}

/** `/change help`, and the answer to a sub-command it does not know. */
export function changeHelpMessage(unknown?: string): SlackMessage {
  const intro = unknown
    ? `I don't know \`${escapedWithin(unknown, 40)}\`. Here is what \`/change\` can do:`
    : "Here is what `/change` can do:";
  const commands = CHANGE_SUBCOMMANDS.map((s) => `• \`/change ${s.usage}\` — ${s.summary}`).join("\n");
  const matrix = ["*Who approves what*", ...CHANGE_TYPES.map(matrixLine)].join("\n");
  return messageFromBlocks([
    section(intro),
    section(commands),
    section(matrix),
    context(
      "A change goes submitted → approved → scheduled → implementing → completed or failed; a rejection ends it. Example: `/change request`, then `/change start CHG-12`.",
    ),
  ]);
}
