import { parseFollowUpArgs, parsePostmortemArgs } from "../../domain/postmortem-args.ts";
import { zonedWallTimeToUtc } from "../../domain/time-zone.ts";
import { findTarget } from "../../incidents/target.ts";
import { addIncidentFollowUp, incidentFollowUps, markFollowUpDone } from "../../postmortems/follow-ups.ts";
import { draftPostmortem, finishPostmortem } from "../../postmortems/postmortems.ts";
import { commandText } from "../command-text.ts";
import type { SlackContext } from "../context.ts";
import { escapeMrkdwn } from "../mrkdwn.ts";
import { reply } from "../reply.ts";
import { targetMissingText } from "../views/incident-change.ts";
import {
  followUpAddedText,
  followUpDoneText,
  followUpListText,
  noSuchFollowUpText,
  postmortemDoneText,
  postmortemDraftedText,
} from "../views/postmortem.ts";
import type { SubcommandRequest } from "./incident-subcommands.ts";

const say = (ctx: SlackContext, request: SubcommandRequest, text: string) =>
  reply(ctx, request.replyTo, { text });

/** The incident of the channel the command was typed in; tells the person and returns undefined otherwise. */
async function channelIncident(ctx: SlackContext, request: SubcommandRequest) {
  const found = await findTarget(ctx, request.workspaceId, request.channelId, undefined);
  if (found.ok) return found.incident;
  await say(ctx, request, targetMissingText(found));
  return undefined;
}

/** `/incident postmortem [done <link>]`, in an incident channel. */
export async function postmortemCommand(ctx: SlackContext, request: SubcommandRequest): Promise<void> {
  const parsed = parsePostmortemArgs(commandText(request.args));
  if (!parsed.ok) return say(ctx, request, escapeMrkdwn(parsed.error));
  const incident = await channelIncident(ctx, request);
  if (!incident) return;
  if (parsed.value.kind === "regenerate") {
    const result = await draftPostmortem(ctx, incident, request.userId);
    return say(ctx, request, postmortemDraftedText(incident.number, result));
  }
  const result = await finishPostmortem(ctx, incident, request.userId, parsed.value.link);
  return say(ctx, request, postmortemDoneText(incident.number, result));
}

/** `/incident followup add <text> [@owner] [due] | list | done <id>`, in an incident channel. */
export async function followUpCommand(ctx: SlackContext, request: SubcommandRequest): Promise<void> {
  const parsed = parseFollowUpArgs(commandText(request.args));
  if (!parsed.ok) return say(ctx, request, escapeMrkdwn(parsed.error));
  const incident = await channelIncident(ctx, request);
  if (!incident) return;
  const command = parsed.value;
  const now = ctx.clock.now();
  if (command.kind === "list")
    return say(ctx, request, followUpListText(incident.number, await incidentFollowUps(ctx, incident), now));
  if (command.kind === "done") {
    const result = await markFollowUpDone(ctx, incident, request.userId, command.seq);
    return say(
      ctx,
      request,
      result.ok
        ? followUpDoneText(incident.number, result.followUp, result.changed)
        : noSuchFollowUpText(incident.number, result.id),
    );
  }
  // A due date is read in the configured time zone, the one the reports are scheduled in.
  const dueAt = command.due && zonedWallTimeToUtc(command.due, ctx.config.reports.timeZone);
  const added = await addIncidentFollowUp(ctx, incident, request.userId, {
    text: command.text,
    ownerId: command.ownerId,
    dueAt,
    requestKey: request.triggerId,
  });
  return say(ctx, request, followUpAddedText(incident.number, added, now));
}
