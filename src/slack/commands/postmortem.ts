import { resolveDue } from "../../domain/due-date.ts";
import { parseFollowUpArgs, parsePostmortemArgs } from "../../domain/postmortem-args.ts";
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

/**
 * The incident named, else the one of the channel the command was typed in; tells the person and returns
 * undefined when there is none.
 */
async function targetIncident(ctx: SlackContext, request: SubcommandRequest, named: number | undefined) {
  const found = await findTarget(ctx, request.workspaceId, request.channelId, named);
  if (found.ok) return found.incident;
  await say(ctx, request, targetMissingText(found));
  return undefined;
}

/** `/incident postmortem [INC-42] [done <link>]`. */
export async function postmortemCommand(ctx: SlackContext, request: SubcommandRequest): Promise<void> {
  const parsed = parsePostmortemArgs(commandText(request.args));
  if (!parsed.ok) return say(ctx, request, escapeMrkdwn(parsed.error));
  const incident = await targetIncident(ctx, request, parsed.value.incident);
  if (!incident) return;
  if (parsed.value.kind === "regenerate") {
    const result = await draftPostmortem(ctx, incident, request.userId);
    return say(ctx, request, postmortemDraftedText(incident.number, result));
  }
  const result = await finishPostmortem(ctx, incident, request.userId, parsed.value.link);
  return say(ctx, request, postmortemDoneText(incident.number, result));
}

/** `/incident followup [INC-42] add <text> [@owner] [due] | list | done <id>`. */
export async function followUpCommand(ctx: SlackContext, request: SubcommandRequest): Promise<void> {
  const parsed = parseFollowUpArgs(commandText(request.args));
  if (!parsed.ok) return say(ctx, request, escapeMrkdwn(parsed.error));
  const command = parsed.value;
  const now = ctx.clock.now();
  // A due date is read in the configured time zone, the one the reports are scheduled in.
  const due =
    command.kind === "add" && command.due && resolveDue(command.due, now, ctx.config.reports.timeZone);
  if (due && !due.ok) return say(ctx, request, escapeMrkdwn(due.error));
  const incident = await targetIncident(ctx, request, command.incident);
  if (!incident) return;
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
  const added = await addIncidentFollowUp(ctx, incident, request.userId, {
    text: command.text,
    ownerId: command.ownerId,
    dueAt: due ? due.at : undefined,
    requestKey: request.triggerId,
  });
  return say(ctx, request, followUpAddedText(incident.number, added, now));
}
