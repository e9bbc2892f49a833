import type { AppContext } from "../context.ts";
import { dueMaintenanceStep, type MaintenanceStep } from "../domain/maintenance.ts";
import { claimOnce, releaseClaim } from "../store/claims.ts";
import {
  getWindow,
  type MaintenanceWindow,
  type OpenWindow,
  openWindows,
  syncCalendar,
  updateWindow,
} from "../store/maintenance.ts";
import { queueAnnouncement, queueApprovalClosed, queueNotice } from "./notices.ts";
import { releaseHeldAlerts } from "./suppression.ts";
import { isApprover } from "./windows.ts";

/**
 * A window's due steps, from the times on its live-set entry (the database is the clock): the reminder,
 * the start and the end, each taken by a claim so that with any number of processes and restarts each
 * happens once; a pending window whose start came with no decision expires. A step that fails gives its
 * claim back and is tried again on the next pass. End early and extend are the people's side of the end.
 */

const MINUTE = 60_000;
const endKey = (id: string) => `maint-end:${id}`;

/** Runs `work` under a claim; a failure gives the claim back so the next pass tries again. */
async function claimed(ctx: AppContext, key: string, work: () => Promise<void>): Promise<boolean> {
  if (!(await claimOnce(ctx.store.models, key))) return false;
  try {
    await work();
  } catch (error) {
    await releaseClaim(ctx.store.models, key).catch(() => false);
    throw error;
  }
  return true;
}

async function remind(ctx: AppContext, entry: OpenWindow, now: Date): Promise<boolean> {
  return claimed(ctx, `maint-remind:${entry._id}`, async () => {
    const window = await updateWindow(ctx.store.models, entry._id, { remindedAt: now });
    if (window) await queueAnnouncement(ctx, window, "reminder");
  });
}

async function start(ctx: AppContext, entry: OpenWindow, now: Date): Promise<boolean> {
  return claimed(ctx, `maint-start:${entry._id}`, async () => {
    const window = await updateWindow(ctx.store.models, entry._id, { state: "active", startedAt: now });
    if (window) await queueAnnouncement(ctx, window, "started");
  });
}

async function expire(ctx: AppContext, entry: OpenWindow): Promise<boolean> {
  return claimed(ctx, `maint-decision:${entry._id}`, async () => {
    const window = await updateWindow(ctx.store.models, entry._id, { state: "rejected" });
    if (!window) return;
    await queueNotice(ctx, window, "decided", window.requestedBy);
    await queueApprovalClosed(ctx, window);
  });
}

/**
 * Ends a window (by its time, or early by a person): pages the alerts it held that still fire, then
 * announces the end with them. Returns false when it had already ended, or was extended meanwhile.
 */
export async function endWindow(ctx: AppContext, windowId: string, early?: { by: string }): Promise<boolean> {
  return claimed(ctx, endKey(windowId), async () => {
    const now = ctx.clock.now();
    const window = await getWindow(ctx.store.models, windowId);
    // Not active (never started, or ended), or extended between the pass's read and the claim: not due.
    if (window?.state !== "active" || (!early && window.endsAt > now)) throw new NotDue();
    const repaged = await releaseHeldAlerts(ctx, window.id);
    const ended = await updateWindow(ctx.store.models, window.id, {
      state: "ended",
      endedAt: now,
      repaged,
      ...(early && { endsAt: now, endedEarlyBy: early.by }),
    });
    if (ended) await queueAnnouncement(ctx, ended, "ended");
  }).catch((error: unknown) => {
    if (error instanceof NotDue) return false;
    throw error;
  });
}

/** Thrown inside the claim so that it is given back: the window was not due to end after all. */
class NotDue extends Error {}

export type RunningWindowRefusal = "not_found" | "not_active" | "not_allowed" | "lookup_failed";

/**
 * Who may end a running window early or extend it: whoever asked for it, and the maintenance approvers.
 * Anyone in the announcement channel sees the buttons; paging stays held or resumes only on their word.
 */
async function mayRunWindow(
  ctx: AppContext,
  window: MaintenanceWindow,
  userId: string,
): Promise<true | RunningWindowRefusal> {
  if (window.requestedBy === userId) return true;
  const approver = await isApprover(ctx, userId);
  if (approver === "lookup_failed") return "lookup_failed";
  return approver ? true : "not_allowed";
}

/** End now, by a person: allowed as mayRunWindow says, then ended once (the claim of endWindow). */
export async function endWindowEarly(
  ctx: AppContext,
  windowId: string,
  by: string,
): Promise<{ ok: true } | { ok: false; reason: RunningWindowRefusal }> {
  const window = await getWindow(ctx.store.models, windowId);
  if (!window) return { ok: false, reason: "not_found" };
  const allowed = await mayRunWindow(ctx, window, by);
  if (allowed !== true) return { ok: false, reason: allowed };
  return (await endWindow(ctx, windowId, { by })) ? { ok: true } : { ok: false, reason: "not_active" };
}

export type ExtendResult =
  | { ok: true; window: MaintenanceWindow }
  | { ok: false; reason: RunningWindowRefusal };

/** Moves an active window's end later; announced, and the intake's calendar follows at once. */
export async function extendWindow(
  ctx: AppContext,
  windowId: string,
  by: string,
  minutes: number,
): Promise<ExtendResult> {
  const window = await getWindow(ctx.store.models, windowId);
  if (!window) return { ok: false, reason: "not_found" };
  if (window.state !== "active") return { ok: false, reason: "not_active" };
  const allowed = await mayRunWindow(ctx, window, by);
  if (allowed !== true) return { ok: false, reason: allowed };
  const endsAt = new Date(window.endsAt.getTime() + minutes * MINUTE);
  const extended = await updateWindow(ctx.store.models, windowId, { endsAt, extendedBy: by });
  if (extended?.state !== "active") return { ok: false, reason: "not_active" };
  await queueAnnouncement(ctx, extended, "extended", `extended-${endsAt.getTime()}`);
  return { ok: true, window: extended };
}

const STEPS: Record<MaintenanceStep, (ctx: AppContext, entry: OpenWindow, now: Date) => Promise<boolean>> = {
  remind,
  start,
  end: (ctx, entry) => endWindow(ctx, entry._id),
};

/** One pass: every window step due at `now`; returns how many ran. Also keeps the intake's calendar right. */
export async function runDueMaintenance(ctx: AppContext, now: Date): Promise<number> {
  const open = await openWindows(ctx.store.models);
  await syncCalendar(ctx.store.models, open);
  const remindBeforeMs = ctx.config.maintenance.remindBeforeMinutes * MINUTE;
  let handled = 0;
  for (const entry of open) {
    if (entry.state === "pending") {
      if (entry.startsAt <= now && (await expire(ctx, entry))) handled++;
      continue;
    }
    const step = dueMaintenanceStep(entry, remindBeforeMs, now);
    if (step && (await STEPS[step](ctx, entry, now))) handled++;
  }
  return handled;
}
