import type { AppContext } from "../context.ts";
import {
  checkWindowTimes,
  inPreferredWindow,
  type MaintenanceType,
  type PreferredWindow,
  type WindowTimesProblem,
} from "../domain/maintenance.ts";
import { lookupService } from "../domain/services.ts";
import { pollUntil } from "../poll-until.ts";
import { isRetryable } from "../send-outcome.ts";
import { claimOnce, releaseClaim } from "../store/claims.ts";
import {
  createWindow,
  getWindow,
  type MaintenanceWindow,
  type OpenWindow,
  openWindows,
  updateWindow,
} from "../store/maintenance.ts";
import {
  approvalLanes,
  queueAnnouncement,
  queueApprovalClosed,
  queueApprovalRequests,
  queueNotice,
} from "./notices.ts";

/**
 * Scheduling a window, starting one at once, and the approvers' decision. The due steps (reminder, start,
 * end) are in steps.ts; every message goes through the delivery queue (notices.ts).
 */

export type ServiceProblem = { kind: "unknown_service"; name: string; suggestions: string[] };

/** Every service by its catalog name, or the first unknown one with close names. */
export function checkServices(
  ctx: AppContext,
  names: readonly string[],
): { ok: true; services: string[] } | { ok: false; problem: ServiceProblem } {
  const services: string[] = [];
  for (const name of names) {
    const found = lookupService(ctx.config.services, name);
    if (!found.ok)
      return { ok: false, problem: { kind: "unknown_service", name, suggestions: found.suggestions } };
    services.push(found.name);
  }
  return { ok: true, services };
}

export interface WindowRequest {
  workspaceId: string;
  requestedBy: string;
  title: string;
  type: MaintenanceType;
  startsAt: Date;
  endsAt: Date;
  services: string[];
  procedure: string;
  rollback: string;
  /** The same for a retried or double-submitted form (its view id): the window is stored once. */
  requestKey: string;
}

export type ScheduleResult =
  | {
      ok: true;
      window: MaintenanceWindow;
      needsApproval: boolean;
      preferred: PreferredWindow;
      inPreferred: boolean;
    }
  | {
      ok: false;
      problem:
        | WindowTimesProblem
        | ServiceProblem
        | { kind: "no_approvers"; type: MaintenanceType }
        | { kind: "already_submitted" };
    };

/**
 * Stores a planned window when its times keep the type's notice period and its services are known. A type
 * needing approval asks the approvers (each user by DM; user groups mentioned in the maintenance channel);
 * any other is scheduled and announced at once.
 */
export async function scheduleWindow(ctx: AppContext, request: WindowRequest): Promise<ScheduleResult> {
  const policy = ctx.config.maintenance.types[request.type];
  const now = ctx.clock.now();
  const timing = checkWindowTimes(request, policy, now);
  if (timing) return { ok: false, problem: timing };
  const services = checkServices(ctx, request.services);
  if (!services.ok) return services;
  if (policy.approvalRequired && approvalLanes(ctx).length === 0)
    return { ok: false, problem: { kind: "no_approvers", type: request.type } };
  if (!(await claimOnce(ctx.store.models, `maint-request:${request.requestKey}`)))
    return { ok: false, problem: { kind: "already_submitted" } };
  const { requestKey: _, ...fields } = request;
  const window = await createWindow(ctx.store.models, {
    ...fields,
    services: services.services,
    requestedAt: now,
    state: policy.approvalRequired ? "pending" : "scheduled",
  });
  if (policy.approvalRequired) {
    await queueApprovalRequests(ctx, window);
  } else {
    await queueAnnouncement(ctx, window, "scheduled");
  }
  const inPreferred = inPreferredWindow(
    request.startsAt,
    policy.preferredWindow,
    ctx.config.reports.timeZone,
  );
  return {
    ok: true,
    window,
    needsApproval: policy.approvalRequired,
    preferred: policy.preferredWindow,
    inPreferred,
  };
}

export type StartNowResult =
  | { ok: true; window: MaintenanceWindow }
  | { ok: false; problem: ServiceProblem }
  /** The same command again (Slack's retry): the first one started the window. */
  | { ok: false; problem: { kind: "repeat" } };

/**
 * `/maint start <service> 30m <reason>`: an unplanned window, active from now (no notice, no approval: it
 * is the fix in progress). The start is claimed like a timed one, so its announcement goes out once.
 */
export async function startWindowNow(
  ctx: AppContext,
  request: {
    workspaceId: string;
    requestedBy: string;
    service: string;
    durationMs: number;
    reason: string;
    /** Slack's trigger id: a retried command carries the same one and starts nothing more. */
    requestKey: string;
  },
): Promise<StartNowResult> {
  const services = checkServices(ctx, [request.service]);
  if (!services.ok) return services;
  if (!(await claimOnce(ctx.store.models, `maint-request:${request.requestKey}`)))
    return { ok: false, problem: { kind: "repeat" } };
  const now = ctx.clock.now();
  const created = await createWindow(ctx.store.models, {
    workspaceId: request.workspaceId,
    requestedBy: request.requestedBy,
    requestedAt: now,
    title: request.reason,
    type: "unplanned",
    startsAt: now,
    endsAt: new Date(now.getTime() + request.durationMs),
    services: services.services,
    procedure: "",
    rollback: "",
    state: "active",
    startedAt: now,
  });
  await claimOnce(ctx.store.models, `maint-start:${created.id}`);
  await queueAnnouncement(ctx, created, "started");
  return { ok: true, window: created };
}

export type DecisionResult =
  | { ok: true; window: MaintenanceWindow }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "not_approver" }
  | { ok: false; reason: "lookup_failed" }
  | { ok: false; reason: "already_decided"; window: MaintenanceWindow }
  | { ok: false; reason: "start_passed"; window: MaintenanceWindow };

/** Whether a person may decide: a listed approver, or a member of a listed user group. */
export async function isApprover(ctx: AppContext, userId: string): Promise<boolean | "lookup_failed"> {
  const { users, groups } = ctx.config.maintenance.approvers;
  if (users.includes(userId)) return true;
  for (const group of groups) {
    const members = await ctx.notifier.userGroupMembers(group);
    if (isRetryable(members)) return "lookup_failed";
    if (members.status === "done" && members.value.includes(userId)) return true;
  }
  return false;
}

/**
 * An approver's Approve or Reject. The decision is a claim, so of two clicks (or two approvers at once) the
 * first counts and the others are told who decided. The requester is told either way; an approved window is
 * announced.
 */
export async function decideWindow(
  ctx: AppContext,
  windowId: string,
  userId: string,
  approved: boolean,
): Promise<DecisionResult> {
  const { models } = ctx.store;
  const window = await getWindow(models, windowId);
  if (!window) return { ok: false, reason: "not_found" };
  const allowed = await isApprover(ctx, userId);
  if (allowed === "lookup_failed") return { ok: false, reason: "lookup_failed" };
  if (!allowed) return { ok: false, reason: "not_approver" };
  if (window.state !== "pending") return { ok: false, reason: "already_decided", window };
  const now = ctx.clock.now();
  if (approved && window.startsAt <= now) return { ok: false, reason: "start_passed", window };
  const key = `maint-decision:${window.id}`;
  if (!(await claimOnce(models, key, { by: userId }))) {
    // The winner writes its decision just after its claim: wait for it, so the answer can say who decided.
    const decided = await pollUntil(
      () => getWindow(models, windowId),
      (w) => !w || w.decision !== undefined,
      { attempts: 100, intervalMs: 20 },
    );
    return { ok: false, reason: "already_decided", window: decided ?? window };
  }
  try {
    const decided = await updateWindow(models, window.id, {
      state: approved ? "scheduled" : "rejected",
      decision: { approved, by: userId, at: now },
    });
    if (!decided) return { ok: false, reason: "not_found" };
    await queueNotice(ctx, decided, "decided", decided.requestedBy);
    await queueApprovalClosed(ctx, decided);
    if (approved) await queueAnnouncement(ctx, decided, "scheduled");
    return { ok: true, window: decided };
  } catch (error) {
    await releaseClaim(models, key).catch(() => false);
    throw error;
  }
}

/** `/maint list`: the windows with work ahead, soonest first (pending approval, scheduled, active). */
export function upcomingWindows(ctx: AppContext): Promise<OpenWindow[]> {
  return openWindows(ctx.store.models);
}
