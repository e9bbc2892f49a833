import type { App, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { checkWindowTimes, parseMaintCommand } from "../../domain/maintenance.ts";
import { checkServices, scheduleWindow, startWindowNow, upcomingWindows } from "../../maintenance/windows.ts";
import type { ReplyTarget } from "../../notifier.ts";
import { commandText } from "../command-text.ts";
import type { SlackContext } from "../context.ts";
import { decodeMetadata, encodeMetadata } from "../modal-metadata.ts";
import { escapeMrkdwn, slackDateToken } from "../mrkdwn.ts";
import { openForm } from "../open-form.ts";
import { reply, replyTargetSchema } from "../reply.ts";
import {
  maintHelpMessage,
  maintListMessage,
  unknownServiceText,
  windowTimesText,
} from "../views/maintenance.ts";
import { MAINT_BLOCKS, MAINT_VIEW, maintModal, parseMaintSubmission } from "../views/maintenance-modal.ts";

export const MAINT_COMMAND = "/maint";

const say = (ctx: SlackContext, to: ReplyTarget, text: string) => reply(ctx, to, { text });

const metadataSchema = z.object({ reply: replyTargetSchema });

/**
 * `/maint help | list | schedule [type] | start <service> <duration> <reason>`: acks at once, then answers
 * ephemerally. `schedule` opens the form; its submission is checked (times, notice, services) before the
 * form closes, so a refusal shows on the field it is about.
 */
export function register(app: App, deps: AppContext): void {
  app.command(MAINT_COMMAND, async ({ command, ack, client }) => {
    await ack();
    const ctx: SlackContext = { ...deps, client };
    const replyTo: ReplyTarget = { userId: command.user_id, responseUrl: command.response_url };
    const parsed = parseMaintCommand(commandText(command.text));
    if (!parsed.ok) return say(ctx, replyTo, escapeMrkdwn(parsed.error));
    const request = parsed.value;
    switch (request.kind) {
      case "help":
        return reply(ctx, replyTo, maintHelpMessage(ctx.config.maintenance.types));
      case "list":
        return reply(ctx, replyTo, maintListMessage(await upcomingWindows(ctx)));
      case "schedule": {
        const view = maintModal(
          {
            ...(request.type && { type: request.type }),
            timeZone: ctx.config.reports.timeZone,
            privateMetadata: encodeMetadata({ reply: replyTo }),
          },
          ctx.config.maintenance.types,
        );
        return openForm(ctx, command.trigger_id, view, replyTo);
      }
      case "start": {
        const started = await startWindowNow(ctx, {
          workspaceId: command.team_id,
          requestedBy: command.user_id,
          service: request.service,
          durationMs: request.durationMs,
          reason: request.reason,
          requestKey: command.trigger_id,
        });
        if (!started.ok) {
          const { problem } = started;
          return say(
            ctx,
            replyTo,
            problem.kind === "repeat"
              ? "This command was already received and its window started: `/maint list` shows it."
              : escapeMrkdwn(unknownServiceText(problem.name, problem.suggestions)),
          );
        }
        const { window } = started;
        return say(
          ctx,
          replyTo,
          `:construction: Maintenance *${window.id}* on \`${escapeMrkdwn(window.services.join(", "))}\` runs until ${slackDateToken(window.endsAt)}: its alerts page nobody until then.`,
        );
      }
    }
  });

  app.view<ViewSubmitAction>(MAINT_VIEW, async ({ ack, body, view, client }) => {
    const ctx: SlackContext = { ...deps, client };
    const form = parseMaintSubmission(view.state.values, ctx.config.reports.timeZone);
    if (!form.ok) return ack({ response_action: "errors", errors: form.errors });
    const request = form.value;
    // Checked before the form closes, so the person fixes the field in place.
    const timing = checkWindowTimes(request, ctx.config.maintenance.types[request.type], ctx.clock.now());
    if (timing) {
      const block =
        timing.kind === "end_before_start" || timing.kind === "too_long"
          ? MAINT_BLOCKS.end
          : MAINT_BLOCKS.start;
      return ack({ response_action: "errors", errors: { [block]: windowTimesText(timing) } });
    }
    const services = checkServices(ctx, request.services);
    if (!services.ok) {
      const { name, suggestions } = services.problem;
      return ack({
        response_action: "errors",
        errors: { [MAINT_BLOCKS.services]: unknownServiceText(name, suggestions) },
      });
    }
    await ack();
    const replyTo = decodeMetadata(metadataSchema, view.private_metadata)?.reply ?? { userId: body.user.id };
    const result = await scheduleWindow(ctx, {
      ...request,
      workspaceId: body.team?.id ?? body.user.team_id ?? "",
      requestedBy: body.user.id,
      requestKey: view.id,
    });
    if (!result.ok) {
      const { problem } = result;
      // A double submit: the first one answers.
      if (problem.kind === "already_submitted") return;
      const text =
        problem.kind === "unknown_service"
          ? unknownServiceText(problem.name, problem.suggestions)
          : problem.kind === "no_approvers"
            ? `${problem.type} maintenance needs an approver, and none is configured (MAINT_APPROVERS): ask an admin to set one.`
            : windowTimesText(problem);
      return say(ctx, replyTo, escapeMrkdwn(text));
    }
    const { window, needsApproval, inPreferred, preferred } = result;
    const next = needsApproval
      ? "It waits for an approver: you will be told of the decision."
      : "It is scheduled and announced.";
    const advice = inPreferred
      ? ""
      : ` Note: ${window.type} work is preferably done in the ${preferred} window.`;
    await say(
      ctx,
      replyTo,
      `:calendar: Maintenance *${window.id}* *${escapeMrkdwn(window.title)}* from ${slackDateToken(window.startsAt)} to ${slackDateToken(window.endsAt)}. ${next}${advice}`,
    );
  });
}
