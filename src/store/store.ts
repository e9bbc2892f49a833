import type { Connection } from "mongoose";
import { alertModel } from "./alerts.ts";
import { armedAlertModel } from "./armed-alerts.ts";
import { backfillLookups } from "./backfill.ts";
import { changeModel, liveChangesModel } from "./changes.ts";
import { checklistModel } from "./checklists.ts";
import { claimModel } from "./claims.ts";
import { sequenceClaimModel } from "./counters.ts";
import { deliveryChannelModel, deliveryModel } from "./deliveries.ts";
import { emailOptOutModel, emailOutboxModel, emailSubscribersModel } from "./email.ts";
import { followUpModel, openFollowUpModel } from "./follow-ups.ts";
import { incidentModel } from "./incidents.ts";
import { liveIncidentModel } from "./live-incidents.ts";
import { lookupModel } from "./lookups.ts";
import {
  maintenanceCalendarModel,
  maintenanceSuppressedModel,
  maintenanceWindowModel,
  openMaintenanceModel,
} from "./maintenance.ts";
import { openPostmortemModel, postmortemModel } from "./postmortems.ts";
import { reportRollupModel } from "./report-rollups.ts";
import { scheduleModel } from "./schedules.ts";
import { openPublicIncidentModel, publicIncidentModel, statusDayModel } from "./status-page.ts";
import { timelineEventModel } from "./timeline-model.ts";

/** Every model of Firebreak, compiled on one connection. */
function defineModels(connection: Connection) {
  return {
    sequenceClaims: sequenceClaimModel(connection),
    claims: claimModel(connection),
    incidents: incidentModel(connection),
    timelineEvents: timelineEventModel(connection),
    schedules: scheduleModel(connection),
    alerts: alertModel(connection),
    lookups: lookupModel(connection),
    liveIncidents: liveIncidentModel(connection),
    armedAlerts: armedAlertModel(connection),
    deliveries: deliveryModel(connection),
    deliveryChannels: deliveryChannelModel(connection),
    reportRollups: reportRollupModel(connection),
    postmortems: postmortemModel(connection),
    openPostmortems: openPostmortemModel(connection),
    followUps: followUpModel(connection),
    openFollowUps: openFollowUpModel(connection),
    changes: changeModel(connection),
    liveChanges: liveChangesModel(connection),
    maintenanceWindows: maintenanceWindowModel(connection),
    openMaintenance: openMaintenanceModel(connection),
    maintenanceCalendar: maintenanceCalendarModel(connection),
    maintenanceSuppressed: maintenanceSuppressedModel(connection),
    checklists: checklistModel(connection),
    publicIncidents: publicIncidentModel(connection),
    openPublicIncidents: openPublicIncidentModel(connection),
    statusDays: statusDayModel(connection),
    emailSubscribers: emailSubscribersModel(connection),
    emailOutbox: emailOutboxModel(connection),
    emailOptOuts: emailOptOutModel(connection),
  };
}

export type Models = ReturnType<typeof defineModels>;

export interface Store {
  connection: Connection;
  models: Models;
}

/**
 * Compiles the models and makes sure their indexes exist before anything writes: the unique indexes are
 * what make claims and sequences safe, so no store function may run without them.
 * Production syncs indexes (also dropping stale ones); dev and tests create missing ones. Then data written
 * before the lookup documents existed gets them, once (src/store/backfill.ts).
 */
export async function openStore(connection: Connection, indexes: "sync" | "ensure"): Promise<Store> {
  const models = defineModels(connection);
  for (const model of Object.values(models)) {
    if (indexes === "sync") await model.syncIndexes();
    else await model.init();
  }
  await backfillLookups(models);
  return { connection, models };
}
