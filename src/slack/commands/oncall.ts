import type { App } from "@slack/bolt";
import type { AppContext } from "../../context.ts";
import { onCallAt, type Schedule } from "../../domain/schedule.ts";
import { type OnCallCommand, parseOnCallCommand } from "../../domain/schedule-args.ts";
import { zonedWallTimeToUtc } from "../../domain/time-zone.ts";
import type { ReplyTarget } from "../../notifier.ts";
import { addOverride, createSchedule, getScheduleByName, listSchedules } from "../../store/schedules.ts";
import type { SlackContext } from "../context.ts";
import { escapeMrkdwn } from "../mrkdwn.ts";
import { reply } from "../reply.ts";
import { mention } from "../views/blocks.ts";
import {
  onCallHelpMessage,
  onCallMessage,
  overrideAddedMessage,
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

/** Finds the schedule by name, or tells the user which names there are. */
async function named(ctx: SlackContext, request: OnCallRequest, name: string): Promise<Schedule | undefined> {
  const schedule = await getScheduleByName(ctx.store.models, request.workspaceId, name);
  if (schedule) return schedule;
  const known = await listSchedules(ctx.store.models, request.workspaceId);
  await reply(ctx, request.replyTo, scheduleNotFoundMessage(name, known));
  return undefined;
}

/** Whether `userId` is on the rotation (overrides aside) at any time in [from, to). */
function scheduledDuring(schedule: Schedule, userId: string, from: Date, to: Date): boolean {
  const plain = { ...schedule, overrides: [] };
  // Past one lap of the rotation, every member has had a shift.
  let at = from;
  for (let lap = 0; lap <= schedule.members.length && at.getTime() < to.getTime(); lap++) {
    const shift = onCallAt(plain, at);
    if (shift.scheduledUserId === userId) return true;
    at = shift.shiftEnd;
  }
  return false;
}

const HANDLERS: Handlers = {
  help: (ctx, request) => reply(ctx, request.replyTo, onCallHelpMessage()),

  overview: async (ctx, request) => {
    const schedules = await listSchedules(ctx.store.models, request.workspaceId);
    await reply(ctx, request.replyTo, onCallMessage(schedules, ctx.clock.now()));
  },

  show: async (ctx, request, { name }) => {
    const schedule = await named(ctx, request, name);
    if (schedule) await reply(ctx, request.replyTo, onCallMessage([schedule], ctx.clock.now()));
  },

  create: async (ctx, request, command) => {
    const now = ctx.clock.now();
    const created = await createSchedule(ctx.store.models, {
      workspaceId: request.workspaceId,
      name: command.name,
      timeZone: command.timeZone,
      members: command.members,
      handoff: { weekday: command.weekday, time: command.time },
      // members[0] takes the shift that is running now, so someone is on call from the start.
      startsAt: now,
      createdBy: request.userId,
      createdAt: now,
    });
    if (!created.ok) return say(ctx, request, escapeMrkdwn(created.error));
    await reply(ctx, request.replyTo, scheduleCreatedMessage(created.schedule, now));
  },

  override: async (ctx, request, command) => {
    const schedule = await named(ctx, request, command.name);
    if (!schedule) return;
    const now = ctx.clock.now();
    const from = zonedWallTimeToUtc(command.from, schedule.timeZone);
    const to = zonedWallTimeToUtc(command.to, schedule.timeZone);
    if (to.getTime() <= from.getTime())
      return say(ctx, request, "The override must end after it starts (in the schedule's time zone).");
    if (to.getTime() <= now.getTime()) return say(ctx, request, "That time has already passed.");
    const added = await addOverride(ctx.store.models, schedule.id, {
      userId: command.userId,
      coversUserId: command.coversUserId,
      from,
      to,
    });
    if (!added.ok) return say(ctx, request, escapeMrkdwn(added.error));
    const override = added.schedule.overrides.at(-1) ?? { userId: command.userId, from, to };
    const note = scheduledDuring(schedule, command.coversUserId, from, to)
      ? undefined
      : `${mention(command.coversUserId)} is not on the rotation during that time; ${mention(command.userId)} is on call for all of it anyway.`;
    await reply(ctx, request.replyTo, overrideAddedMessage(added.schedule, override, now, note));
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
 * `/oncall …`: acks at once (Slack's 3 s budget), then answers ephemerally through the command's
 * response_url: who is on call, schedules created, overrides added, or what was wrong with the input.
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
    const parsed = parseOnCallCommand(command.text);
    if (!parsed.ok) return say(ctx, request, escapeMrkdwn(parsed.error));
    // An unexpected failure is answered, with a reference, by the app's `answerFailures` middleware.
    await run(ctx, request, parsed.value);
  });
}
