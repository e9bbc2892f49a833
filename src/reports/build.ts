import type { AppContext } from "../context.ts";
import { postmortemsDue } from "../domain/postmortem.ts";
import { buildReport, type Report, type ReportKind, reportPeriod, reportReach } from "../domain/report.ts";
import { onCallLevels } from "../oncall/levels.ts";
import { openFollowUps } from "../store/follow-ups.ts";
import { openIncidentsForReport } from "../store/live-incident-queries.ts";
import { openPostmortems } from "../store/postmortems.ts";
import { readAlertTallies, readIncidentSnapshots } from "../store/report-rollups.ts";

/** Open incidents read in full for the list; the others are counted from the live set. */
export const OPEN_LISTED = 10;

/**
 * A report's figures from the roll-ups (a few `_id` reads per day of its reach), the live set and the
 * on-call schedules: never a query over history.
 */
export async function buildReportFor(
  ctx: Pick<AppContext, "config" | "store" | "clock" | "onCall">,
  request: { kind: ReportKind; workspaceId: string; end: Date; lateFor?: Date | undefined },
): Promise<Report> {
  const { models } = ctx.store;
  const now = ctx.clock.now();
  const [incidents, alerts, open, onCall] = await Promise.all([
    readIncidentSnapshots(models, request.workspaceId, reportReach(request.kind, request.end)),
    readAlertTallies(models, reportPeriod(request.kind, request.end)),
    openIncidentsForReport(models, request.workspaceId, now, OPEN_LISTED),
    onCallLevels(ctx, now),
  ]);
  const report = buildReport({
    kind: request.kind,
    end: request.end,
    now,
    ...(request.lateFor && { lateFor: request.lateFor }),
    incidents,
    alerts,
    open,
    onCall,
    policies: ctx.config.incidents.severityPolicy,
  });
  const incidentsChannel = ctx.config.channels.incidents;
  const linked = incidentsChannel ? { ...report, incidentsChannel } : report;
  return request.kind === "daily" ? withPostmortems(ctx, linked, request.workspaceId, now) : linked;
}

/** The daily report's postmortem sections, from the live sets of open postmortems and follow-ups. */
async function withPostmortems(
  ctx: Pick<AppContext, "store">,
  report: Report,
  workspaceId: string,
  now: Date,
): Promise<Report> {
  const [open, followUps] = await Promise.all([
    openPostmortems(ctx.store.models, workspaceId),
    openFollowUps(ctx.store.models, workspaceId),
  ]);
  // A drill's follow-ups are practice: reminded to their owner, never reported.
  const reported = followUps.filter((followUp) => !followUp.drill);
  const postmortems = postmortemsDue(open, reported, now);
  const any = postmortems.postmortems.length > 0 || postmortems.overdueFollowUps.length > 0;
  return any ? { ...report, quiet: false, postmortems } : report;
}
