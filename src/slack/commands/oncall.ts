import type { App } from "@slack/bolt";
import type { AppContext } from "../../context.ts";
import { type OnCallCommand, parseOnCallCommand } from "../../domain/schedule-args.ts";
import type { ReplyTarget } from "../../notifier.ts";
import { createRotation, overrideOnCall, whoIsOnCall, whoIsOnCallOn } from "../../oncall/schedules.ts";
import { commandText } from "../command-text.ts";
import type { SlackContext } from "../context.ts";
import { escapeMrkdwn } from "../mrkdwn.ts";
import { reply } from "../reply.ts";
import {
  onCallHelpMessage,
  onCallMessage,
  overrideAddedMessage,
  overrideRefusalText,
  scheduleCreatedMessage,
  scheduleNotFoundMessage,
} from "../views/oncall.ts";

export const ONCALL_COMMAND = "/oncall";

interface OnCallRequest {
  workspaceId: string;
  userId: string;
  replyTo: ReplyTarget;
}

type Handlers = {
  [K in OnCallCommand["kind"]]: (
    ctx: SlackContext,
    request: OnCallRequest,
    command: Extract<OnCallCommand, { kind: K }>,
  ) => Promise<void>;
};

const say = (ctx: SlackContext, request: OnCallRequest, text: string) =>
  reply(ctx, request.replyTo, { text });

/** Each sub-command: call its use case, answer with its view. */
const HANDLERS: Handlers = {
  help: (ctx, request) => reply(ctx, request.replyTo, onCallHelpMessage()),

  overview: async (ctx, request) => {
    const { schedules, at } = await whoIsOnCall(ctx, request.workspaceId);
    await reply(ctx, request.replyTo, onCallMessage(schedules, at));
  },

  show: async (ctx, request, { name }) => {
    const answer = await whoIsOnCallOn(ctx, request.workspaceId, name);
    const message = answer.ok
      ? onCallMessage([answer.schedule], answer.at)
      : scheduleNotFoundMessage(answer.refusal.name, answer.refusal.known);
    await reply(ctx, request.replyTo, message);
  },

  create: async (ctx, request, { kind: _, ...rotation }) => {
    const created = await createRotation(ctx, {
      ...rotation,
      workspaceId: request.workspaceId,
      createdBy: request.userId,
    });
    if (!created.ok) return say(ctx, request, escapeMrkdwn(created.problem));
    await reply(ctx, request.replyTo, scheduleCreatedMessage(created.schedule, created.at));
  },

  override: async (ctx, request, { kind: _, ...override }) => {
    const added = await overrideOnCall(ctx, { ...override, workspaceId: request.workspaceId });
    if (added.ok) {
      const { schedule, at, coversOffRotation } = added;
      return reply(
        ctx,
        request.replyTo,
        overrideAddedMessage(schedule, added.override, at, coversOffRotation),
      );
    }
    const { refusal } = added;
    if (refusal.kind === "schedule_not_found")
      return reply(ctx, request.replyTo, scheduleNotFoundMessage(refusal.name, refusal.known));
    await say(ctx, request, overrideRefusalText(refusal));
  },
};

function run<K extends OnCallCommand["kind"]>(
  ctx: SlackContext,
  request: OnCallRequest,
  command: Extract<OnCallCommand, { kind: K }>,
): Promise<void> {
  const handler = HANDLERS[command.kind as K];
  return handler(ctx, request, command);
}

/**
 * `/oncall …`: acks at once (Slack's 3 s budget), parses the text, runs the on-call use case and answers
 * ephemerally through the command's response_url: who is on call, schedules created, overrides added, or
 * what was wrong with the input.
 */
export function register(app: App, deps: AppContext): void {
  app.command(ONCALL_COMMAND, async ({ command, ack, client }) => {
    await ack();
    const ctx: SlackContext = { ...deps, client };
    const request: OnCallRequest = {
      workspaceId: command.team_id,
      userId: command.user_id,
      replyTo: { userId: command.user_id, responseUrl: command.response_url },
    };
    const parsed = parseOnCallCommand(commandText(command.text));
    if (!parsed.ok) return say(ctx, request, escapeMrkdwn(parsed.error));
    // An unexpected failure is answered, with a reference, by the app's `answerFailures` middleware.
    await run(ctx, request, parsed.value);
  });
}
