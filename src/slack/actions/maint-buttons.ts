import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { AppContext } from "../../context.ts";
import { endWindowEarly, extendWindow, type RunningWindowRefusal } from "../../maintenance/steps.ts";
import { type DecisionResult, decideWindow } from "../../maintenance/windows.ts";
import type { ReplyTarget } from "../../notifier.ts";
import { actionValue } from "../action-value.ts";
import type { SlackContext } from "../context.ts";
import { escapeMrkdwn, slackDateToken } from "../mrkdwn.ts";
import { reply } from "../reply.ts";
import { EXTEND_MINUTES, MAINT_ACTIONS } from "../views/maintenance.ts";

/** Said when Slack could not list the approvers' user group, to decide or to end or extend a window. */
const APPROVERS_UNCHECKED =
  "I could not check the approvers' user group with Slack just now; please try again in a minute.";

type ButtonBody = BlockAction<ButtonAction>;

function decisionText(result: DecisionResult, approved: boolean): string {
  if (result.ok)
    return approved
      ? `:white_check_mark: You approved maintenance *${result.window.id}*; it is announced and the requester is told.`
      : `:no_entry: You rejected maintenance *${result.window.id}*; the requester is told.`;
  switch (result.reason) {
    case "not_found":
      return "That maintenance window no longer exists.";
    case "not_approver":
      return "Only the maintenance approvers (MAINT_APPROVERS) can decide on a window.";
    case "lookup_failed":
      return APPROVERS_UNCHECKED;
    case "start_passed":
      return `Maintenance *${result.window.id}* was due to start already; it has to be scheduled again.`;
    case "already_decided": {
      const { decision, id, state } = result.window;
      if (!decision) return `Maintenance *${id}* is ${state === "rejected" ? "expired" : "already decided"}.`;
      const verb = decision.approved ? "approved" : "rejected";
      return `Maintenance *${id}* was already ${verb} by <@${decision.by}> at ${slackDateToken(decision.at)}.`;
    }
  }
}

/** Approve / Reject on approval requests, End now / Extend on the start announcement. */
export function register(app: App, deps: AppContext): void {
  const on = (
    actionId: string,
    work: (ctx: SlackContext, windowId: string, userId: string) => Promise<string>,
  ) => {
    app.action<ButtonBody>(actionId, async ({ ack, body, client }) => {
      await ack();
      const ctx: SlackContext = { ...deps, client };
      const replyTo: ReplyTarget = { userId: body.user.id, responseUrl: body.response_url };
      const text = await work(ctx, actionValue(body.actions[0]), body.user.id);
      await reply(ctx, replyTo, { text });
    });
  };
  for (const approved of [true, false]) {
    on(approved ? MAINT_ACTIONS.approve : MAINT_ACTIONS.reject, async (ctx, windowId, userId) =>
      decisionText(await decideWindow(ctx, windowId, userId, approved), approved),
    );
  }
  // The id comes from the button's value: shown escaped, as a forged value could carry `<!here>`.
  on(MAINT_ACTIONS.endEarly, async (ctx, windowId, userId) => {
    const ended = await endWindowEarly(ctx, windowId, userId);
    if (ended.ok)
      return `:white_check_mark: Maintenance *${escapeMrkdwn(windowId)}* ended; alerts for its services page again.`;
    return runningRefusalText(windowId, ended.reason, "has already ended");
  });
  on(MAINT_ACTIONS.extend, async (ctx, windowId, userId) => {
    const extended = await extendWindow(ctx, windowId, userId, EXTEND_MINUTES);
    if (extended.ok)
      return `:construction: Maintenance *${escapeMrkdwn(windowId)}* now ends ${slackDateToken(extended.window.endsAt)}.`;
    return runningRefusalText(windowId, extended.reason, "is not active any more, so it cannot be extended");
  });
}

/** Why End now or Extend did nothing, in words; `inactive` says it for the button's own case. */
function runningRefusalText(windowId: string, reason: RunningWindowRefusal, inactive: string): string {
  const id = escapeMrkdwn(windowId);
  switch (reason) {
    case "not_found":
      return "That maintenance window no longer exists.";
    case "not_active":
      return `Maintenance *${id}* ${inactive}.`;
    case "not_allowed":
      return `Only whoever asked for maintenance *${id}* or a maintenance approver (MAINT_APPROVERS) can end or extend it.`;
    case "lookup_failed":
      return APPROVERS_UNCHECKED;
  }
}
