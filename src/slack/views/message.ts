import type { KnownBlock } from "@slack/types";
import type { SeverityPolicyTable } from "../../domain/severity.ts";
import type { Message } from "../../notifier.ts";
import { alertMessage, pageMessage, pagingMessage } from "./alert-message.ts";
import { alertStormMessage } from "./alert-storm.ts";
import { announcementMessage } from "./announcement.ts";
import { changeNoteMessage } from "./change.ts";
import { declaredMessage } from "./declared.ts";
import { kickoffMessage } from "./kickoff.ts";
import { maintenanceActiveMessage, maintenanceNoticeMessage } from "./maintenance.ts";
import { handoffAnnouncementMessage } from "./oncall.ts";
import { pageStormMessage } from "./page-storm.ts";
import { followUpReminderMessage, postmortemReminderMessage } from "./postmortem-reminder.ts";
import { reportMessage } from "./report.ts";
import { runbookChecklistMessage } from "./runbook-checklist.ts";
import { resolvedMessage, statusUpdateMessage } from "./status-updates.ts";
import { updateReminderMessage } from "./update-reminder.ts";

/** A message as Slack takes it: the plain-text fallback, and Block Kit when there is more to show. */
export interface RenderedMessage {
  text: string;
  blocks?: KnownBlock[];
}

/** The one place where each kind of message the use cases send gets its Block Kit view. */
export function renderMessage(message: Message, policies: SeverityPolicyTable, now: Date): RenderedMessage {
  switch (message.kind) {
    case "kickoff":
      return kickoffMessage(message.incident, policies[message.incident.severity], now);
    case "announcement":
      return announcementMessage(message.incident, policies[message.incident.severity], now);
    case "status_update": {
      const { incident, update } = message;
      return statusUpdateMessage(incident, {
        message: update.message,
        from: update.from,
        actorId: update.actorId,
        now: update.at,
        policy: policies[incident.severity],
      });
    }
    case "resolved":
      return resolvedMessage(message.incident, now, policies[message.incident.severity]);
    case "update_reminder":
      return updateReminderMessage(message.incident, policies[message.incident.severity]);
    case "alert":
      return alertMessage(message.alert);
    case "alert_storm":
      return alertStormMessage(message.summary);
    case "page": {
      const thread = message.alert.message ?? message.alert.thread;
      return pageMessage(message.alert, message.level, thread?.channelId);
    }
    case "page_storm":
      return pageStormMessage(message.summary);
    case "paging":
      return pagingMessage(message);
    case "handoff":
      return handoffAnnouncementMessage(message.schedule, message.handoff);
    case "declared":
      return declaredMessage(message);
    case "report":
      return reportMessage(message.report, policies);
    case "postmortem_reminder":
      return postmortemReminderMessage(message.reminder, now);
    case "follow_up_reminder":
      return followUpReminderMessage(message.followUp);
    case "change":
      return changeNoteMessage(message.note);
    case "maintenance":
      return maintenanceNoticeMessage(message.notice);
    case "maintenance_active":
      return maintenanceActiveMessage(message.windows);
    case "runbook_checklist":
      return runbookChecklistMessage(message.incidentId, message.checklist);
  }
}
