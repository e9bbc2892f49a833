import { parseIncidentRef } from "../../domain/command-args.ts";
import { findTarget } from "../../incidents/target.ts";
import { incidentChecklists } from "../../runbooks/checklists.ts";
import type { SlackContext } from "../context.ts";
import { escapeMrkdwn } from "../mrkdwn.ts";
import { reply } from "../reply.ts";
import { targetMissingText } from "../views/incident-change.ts";
import { runbookLibraryMessage, runbookProgressMessage } from "../views/runbook-checklist.ts";
import type { SubcommandRequest } from "./incident-subcommands.ts";

const USAGE =
  "`/incident runbook [INC-42]` shows a checklist's progress; `/incident runbook list` the runbooks.";

/** `/incident runbook [INC-42]`: the incident's checklist progress; `/incident runbook list`: the runbooks. */
export async function runbookCommand(ctx: SlackContext, request: SubcommandRequest): Promise<void> {
  const words = request.args.trim().split(/\s+/).filter(Boolean);
  if (words.length === 1 && words[0]?.toLowerCase() === "list")
    return reply(ctx, request.replyTo, runbookLibraryMessage(ctx.runbooks, ctx.config.runbooks.dir));
  const named = words[0] === undefined ? undefined : parseIncidentRef(words[0]);
  if (words.length > 1 || (words.length === 1 && named === undefined))
    return reply(ctx, request.replyTo, {
      text: `I don't understand \`${escapeMrkdwn(request.args.trim())}\`. ${USAGE}`,
    });
  const found = await findTarget(ctx, request.workspaceId, request.channelId, named);
  if (!found.ok) return reply(ctx, request.replyTo, { text: targetMissingText(found) });
  const checklists = await incidentChecklists(ctx, found.incident.id);
  await reply(ctx, request.replyTo, runbookProgressMessage(found.incident, checklists));
}
