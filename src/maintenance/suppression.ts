import { queueAlertRefresh } from "../alerts/alert-messages.ts";
import type { AppContext } from "../context.ts";
import { plannedStep } from "../domain/escalation.ts";
import type { Incident } from "../domain/incident.ts";
import { coversService } from "../domain/maintenance.ts";
import { SYSTEM_ACTOR } from "../domain/timeline.ts";
import { newReference } from "../reference.ts";
import { type Alert, getAlert, updateAlert } from "../store/alerts.ts";
import { claimOnce } from "../store/claims.ts";
import {
  type CalendarWindow,
  forgetSuppressed,
  maintenanceCalendar,
  noteSuppressed,
  recentCalendar,
  suppressedAlertIds,
} from "../store/maintenance.ts";
import { appendEvent } from "../store/timeline.ts";

/**
 * What a maintenance window does to alerts and incidents: a new alert on one of its services is recorded
 * and shown but armed with no escalation ("suppressed: maintenance <title>"), an alert already escalating
 * is held at its next step, and at the window's end those still firing are paged as if they had just
 * arrived. The intake reads the calendar by `_id`, at most once a second.
 */

export interface Hold {
  windowId: string;
  title: string;
}

/**
 * The approved windows, read at most once a second (src/store/maintenance.ts `recentCalendar`) for a batch
 * of alerts or escalation steps; `holdFor` answers per service from it.
 */
export async function maintenanceHolds(ctx: AppContext): Promise<(service: string) => Hold | undefined> {
  const calendar = await recentCalendar(ctx.store.models);
  const now = ctx.clock.now();
  return (service) => holdOf(calendar, service, now);
}

function holdOf(calendar: readonly CalendarWindow[], service: string, now: Date): Hold | undefined {
  const window = calendar.find((w) => coversService(w, service, now));
  return window && { windowId: window.id, title: window.title };
}

/** Notes a new alert a window held back, so the window's end can page it. */
export function noteHeldAlert(ctx: AppContext, alert: Alert, hold: Hold): Promise<void> {
  ctx.logger.info({ alert: alert.id, window: hold.windowId }, "alert held by maintenance");
  return noteSuppressed(ctx.store.models, hold.windowId, alert.id);
}

/**
 * Before a timed escalation step: an alert of a service under maintenance is held (its timer taken off, the
 * window noted on it) instead of paging. Returns whether it was held. An incident's own escalation is never
 * held: a declared incident is worked on, maintenance or not.
 */
export async function holdIfInMaintenance(ctx: AppContext, alert: Alert): Promise<boolean> {
  if (alert.incidentId || !alert.service) return false;
  const hold = (await maintenanceHolds(ctx))(alert.service);
  if (!hold) return false;
  ctx.logger.info({ alert: alert.id, window: hold.windowId }, "escalation held by maintenance");
  await noteSuppressed(ctx.store.models, hold.windowId, alert.id);
  const held = await updateAlert(ctx.store.models, alert.id, { suppressedBy: hold, nextDueAt: undefined });
  if (held) await queueAlertRefresh(ctx, held);
  return true;
}

/**
 * At a window's end: each alert it held that is still open is paged from its first level as if it had just
 * arrived (once: a claim per window and alert), and one acknowledged meanwhile just loses the mark. Returns
 * the titles of those paged, for the end announcement.
 */
export async function releaseHeldAlerts(ctx: AppContext, windowId: string): Promise<string[]> {
  const { models } = ctx.store;
  const paged: string[] = [];
  for (const alertId of await suppressedAlertIds(models, windowId)) {
    const alert = await getAlert(models, alertId);
    if (alert && alert.state !== "resolved" && alert.suppressedBy?.windowId === windowId) {
      const now = ctx.clock.now();
      const first = alert.state === "open" && alert.paging ? plannedStep(alert.policy, now, 0) : undefined;
      const claimed = await claimOnce(models, `maint-release:${windowId}:${alertId}`);
      if (claimed) {
        const released = await updateAlert(models, alertId, {
          suppressedBy: undefined,
          ...(first && { escalatesFrom: now, nextStep: 0, nextDueAt: first.dueAt }),
        });
        if (released) await queueAlertRefresh(ctx, released);
      }
      if (first) paged.push(alert.title);
    }
    await forgetSuppressed(models, windowId, alertId);
  }
  return paged;
}

/**
 * Told to a newly declared incident: maintenance is going on on one of its services. Never throws: a
 * failure is logged with a reference, and the note is on the timeline either way.
 */
export async function noteMaintenanceOnDeclare(ctx: AppContext, incident: Incident): Promise<void> {
  try {
    const calendar = await maintenanceCalendar(ctx.store.models);
    const now = ctx.clock.now();
    const windows = calendar.filter((w) => incident.affectedServices.some((s) => coversService(w, s, now)));
    if (windows.length === 0) return;
    const text = windows
      .map(
        (w) =>
          `Maintenance ${w.id} "${w.title}" is active on ${w.services.join(", ")} until ${w.endsAt.toISOString()}`,
      )
      .join("; ");
    await appendEvent(ctx.store.models, {
      incidentId: incident.id,
      type: "note",
      at: now,
      actorId: SYSTEM_ACTOR,
      payload: { text },
      key: "maintenance-active",
    });
    if (!incident.channelId) return;
    const posted = await ctx.notifier.post(incident.channelId, { kind: "maintenance_active", windows });
    if (posted.status !== "done") {
      const ref = newReference();
      ctx.logger.warn(
        { ref, incident: incident.number, error: posted.code },
        "could not tell an incident of maintenance",
      );
    }
  } catch (error) {
    const ref = newReference();
    ctx.logger.error(
      { ref, err: error, incident: incident.number },
      "could not check maintenance for an incident",
    );
  }
}
