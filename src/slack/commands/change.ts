import type { App } from "@slack/bolt";
import type { AppContext } from "../../context.ts";
import { type ChangeCommand, parseChangeCommand } from "../../domain/change-commands.ts";
import type { ReplyTarget } from "../../notifier.ts";
import { changeId, getChange, openChanges } from "../../store/changes.ts";
import { answerChangeAction } from "../change-steps.ts";
import { commandText } from "../command-text.ts";
import type { SlackContext } from "../context.ts";
import { encodeMetadata } from "../modal-metadata.ts";
import { escapeMrkdwn } from "../mrkdwn.ts";
import { openForm } from "../open-form.ts";
import { reply } from "../reply.ts";
import {
  CHANGES_OFF_TEXT,
  changeCardMessage,
  changeHelpMessage,
  changeListMessage,
  noSuchChangeText,
} from "../views/change.ts";
import { changeRequestModal } from "../views/change-modal.ts";

export const CHANGE_COMMAND = "/change";

interface ChangeCommandRequest {
  workspaceId: string;
  userId: string;
  triggerId: string;
  replyTo: ReplyTarget;
}

async function run(ctx: SlackContext, request: ChangeCommandRequest, command: ChangeCommand): Promise<void> {
  const { replyTo, workspaceId, userId } = request;
  switch (command.kind) {
    case "help":
      return reply(ctx, replyTo, changeHelpMessage(command.unknown));
    case "request": {
      if (!ctx.config.changes.approvers) return reply(ctx, replyTo, { text: CHANGES_OFF_TEXT });
      return openForm(
        ctx,
        request.triggerId,
        changeRequestModal(encodeMetadata({ reply: replyTo })),
        replyTo,
      );
    }
    case "list":
      return reply(ctx, replyTo, changeListMessage(await openChanges(ctx.store.models, workspaceId)));
    case "show": {
      const change = await getChange(ctx.store.models, changeId(workspaceId, command.number));
      return reply(
        ctx,
        replyTo,
        change ? changeCardMessage(change) : { text: noSuchChangeText(command.number) },
      );
    }
    case "approve":
    case "reject":
    case "move": {
      const { number, ...action } = command;
      return answerChangeAction(ctx, replyTo, { workspaceId, number }, userId, action);
    }
  }
}

/**
 * `/change …`: acks at once (Slack's 3 s budget), then parses and answers ephemerally through the
 * command's response_url: help, the request form, the open changes, a change's card, or a step on it.
 */
export function register(app: App, deps: AppContext): void {
  app.command(CHANGE_COMMAND, async ({ command, ack, client }) => {
    await ack();
    const ctx: SlackContext = { ...deps, client };
    const request: ChangeCommandRequest = {
      workspaceId: command.team_id,
      userId: command.user_id,
      triggerId: command.trigger_id,
      replyTo: { userId: command.user_id, responseUrl: command.response_url },
    };
    const parsed = parseChangeCommand(commandText(command.text).text);
    if (!parsed.ok) return reply(ctx, request.replyTo, { text: escapeMrkdwn(parsed.error) });
    await run(ctx, request, parsed.value);
  });
}
