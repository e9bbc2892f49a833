import { humanDuration } from "../../domain/duration.ts";
import { incidentKey } from "../../domain/incident.ts";
import { severityLabel } from "../../domain/severity.ts";
import { statusLabel } from "../../domain/status.ts";
import type { ChangeDone, ChangeRefusal, ChangeResult } from "../../incidents/change-result.ts";
import type { PermissionRefusal } from "../../incidents/permissions.ts";
import type { Target } from "../../incidents/target.ts";
import { escapeMrkdwn } from "../mrkdwn.ts";
import { agoText, channelMention, groupMention, mention, ROLE_LABELS } from "./blocks.ts";
import { failureLine, retryingLine } from "./failure.ts";

/**
 * The private answer to an incident change (a command, a button, a form): what was done, or why not; and
 * to a command that names no incident it can find.
 */

const roleName = (role: keyof typeof ROLE_LABELS) => ROLE_LABELS[role].toLowerCase();

/** Why someone may not change severity, resolve or reopen. */
export function permissionRefusalText(refusal: PermissionRefusal): string {
  switch (refusal.kind) {
    case "not_in_admin_group":
      return `Only members of ${groupMention(refusal.groupId)} may do this.`;
    case "not_in_incident": {
      const where = refusal.channelId ? channelMention(refusal.channelId) : "its channel";
      return `Only people in the incident may do this: join ${where} first.`;
    }
    case "membership_unknown": {
      const { of } = refusal;
      const where = "groupId" in of ? groupMention(of.groupId) : channelMention(of.channelId);
      return `I could not check who is in ${where}, so I did not do this. Please try again in a minute (ref ${refusal.ref}).`;
    }
  }
}

function refusalText(refusal: ChangeRefusal, now: Date): string {
  switch (refusal.kind) {
    case "already_acknowledged": {
      const who = refusal.by ? mention(refusal.by) : "someone else";
      return `${incidentKey(refusal.number)} was already acknowledged by ${who}${agoText(refusal.at, now)}.`;
    }
    case "resolved_no_updates":
      return `${incidentKey(refusal.number)} is resolved: reopen it before posting updates.`;
    case "not_allowed":
      // The status machine's reasons are phrases; the answer is a sentence.
      return `${escapeMrkdwn(refusal.reason)}.`;
    case "already_severity":
      return `${incidentKey(refusal.number)} is already ${severityLabel(refusal.severity)}.`;
    case "already_role":
      return `${mention(refusal.userId)} is already the ${roleName(refusal.role)} of ${incidentKey(refusal.number)}.`;
    case "already_resolved":
      return `${incidentKey(refusal.number)} is already resolved.`;
    case "already_reopened":
      return `${incidentKey(refusal.number)} is already reopened.`;
    default:
      return permissionRefusalText(refusal);
  }
}

function doneText(done: ChangeDone): string {
  const key = incidentKey(done.number);
  switch (done.kind) {
    case "acknowledged": {
      const raced = done.escalatedTo.map(escapeMrkdwn).join(", ");
      return `You acknowledged ${key}.${raced ? ` It had already escalated to ${raced}.` : ""}`;
    }
    case "update_posted": {
      if (!done.problem) return `Update posted to ${key} (${statusLabel(done.status)}).`;
      const { failure, ref, retrying } = done.problem;
      const step = "post the update in the incident channel";
      return `Update recorded on ${key} (${statusLabel(done.status)}).\n${(retrying ? retryingLine : failureLine)(step, failure, ref)}`;
    }
    case "severity_changed":
      return `${key} is now ${severityLabel(done.severity)}.`;
    case "role_assigned":
      return `${mention(done.userId)} is now the ${roleName(done.role)} of ${key}.`;
    case "note_added":
      return `Note added to the timeline of ${key}.`;
    case "resolved": {
      const minutes = done.archiveAfterMinutes;
      const archive =
        minutes === null ? "" : ` Its channel will be archived in ${humanDuration(minutes * 60_000)}.`;
      return `${key} is resolved.${archive}`;
    }
    case "reopened":
      return `${key} is reopened and back to investigating.`;
  }
}

/** mrkdwn for the person who asked; `now` says how long ago someone else acknowledged. */
export function changeResultText(result: ChangeResult, now: Date): string {
  return result.ok ? doneText(result.done) : refusalText(result.refusal, now);
}

/** No incident to act on: the one named does not exist, or the command was typed outside an incident channel. */
export function targetMissingText(missing: Extract<Target, { ok: false }>): string {
  if (missing.missing === "no_such_incident") return `There is no ${incidentKey(missing.number)}.`;
  return "This channel is not an incident channel. Name the incident, e.g. `INC-42`, or run the command in its channel.";
}
