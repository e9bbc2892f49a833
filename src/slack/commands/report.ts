import { z } from "zod";
import { REPORT_KINDS } from "../../domain/report.ts";
import { buildReportFor } from "../../reports/build.ts";
import { requestReportNow } from "../../reports/post.ts";
import { mayPostReport } from "../../reports/posters.ts";
import type { SlackContext } from "../context.ts";
import { escapeMrkdwn } from "../mrkdwn.ts";
import { reply } from "../reply.ts";
import { channelMention } from "../views/blocks.ts";
import { reportMessage } from "../views/report.ts";
import { reportPostRefusalText } from "../views/report-refusal.ts";
import type { SubcommandRequest } from "./incident-subcommands.ts";

const USAGE = "Usage: `/incident report [daily|weekly|monthly] [preview]`";

const reportArgs = z
  .array(z.string())
  .max(2)
  .transform((words, check) => {
    let kind: (typeof REPORT_KINDS)[number] = "daily";
    let preview = false;
    for (const word of words) {
      const found = REPORT_KINDS.find((k) => k === word);
      if (found) kind = found;
      else if (word === "preview") preview = true;
      else {
        check.addIssue({ code: "custom", message: `"${word}" is not daily, weekly, monthly or preview.` });
        return z.NEVER;
      }
    }
    return { kind, preview };
  });

/**
 * `/incident report [daily|weekly|monthly] [preview]`: a preview answers only the caller, else it is posted
 * (by REPORT_POSTERS only, when that is set).
 */
export async function reportCommand(ctx: SlackContext, request: SubcommandRequest): Promise<void> {
  const words = request.args.toLowerCase().split(/\s+/).filter(Boolean);
  const parsed = reportArgs.safeParse(words);
  if (!parsed.success) {
    const reason =
      parsed.error.issues[0]?.code === "too_big" ? "Too many words." : parsed.error.issues[0]?.message;
    return reply(ctx, request.replyTo, { text: `${escapeMrkdwn(reason ?? "")} ${USAGE}` });
  }
  const { kind, preview } = parsed.data;
  if (preview) {
    const report = await buildReportFor(ctx, {
      kind,
      workspaceId: request.workspaceId,
      end: ctx.clock.now(),
    });
    return reply(ctx, request.replyTo, reportMessage(report, ctx.config.incidents.severityPolicy));
  }
  const channel = ctx.config.reports.channel;
  if (channel) {
    const permission = await mayPostReport(ctx, request.userId);
    if (!permission.allowed)
      return reply(ctx, request.replyTo, { text: reportPostRefusalText(permission.refusal, kind, channel) });
  }
  const outcome = await requestReportNow(ctx, {
    kind,
    workspaceId: request.workspaceId,
    requestKey: request.triggerId,
  });
  const text =
    outcome === "no_channel" || !channel
      ? `No report channel is set, so there is nowhere to post it: ask whoever runs Firebreak to set REPORT_CHANNEL, or see it yourself with \`/incident report ${kind} preview\`.`
      : `The ${kind} report is on its way to ${channelMention(channel)}.`;
  return reply(ctx, request.replyTo, { text });
}
