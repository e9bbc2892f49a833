import { humanDuration } from "./duration.ts";
import { type Incident, incidentKey, type Severity } from "./incident.ts";
import { checklistProgress, type RunbookChecklist } from "./runbook.ts";
import { severityLabel } from "./severity.ts";
import { statusLabel } from "./status.ts";
import { oneLine } from "./text.ts";
import type { TimelineEvent } from "./timeline.ts";
import { type SummaryPart, summarizeEvent } from "./timeline-view.ts";

/**
 * Postmortems and follow-up actions as plain data, and the postmortem's Markdown draft. The seeds ask for a
 * postmortem within 48 hours of a SEV1 or SEV2, with the timeline, the root cause, action items and lessons
 * learned; the draft is a file for people to finish, so it is Markdown, never chat markup.
 */

export const DEFAULT_POSTMORTEM_SEVERITIES: readonly Severity[] = ["sev1", "sev2"];
export const DEFAULT_POSTMORTEM_DUE_HOURS = 48;
/** The "coming due" reminder goes out this long before a postmortem is due. */
export const DEFAULT_POSTMORTEM_REMIND_HOURS = 24;

export interface Postmortem {
  incidentId: string;
  workspaceId: string;
  number: number;
  ownerId: string;
  channelId?: string;
  createdAt: Date;
  dueAt: Date;
  /** How many drafts were queued so far: the latest draft's version. */
  draftVersion: number;
  /** The finished document, once someone records it. */
  link?: string;
  doneAt?: Date;
  doneBy?: string;
}

export interface FollowUp {
  /** Short and stable within its incident: F1, F2, … */
  id: string;
  incidentId: string;
  workspaceId: string;
  number: number;
  text: string;
  ownerId?: string;
  dueAt?: Date;
  createdBy: string;
  createdAt: Date;
  doneAt?: Date;
  doneBy?: string;
  /** Added in a drill: its owner is reminded, but no report lists it. */
  drill?: boolean;
}

export const followUpId = (seq: number) => `F${seq}`;

/** "F2", "f2" or "2" → 2; anything else → undefined. */
export function parseFollowUpSeq(text: string): number | undefined {
  const match = /^f?(\d{1,6})$/i.exec(text.trim());
  const seq = match ? Number(match[1]) : 0;
  return seq >= 1 ? seq : undefined;
}

export const isOverdue = (followUp: Pick<FollowUp, "dueAt" | "doneAt">, now: Date) =>
  followUp.doneAt === undefined && followUp.dueAt !== undefined && followUp.dueAt <= now;

/** A postmortem's reminders: a while before it is due, then once when it is overdue. */
export type PostmortemReminderStage = "due_soon" | "overdue";

/** The reminder after `last` (none yet: the "coming due" one), and when it falls due; undefined after both. */
export function nextPostmortemReminder(
  dueAt: Date,
  remindBeforeMs: number,
  last: PostmortemReminderStage | undefined,
): { stage: PostmortemReminderStage; at: Date } | undefined {
  if (last === undefined) return { stage: "due_soon", at: new Date(dueAt.getTime() - remindBeforeMs) };
  if (last === "due_soon") return { stage: "overdue", at: dueAt };
  return undefined;
}

export interface PostmortemDraftInput {
  incident: Incident;
  /** Every event of the timeline, in time order. */
  events: readonly TimelineEvent[];
  followUps: readonly FollowUp[];
  postmortem: Pick<Postmortem, "ownerId" | "dueAt" | "draftVersion">;
  now: Date;
  /** The runbook checklists the incident got, with what was ticked (none: no section). */
  checklists?: readonly RunbookChecklist[];
}

/** "2026-11-08 14:30 UTC": files are read anywhere, so their times carry their zone. */
export function utcTime(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

const person = (userId: string | undefined) => (userId ? `@${userId}` : "nobody");

/** Plain text of a summary line, people as @-ids (a file has no mentions). */
function plainSummary(parts: readonly SummaryPart[]): string {
  return parts
    .map((part) => {
      if ("text" in part) return part.text;
      if ("user" in part) return `@${part.user}`;
      if ("channel" in part) return `#${part.channel}`;
      if ("icon" in part) return part.icon === "warning" ? "⚠️" : "📌";
      if ("aside" in part) return part.aside;
      return part.recorded;
    })
    .join("");
}

/** One line per event, pins and their edits included: the postmortem keeps the whole record. */
function eventLine(event: TimelineEvent): string {
  const summary = summarizeEvent(event);
  if (summary) return plainSummary(summary);
  const p = event.payload as { text?: string; ts?: string; authorId?: string };
  switch (event.type) {
    case "message_pinned":
      return `Pinned a message by @${p.authorId ?? "someone"}: ${oneLine(p.text ?? "")}`;
    case "pinned_message_edited":
      return `Pinned message edited: ${oneLine(p.text ?? "")}`;
    case "pinned_message_deleted":
      return "Pinned message deleted";
    default:
      return "Message unpinned";
  }
}

/** Markdown needs no escaping in list items except a line break; keep user text on its line. */
const inline = (text: string) => oneLine(text);

function followUpLine(followUp: FollowUp): string {
  const owner = followUp.ownerId ? `, owner @${followUp.ownerId}` : "";
  const due = followUp.dueAt ? `, due ${utcTime(followUp.dueAt)}` : "";
  const state = followUp.doneAt ? `done ${utcTime(followUp.doneAt)}` : "open";
  return `- [${followUp.doneAt ? "x" : " "}] **${followUp.id}** ${inline(followUp.text)} (${state}${owner}${due})`;
}

/** Each runbook's checklist as it was left: what was done, by whom and when, and what was not. */
function checklistLines(checklists: readonly RunbookChecklist[]): string[] {
  if (checklists.length === 0) return [];
  return [
    "## Runbook checklist",
    "",
    ...checklists.flatMap((checklist) => {
      const { done, total } = checklistProgress(checklist);
      return [
        `**${inline(checklist.title)}**: ${done} of ${total} done`,
        "",
        ...checklist.items.map((item) =>
          item.doneAt
            ? `- [x] ${inline(item.text)} (done ${utcTime(item.doneAt)} by ${person(item.doneBy)})`
            : `- [ ] ${inline(item.text)}`,
        ),
        "",
      ];
    }),
  ];
}

/** The postmortem's Markdown draft, from the incident as it is now. */
export function postmortemDraft(input: PostmortemDraftInput): string {
  const { incident, events, followUps, postmortem, now } = input;
  const end = incident.resolvedAt ?? now;
  const duration = humanDuration(Math.max(0, end.getTime() - incident.declaredAt.getTime()));
  const services = incident.affectedServices.length > 0 ? incident.affectedServices.join(", ") : "none named";
  const roles = (["commander", "comms", "scribe"] as const)
    .filter((role) => incident.roles[role])
    .map((role) => `${role} ${person(incident.roles[role])}`);
  const lines = [
    `# Postmortem: ${incidentKey(incident.number)} ${inline(incident.title)}`,
    "",
    `_Draft ${postmortem.draftVersion}, generated ${utcTime(now)} by Firebreak. Owner ${person(postmortem.ownerId)}, due ${utcTime(postmortem.dueAt)}._`,
    "",
    "## Summary",
    "",
    incident.description.trim() ? incident.description.trim() : inline(incident.title),
    "",
    "## Incident information",
    "",
    `- **Incident**: ${incidentKey(incident.number)}`,
    `- **Severity**: ${severityLabel(incident.severity)}`,
    `- **Status**: ${statusLabel(incident.status)}`,
    `- **Declared**: ${utcTime(incident.declaredAt)}`,
    ...(incident.acknowledgedAt ? [`- **Acknowledged**: ${utcTime(incident.acknowledgedAt)}`] : []),
    ...(incident.resolvedAt ? [`- **Resolved**: ${utcTime(incident.resolvedAt)}`] : []),
    `- **Duration**: ${duration}${incident.resolvedAt ? "" : " (still open)"}`,
    ...(roles.length > 0 ? [`- **Roles**: ${roles.join(", ")}`] : []),
    "",
    "## Impact",
    "",
    `- **Services affected**: ${inline(services)}`,
    "- **Users affected**: _to fill in_",
    "",
    "## Timeline",
    "",
    ...(events.length === 0
      ? ["_No events recorded._"]
      : events.map((event) => `- ${utcTime(event.at)}: ${inline(eventLine(event))}`)),
    "",
    "## Root cause",
    "",
    incident.rootCause?.trim() ? incident.rootCause.trim() : "_To fill in._",
    "",
    "## Resolution",
    "",
    incident.resolution?.trim() ? incident.resolution.trim() : "_To fill in._",
    "",
    ...checklistLines(input.checklists ?? []),
    "## Contributing factors",
    "",
    "",
    "## Follow-up actions",
    "",
    ...(followUps.length === 0
      ? ["_None yet: add one with /incident followup add._"]
      : followUps.map(followUpLine)),
    "",
    "## Lessons learned",
    "",
    "",
  ];
  return lines.join("\n");
}

export const postmortemFilename = (number: number, version: number) =>
  `${incidentKey(number).toLowerCase()}-postmortem-draft-${version}.md`;

/** The daily report's postmortem sections: open postmortems by due time, and overdue follow-ups. */
export interface PostmortemsDue {
  postmortems: { number: number; ownerId: string; dueAt: Date; channelId?: string; overdue: boolean }[];
  overdueFollowUps: { number: number; id: string; text: string; ownerId?: string; dueAt: Date }[];
}

/** From the live sets' entries: every postmortem still to write, and the follow-ups past their due time. */
export function postmortemsDue(
  open: readonly { number: number; ownerId: string; dueAt: Date; channelId?: string }[],
  followUps: readonly { number: number; seq: number; text: string; ownerId?: string; dueAt?: Date }[],
  now: Date,
): PostmortemsDue {
  return {
    postmortems: [...open]
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
      .map(({ number, ownerId, dueAt, channelId }) => ({
        number,
        ownerId,
        dueAt,
        ...(channelId && { channelId }),
        overdue: dueAt <= now,
      })),
    overdueFollowUps: followUps
      .flatMap((f) =>
        f.dueAt && f.dueAt <= now
          ? [
              {
                number: f.number,
                id: followUpId(f.seq),
                text: f.text,
                dueAt: f.dueAt,
                ...(f.ownerId && { ownerId: f.ownerId }),
              },
            ]
          : [],
      )
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime()),
  };
}
