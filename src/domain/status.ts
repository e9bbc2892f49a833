import { incidentKey, STATUSES, type Status } from "./incident.ts";

/**
 * The status machine. The open statuses move freely among themselves, backwards too: a fix that does not
 * hold sends "monitoring" back to "investigating". Any open status may be resolved; a resolved incident only
 * leaves through `reopen`, which starts over at "investigating".
 */

export type OpenStatus = Exclude<Status, "resolved">;

export const OPEN_STATUSES: readonly OpenStatus[] = ["investigating", "identified", "monitoring"];

export type StatusTransition = { ok: true; to: Status } | { ok: false; reason: string };

export const STATUS_DISPLAY: Readonly<Record<Status, { label: string; emoji: string }>> = {
  investigating: { label: "Investigating", emoji: ":mag:" },
  identified: { label: "Identified", emoji: ":dart:" },
  monitoring: { label: "Monitoring", emoji: ":eyes:" },
  resolved: { label: "Resolved", emoji: ":white_check_mark:" },
};

export function isOpen(status: Status): status is OpenStatus {
  return status !== "resolved";
}

/** "Investigating". */
export function statusLabel(status: Status): string {
  return STATUS_DISPLAY[status].label;
}

/** A Slack emoji shortcode, e.g. ":mag:". */
export function statusEmoji(status: Status): string {
  return STATUS_DISPLAY[status].emoji;
}

function subject(incidentNumber: number | undefined): string {
  return incidentNumber === undefined ? "The incident" : incidentKey(incidentNumber);
}

/** Statuses `changeStatus` accepts from `from` (for buttons and menus); a resolved incident has none. */
export function nextStatuses(from: Status): Status[] {
  return isOpen(from) ? STATUSES.filter((s) => s !== from) : [];
}

/** `incidentNumber` only makes the reason name the incident ("INC-42 is already monitoring"). */
export function changeStatus(from: Status, to: Status, incidentNumber?: number): StatusTransition {
  if (from === to) return { ok: false, reason: `${subject(incidentNumber)} is already ${to}` };
  if (!isOpen(from)) return { ok: false, reason: "A resolved incident must be reopened first" };
  return { ok: true, to };
}

export function reopen(from: Status, incidentNumber?: number): StatusTransition {
  if (isOpen(from))
    return {
      ok: false,
      reason: `Only a resolved incident can be reopened; ${subject(incidentNumber)} is ${from}`,
    };
  return { ok: true, to: "investigating" };
}
