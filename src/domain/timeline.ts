import { z } from "zod";
import { ROLES, SEVERITIES, STATUSES } from "./incident.ts";

/**
 * Every event on an incident's timeline, with its typed payload. Payloads are validated on write and on
 * read, so a malformed event can never be stored, and an old one that no longer parses is reported, not shown.
 */

const pinnedMessage = z.object({
  channelId: z.string(),
  ts: z.string(),
  authorId: z.string(),
  text: z.string(),
  permalink: z.string().optional(),
  postedAt: z.coerce.date(),
});

/** What Firebreak could not do on the chat platform, when a step of its own work failed. */
export const FAILED_ACTIONS = [
  "create_channel",
  "post_kickoff",
  "invite",
  "describe_channel",
  "unarchive_channel",
  "page",
  "announce_page",
  "post_change_link",
  "post_update",
] as const;

/**
 * A failed step as data: its action, the person an invite or a page was for, and the reference of the log
 * line holding the detail when the person was not answered at once (a page given up later).
 */
export const failedStep = z.object({
  action: z.enum(FAILED_ACTIONS),
  userId: z.string().optional(),
  ref: z.string().optional(),
});
export type FailedStep = z.infer<typeof failedStep>;

export const TIMELINE_PAYLOADS = {
  declared: z.object({
    severity: z.enum(SEVERITIES),
    title: z.string(),
    fromMessage: pinnedMessage.optional(),
  }),
  channel_created: z.object({ channelId: z.string(), channelName: z.string(), isPrivate: z.boolean() }),
  members_invited: z.object({ userIds: z.array(z.string()) }),
  /** `error` is the platform's code, for the record only. */
  slack_error: z.union([
    failedStep.extend({ error: z.string() }),
    // Recorded before steps were data: the step in the chat platform's own words ("invite <@U…>"). Still
    // read, so old timelines show; only the edge can read those words.
    z.object({ step: z.string(), error: z.string() }),
  ]),
  acknowledged: z.object({}),
  status_changed: z.object({ from: z.enum(STATUSES), to: z.enum(STATUSES), message: z.string().optional() }),
  /** A status update posted without a change of status. */
  update_posted: z.object({ status: z.enum(STATUSES), message: z.string() }),
  severity_changed: z.object({ from: z.enum(SEVERITIES), to: z.enum(SEVERITIES) }),
  role_assigned: z.object({ role: z.enum(ROLES), userId: z.string(), previousUserId: z.string().optional() }),
  note: z.object({ text: z.string() }),
  message_pinned: pinnedMessage,
  pinned_message_edited: z.object({ ts: z.string(), text: z.string() }),
  pinned_message_deleted: z.object({ ts: z.string() }),
  message_unpinned: z.object({ ts: z.string() }),
  resolved: z.object({ resolution: z.string(), rootCause: z.string().optional() }),
  reopened: z.object({}),
  channel_archived: z.object({ channelId: z.string() }),
  channel_unarchived: z.object({ channelId: z.string() }),
  linked: z.object({ otherNumber: z.number().int(), reason: z.string() }),
  /** `version`: the draft uploaded (a postmortem started, or a new draft asked for). */
  postmortem_drafted: z.object({ version: z.number().int(), dueAt: z.coerce.date(), ownerId: z.string() }),
  postmortem_done: z.object({ link: z.string() }),
  follow_up_added: z.object({ id: z.string(), text: z.string(), ownerId: z.string().optional() }),
  follow_up_done: z.object({ id: z.string() }),
  /** A change being implemented on an affected service when the incident was declared: a possible cause. */
  change_linked: z.object({ changeNumber: z.number().int(), title: z.string(), reason: z.string() }),
  /** A runbook's checklist attached to the incident, to be posted in its channel. */
  runbook_attached: z.object({ runbookId: z.string(), title: z.string(), items: z.number().int() }),
  /** Attaching the checklists failed (`ref`: the log line with the detail). */
  runbook_failed: z.object({ ref: z.string() }),
  checklist_item_checked: z.object({ runbookId: z.string(), itemId: z.string(), text: z.string() }),
  checklist_item_unchecked: z.object({ runbookId: z.string(), itemId: z.string(), text: z.string() }),
  /** Shown on the public status page: by the severity policy, or ticked by a responder. */
  status_page_published: z.object({ by: z.enum(["policy", "responder"]) }),
  /** Taken off the public status page (its updates too). */
  status_page_unpublished: z.object({}),
  /** A public update, as the status page shows it. */
  public_update_posted: z.object({ text: z.string() }),
  /** A stakeholder e-mail could not be sent after every retry (`ref`: the log line with the SMTP detail). */
  email_failed: z.object({ to: z.string(), subject: z.string(), ref: z.string() }),
} as const;

export type TimelineEventType = keyof typeof TIMELINE_PAYLOADS;
export type TimelinePayload<T extends TimelineEventType> = z.infer<(typeof TIMELINE_PAYLOADS)[T]>;

export const TIMELINE_EVENT_TYPES = Object.keys(TIMELINE_PAYLOADS) as TimelineEventType[];

/** The actor of events Firebreak does by itself (archiving on schedule, escalations). */
export const SYSTEM_ACTOR = "firebreak";

export interface TimelineEvent<T extends TimelineEventType = TimelineEventType> {
  id: string;
  incidentId: string;
  type: T;
  at: Date;
  /** A Slack user id, or SYSTEM_ACTOR. */
  actorId: string;
  payload: TimelinePayload<T>;
  /**
   * Set for events that must happen once (a pinned message's ts, an acknowledgement): a second write with
   * the same key is a no-op, which makes Slack's retries and double clicks harmless.
   */
  key?: string;
}

export function parseTimelinePayload<T extends TimelineEventType>(
  type: T,
  payload: unknown,
): TimelinePayload<T> {
  return TIMELINE_PAYLOADS[type].parse(payload) as TimelinePayload<T>;
}
