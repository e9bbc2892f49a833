import type { AlertChange, AlertChangeDone, AlertRefusal } from "../../alerts/alert-changes.ts";
import { escapeMrkdwn } from "../mrkdwn.ts";
import { agoText, mention } from "./blocks.ts";

/** The private answer to an alert's buttons (Acknowledge, Escalate now, Resolve): what was done, or why not. */

function refusalText(refusal: AlertRefusal, now: Date): string {
  switch (refusal.kind) {
    case "already_resolved":
      return "This alert is already resolved.";
    case "already_acknowledged": {
      const who = refusal.by ? mention(refusal.by) : "someone else";
      return `Already acknowledged by ${who}${agoText(refusal.at, now)}.`;
    }
    case "not_open":
      return `This alert is ${refusal.state}: there is nothing to escalate.`;
    case "not_escalated":
      return `Not escalated: ${escapeMrkdwn(refusal.reason)}.`;
  }
}

function doneText(done: AlertChangeDone): string {
  switch (done.kind) {
    case "acknowledged": {
      const raced = done.escalatedTo.map(escapeMrkdwn).join(", ");
      return `You acknowledged the alert${raced ? ` (it had already escalated to ${raced} as you clicked)` : ""}. Escalation is stopped.`;
    }
    case "escalated":
      return `Escalated to ${escapeMrkdwn(done.level)}.`;
    case "resolved":
      return "You resolved the alert.";
  }
}

/** mrkdwn for the person who clicked; `now` says how long ago someone else acknowledged. */
export function alertChangeText(change: AlertChange, now: Date): string {
  return change.ok ? doneText(change.done) : refusalText(change.refusal, now);
}
