import type { PageTarget } from "./domain/alert.ts";
import type { ChangeNote } from "./domain/change.ts";
import type { HomeSummary } from "./domain/home.ts";
import type { Incident, MessageRef, Status } from "./domain/incident.ts";
import type { FollowUp, PostmortemReminderStage } from "./domain/postmortem.ts";
import type { Report } from "./domain/report.ts";
import type { RunbookChecklist } from "./domain/runbook.ts";
import type { Schedule } from "./domain/schedule.ts";
import type { StormSummary } from "./domain/storm.ts";
import type { FailedStep } from "./domain/timeline.ts";
import type { SendFailure, SendOutcome } from "./send-outcome.ts";
import type { Alert } from "./store/alerts.ts";
import type { CalendarWindow, MaintenanceWindow } from "./store/maintenance.ts";

/** Who started a flow, to be answered privately: the command's response_url when there is one, else a DM. */
export interface ReplyTarget {
  userId: string;
  responseUrl?: string | undefined;
}

/** A hand-off: who is on call from it until when, and whom they follow or cover for. */
export interface HandoffAnnouncement {
  userId: string;
  until: Date;
  /** Who was on call just before it; left out for a schedule's first shift. */
  previousUserId?: string;
  coversUserId?: string;
}

/**
 * WHAT to say, as domain data; the chat platform's implementation decides how it looks. Use cases never
 * build markup: each kind has one view in `src/slack/views/`.
 */
export type Message =
  | { kind: "kickoff"; incident: Incident }
  | { kind: "announcement"; incident: Incident }
  | {
      kind: "status_update";
      incident: Incident;
      update: { message: string; from: Status; actorId: string; at: Date };
    }
  | { kind: "resolved"; incident: Incident }
  | { kind: "update_reminder"; incident: Incident }
  | { kind: "alert"; alert: Alert }
  /** A channel's alert storm: the alerts folded into one summary, edited in place as more arrive. */
  | { kind: "alert_storm"; summary: StormSummary }
  /** The DM to a person paged for an alert, with its buttons. */
  | { kind: "page"; alert: Alert; level: string }
  /** A paged person's storm: the open alerts paging them, folded into one DM edited in place. */
  | { kind: "page_storm"; summary: StormSummary }
  /** The line in an alert's thread naming whom a step paged, and whom it could not. */
  | {
      kind: "paging";
      level: string;
      people: readonly string[];
      unresolved: readonly PageTarget[];
      lateMinutes?: number | undefined;
    }
  | { kind: "handoff"; schedule: Schedule; handoff: HandoffAnnouncement }
  /** A postmortem coming due or overdue, by DM to its owner. */
  | { kind: "postmortem_reminder"; reminder: PostmortemReminder }
  /** An overdue follow-up action, by DM to its owner (or to whoever added it). */
  | { kind: "follow_up_reminder"; followUp: FollowUp }
  /** About a change request: an approval request, an emergency notice, a decision, a possible cause. */
  | { kind: "change"; note: ChangeNote }
  /** A daily, weekly or monthly report, its figures already worked out. */
  | { kind: "report"; report: Report }
  /** A maintenance window's approval request, decision, announcement or reminder (see MaintenanceNotice). */
  | { kind: "maintenance"; notice: MaintenanceNotice }
  /** In a new incident's channel: maintenance is going on on one of its services. */
  | { kind: "maintenance_active"; windows: readonly CalendarWindow[] }
  /** A runbook's checklist in the incident channel, with who ticked each item. */
  | { kind: "runbook_checklist"; incidentId: string; checklist: RunbookChecklist }
  /** The declarer's answer: where the incident lives, and which steps failed (with their references). */
  | {
      kind: "declared";
      incident: Incident;
      created: boolean;
      problems: readonly { step: FailedStep; failure: SendFailure; ref: string; retrying: boolean }[];
    };

/** What is said about a maintenance window, and when. */
export type MaintenanceNotice =
  /** To the approvers: Approve / Reject buttons; `groups` are mentioned when posted in a channel. */
  | { stage: "approval_request"; window: MaintenanceWindow; groups: readonly string[] }
  /** The approvers' request once decided or expired: the same message, its buttons replaced by the outcome. */
  | { stage: "approval_closed"; window: MaintenanceWindow }
  /** To the requester: approved, rejected, or expired (its start came with no decision). */
  | { stage: "decided"; window: MaintenanceWindow }
  | { stage: "scheduled" | "reminder" | "started" | "extended"; window: MaintenanceWindow }
  /** `repaged`: the alerts it held back, still firing, paged now. */
  | { stage: "ended"; window: MaintenanceWindow; repaged: readonly string[] };

export interface PostmortemReminder {
  stage: PostmortemReminderStage;
  number: number;
  ownerId: string;
  dueAt: Date;
  channelId?: string;
}

export interface UploadedFile {
  filename: string;
  title: string;
  content: Buffer | string;
  /** Shown with the file, as the message that shares it. */
  comment?: string;
  altText?: string;
}

/**
 * The use cases' one way to the chat platform. Every method answers with an outcome (done, not found,
 * refused, rate limited, unavailable) instead of throwing the platform's errors, so callers decide what a
 * failure means to them; the platform's error code travels in the outcome for the log line only.
 */
export interface Notifier {
  post(
    channelId: string,
    message: Message,
    options?: { thread?: MessageRef },
  ): Promise<SendOutcome<MessageRef>>;
  update(ref: MessageRef, message: Message): Promise<SendOutcome>;
  /** A direct message to a person (a page). */
  sendDirect(userId: string, message: Message): Promise<SendOutcome<MessageRef>>;
  /**
   * Shares a file in a channel (a report's chart, a postmortem draft), optionally in a thread and with a
   * comment; `altText` describes an image for screen readers.
   */
  uploadFile(channelId: string, file: UploadedFile, options?: { thread?: MessageRef }): Promise<SendOutcome>;
  /** Answers the person who asked, privately; `replaceOriginal` replaces the command's earlier answer. */
  reply(to: ReplyTarget, message: Message, options?: { replaceOriginal?: boolean }): Promise<SendOutcome>;
  /** Creates a channel; `taken` when the name is already used (archived channels keep theirs). */
  createChannel(
    name: string,
    options: { isPrivate: boolean },
  ): Promise<SendOutcome<{ channelId: string; channelName: string } | "taken">>;
  /** Invites one person; already being in the channel counts as done. */
  invite(channelId: string, userId: string): Promise<SendOutcome>;
  /** Sets the incident channel's topic and purpose from the incident. */
  describeChannel(channelId: string, incident: Incident): Promise<SendOutcome>;
  setTopic(channelId: string, incident: Incident): Promise<SendOutcome>;
  /** Archiving an archived channel, or unarchiving an open one, counts as done. */
  archive(channelId: string): Promise<SendOutcome>;
  unarchive(channelId: string): Promise<SendOutcome>;
  userGroupMembers(groupId: string): Promise<SendOutcome<string[]>>;
  isInChannel(channelId: string, userId: string): Promise<SendOutcome<boolean>>;
  /** Publishes a person's App Home (replacing what it showed). */
  publishHome(userId: string, home: HomeSummary): Promise<SendOutcome>;
  /** The workspace and the bot's own user, for what Firebreak does on its own (an alert's incident). */
  whoAmI(): Promise<SendOutcome<{ workspaceId: string; userId: string }>>;
}
