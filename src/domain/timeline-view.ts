import { changeKey } from "./change.ts";
import { incidentKey, type Role } from "./incident.ts";
import { severityLabel } from "./severity.ts";
import { statusLabel } from "./status.ts";
import { oneLine, truncate } from "./text.ts";
import type { FailedStep, TimelineEvent, TimelineEventType } from "./timeline.ts";

/**
 * What people see of an incident's append-only timeline. Most events become one line each. Pins fold into
 * one entry per message: shown while at least one person's pin remains, with the message's latest text,
 * marked edited, or deleted.
 */

export const MESSAGE_DELETED = "(message deleted)";
/** Longest user text quoted in a summary line, so a page of entries stays within Slack's block limits. */
export const MAX_SUMMARY_TEXT = 300;

export interface PinnedMessageView {
  channelId: string;
  ts: string;
  authorId: string;
  permalink?: string;
  postedAt: Date;
  /** What to show: the latest text, or "(message deleted)". */
  text: string;
  /** Set once the message is deleted: its last known text. */
  originalText?: string;
  edited: boolean;
  deleted: boolean;
  /** The people whose pin remains, in the order they pinned. */
  pinnedBy: string[];
}

export interface TimelineEntry {
  /** The event's id (for a pinned message, its first pin's). */
  id: string;
  type: TimelineEventType;
  /** When it happened; for a pinned message, when the message was posted. */
  at: Date;
  /** Who did it; for a pinned message, its author (the pinners are in `pinned.pinnedBy`). */
  actorId: string;
  /** One line, in parts the edge renders (mentions, escaped text) for where it is shown. */
  summary: SummaryPart[];
  pinned?: PinnedMessageView;
}

/**
 * A piece of a summary line: words (user text included, shown as typed), a person, a channel, an icon,
 * words set apart (a deleted message), or words the edge itself recorded in its own format before steps
 * were data (an old failed step such as "invite <@U…>"), which only the edge can read.
 */
export type SummaryPart =
  | { text: string }
  | { user: string }
  | { channel: string }
  | { icon: "warning" | "pushpin" }
  | { aside: string }
  | { recorded: string };

/** Each event type with its own payload, so a switch on `type` narrows `payload`. */
type AnyTimelineEvent = { [T in TimelineEventType]: TimelineEvent<T> }[TimelineEventType];

const ROLE_NAMES: Record<Role, string> = { commander: "commander", comms: "comms lead", scribe: "scribe" };

const t = (text: string): SummaryPart => ({ text });
const user = (id: string): SummaryPart => ({ user: id });
/** User text for a summary: one line, at most MAX_SUMMARY_TEXT characters. */
const quoted = (text: string): SummaryPart => ({ text: truncate(oneLine(text), MAX_SUMMARY_TEXT) });

function listUsers(ids: readonly string[]): SummaryPart[] {
  const shown = ids.slice(0, 10).flatMap((id, i) => (i === 0 ? [user(id)] : [t(", "), user(id)]));
  return ids.length > 10 ? [...shown, t(` and ${ids.length - 10} more`)] : shown;
}

const FAILED_ACTION_WORDS: Record<FailedStep["action"], string> = {
  create_channel: "create the incident channel",
  post_kickoff: "post the kickoff message",
  invite: "invite",
  describe_channel: "set the channel's topic and purpose",
  unarchive_channel: "unarchive the channel",
  page: "page",
  announce_page: "announce a page in the thread",
  post_change_link: "tell the channel of a change being implemented",
  post_update: "post the status update in the channel",
};

/** What a failed step could not do, as it follows "Could not": "invite @alice", "page @bob (reference 7KQ2M9)". */
export function failedStepParts(step: FailedStep): SummaryPart[] {
  const whom = step.userId ? [t(" "), user(step.userId)] : [];
  const ref = step.ref ? [t(` (reference ${step.ref})`)] : [];
  return [t(FAILED_ACTION_WORDS[step.action]), ...whom, ...ref];
}

/** The one-line summary of an event that is not about a pin; undefined for pin events. */
export function summarizeEvent(event: TimelineEvent): SummaryPart[] | undefined {
  const e = event as AnyTimelineEvent;
  switch (e.type) {
    case "declared": {
      const from = e.payload.fromMessage
        ? [t(" from a message by "), user(e.payload.fromMessage.authorId)]
        : [];
      return [t(`Declared ${severityLabel(e.payload.severity)}: `), quoted(e.payload.title), ...from];
    }
    case "channel_created":
      return [
        t(`Created ${e.payload.isPrivate ? "private " : ""}channel `),
        { channel: e.payload.channelId },
      ];
    case "members_invited":
      return e.payload.userIds.length === 0
        ? [t("Invited nobody")]
        : [t("Invited "), ...listUsers(e.payload.userIds)];
    case "slack_error":
      // Slack's code stays in the record; people read what could not be done.
      return [
        { icon: "warning" },
        t(" Could not "),
        ...("step" in e.payload ? [{ recorded: e.payload.step }] : failedStepParts(e.payload)),
        t(" (Slack refused or failed)"),
      ];
    case "acknowledged":
      return [t("Acknowledged")];
    case "status_changed": {
      const message = e.payload.message?.trim() ? [t(" — "), quoted(e.payload.message)] : [];
      return [t(`Status: ${statusLabel(e.payload.from)} → ${statusLabel(e.payload.to)}`), ...message];
    }
    case "severity_changed":
      return [t(`Severity changed ${severityLabel(e.payload.from)} → ${severityLabel(e.payload.to)}`)];
    case "role_assigned": {
      const was = e.payload.previousUserId ? [t(" (was "), user(e.payload.previousUserId), t(")")] : [];
      return [user(e.payload.userId), t(` is now ${ROLE_NAMES[e.payload.role]}`), ...was];
    }
    case "note":
      return [t("Note: "), quoted(e.payload.text)];
    case "resolved": {
      const cause = e.payload.rootCause?.trim() ? [t(" — root cause: "), quoted(e.payload.rootCause)] : [];
      return [t("Resolved: "), quoted(e.payload.resolution), ...cause];
    }
    case "reopened":
      return [t("Reopened")];
    case "channel_archived":
      return [t("Channel archived")];
    case "channel_unarchived":
      return [t("Channel unarchived")];
    case "linked":
      return [t(`Linked to ${incidentKey(e.payload.otherNumber)}: `), quoted(e.payload.reason)];
    case "postmortem_drafted":
      return [t(`Postmortem draft ${e.payload.version} shared; owner `), user(e.payload.ownerId)];
    case "postmortem_done":
      return [t("Postmortem done: "), quoted(e.payload.link)];
    case "follow_up_added": {
      const owner = e.payload.ownerId ? [t(" (owner "), user(e.payload.ownerId), t(")")] : [];
      return [t(`Follow-up ${e.payload.id} added: `), quoted(e.payload.text), ...owner];
    }
    case "follow_up_done":
      return [t(`Follow-up ${e.payload.id} done`)];
    case "change_linked":
      return [
        t(`Linked to ${changeKey(e.payload.changeNumber)} (${e.payload.reason}): `),
        quoted(e.payload.title),
      ];
    case "runbook_attached":
      return [t(`Runbook checklist attached: ${e.payload.title} (${e.payload.items} items)`)];
    case "runbook_failed":
      return [{ icon: "warning" }, t(` Could not attach the runbook checklist (reference ${e.payload.ref})`)];
    case "checklist_item_checked":
      return [t("Checklist: ticked "), quoted(e.payload.text)];
    case "checklist_item_unchecked":
      return [t("Checklist: unticked "), quoted(e.payload.text)];
    case "status_page_published":
      return [
        t(
          e.payload.by === "policy"
            ? "Published to the status page (severity policy)"
            : "Published to the status page",
        ),
      ];
    case "status_page_unpublished":
      return [t("Removed from the status page")];
    case "public_update_posted":
      return [t("Public update on the status page: "), quoted(e.payload.text)];
    case "email_failed":
      return [
        { icon: "warning" },
        t(` Could not e-mail ${e.payload.to} "${e.payload.subject}" (reference ${e.payload.ref})`),
      ];
    case "message_pinned":
    case "pinned_message_edited":
    case "pinned_message_deleted":
    case "message_unpinned":
      return undefined;
  }
}

export function pinSummary(pin: PinnedMessageView): SummaryPart[] {
  const pinned: SummaryPart[] = [{ icon: "pushpin" }, t(" "), user(pin.authorId), t(": ")];
  if (pin.deleted) return [...pinned, { aside: MESSAGE_DELETED }];
  return [...pinned, quoted(pin.text), ...(pin.edited ? [t(" (edited)")] : [])];
}

interface PinState {
  firstEventId: string;
  order: number;
  view: PinnedMessageView;
}

/**
 * The entries people see, oldest first (ties keep the events' order). Events are taken in time order,
 * whatever order they come in; a second pin by the same person, or an unpin by someone who had not
 * pinned, changes nothing.
 */
export function timelineView(events: readonly TimelineEvent[]): TimelineEntry[] {
  const ordered = events
    .map((event, index) => ({ event: event as AnyTimelineEvent, index }))
    .sort((a, b) => a.event.at.getTime() - b.event.at.getTime() || a.index - b.index);

  const entries: Array<{ entry: TimelineEntry; order: number }> = [];
  const pins = new Map<string, PinState>();

  for (const { event: e, index } of ordered) {
    switch (e.type) {
      case "message_pinned": {
        const known = pins.get(e.payload.ts);
        if (!known) {
          const { channelId, ts, authorId, text, permalink, postedAt } = e.payload;
          pins.set(ts, {
            firstEventId: e.id,
            order: index,
            view: {
              channelId,
              ts,
              authorId,
              ...(permalink ? { permalink } : {}),
              postedAt,
              text,
              edited: false,
              deleted: false,
              pinnedBy: [e.actorId],
            },
          });
          break;
        }
        const view = known.view;
        if (!view.pinnedBy.includes(e.actorId)) view.pinnedBy.push(e.actorId);
        // A later pin carries the text as it is now: an edit we missed.
        if (!view.deleted && e.payload.text !== view.text) {
          view.text = e.payload.text;
          view.edited = true;
        }
        break;
      }
      case "message_unpinned": {
        const view = pins.get(e.payload.ts)?.view;
        if (view) view.pinnedBy = view.pinnedBy.filter((id) => id !== e.actorId);
        break;
      }
      case "pinned_message_edited": {
        const view = pins.get(e.payload.ts)?.view;
        if (view && !view.deleted && e.payload.text !== view.text) {
          view.text = e.payload.text;
          view.edited = true;
        }
        break;
      }
      case "pinned_message_deleted": {
        const view = pins.get(e.payload.ts)?.view;
        if (view && !view.deleted) {
          view.originalText = view.text;
          view.text = MESSAGE_DELETED;
          view.deleted = true;
        }
        break;
      }
      default: {
        const summary = summarizeEvent(e) ?? [t(e.type)];
        entries.push({
          entry: { id: e.id, type: e.type, at: e.at, actorId: e.actorId, summary },
          order: index,
        });
      }
    }
  }

  for (const { firstEventId, order, view } of pins.values()) {
    if (view.pinnedBy.length === 0) continue;
    const entry: TimelineEntry = {
      id: firstEventId,
      type: "message_pinned",
      at: view.postedAt,
      actorId: view.authorId,
      summary: pinSummary(view),
      pinned: view,
    };
    entries.push({ entry, order });
  }

  return entries
    .sort((a, b) => a.entry.at.getTime() - b.entry.at.getTime() || a.order - b.order)
    .map(({ entry }) => entry);
}

export interface Page<T> {
  items: T[];
  /** 1-based, clamped to 1…pageCount. */
  page: number;
  /** At least 1, even with no items. */
  pageCount: number;
}

/** Page `page` (1-based; clamped, so out-of-range or NaN pages show the nearest one) of `pageSize` items. */
export function paginate<T>(entries: readonly T[], page: number, pageSize: number): Page<T> {
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw new RangeError(`A page size is a whole number ≥ 1, got ${pageSize}`);
  const pageCount = Math.max(1, Math.ceil(entries.length / pageSize));
  const wanted = Number.isNaN(page) ? 1 : Math.floor(page);
  const clamped = Math.min(pageCount, Math.max(1, wanted));
  const start = (clamped - 1) * pageSize;
  return { items: entries.slice(start, start + pageSize), page: clamped, pageCount };
}
