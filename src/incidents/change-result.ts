import type { AppContext } from "../context.ts";
import { type Incident, incidentKey, type Role, type Severity } from "../domain/incident.ts";
import type { OpenStatus } from "../domain/status.ts";
import { refreshHomesOfIncident } from "../home/home.ts";
import type { SendFailure } from "../send-outcome.ts";
import { updateIncident } from "../store/incidents.ts";
import type { PermissionRefusal } from "./permissions.ts";
import { refreshIncidentMessages } from "./refresh.ts";

/**
 * What the changes people make to an incident (src/incidents/changes.ts, status-updates.ts) answer, as
 * data the edge words, and the one way they store a change: the incident, then its Home tabs and messages.
 */

/** A change that was made, as data: the edge tells the person who asked, in words. */
export type ChangeDone =
  /** `escalatedTo`: the levels already paged while the acknowledgement raced the timer. */
  | { kind: "acknowledged"; number: number; escalatedTo: string[] }
  /** `problem`: the update is recorded but Slack did not take its post (retried when `retrying`). */
  | { kind: "update_posted"; number: number; status: OpenStatus; problem?: UpdateProblem | undefined }
  | { kind: "severity_changed"; number: number; severity: Severity }
  | { kind: "role_assigned"; number: number; role: Role; userId: string }
  | { kind: "note_added"; number: number }
  /** `archiveAfterMinutes`: when its channel will be archived; null when channels are never archived. */
  | { kind: "resolved"; number: number; archiveAfterMinutes: number | null }
  | { kind: "reopened"; number: number };

/** Why a status update is not in the incident channel (yet), with the reference of the log line. */
export interface UpdateProblem {
  failure: SendFailure;
  ref: string;
  retrying: boolean;
}

/** Why a change was not made, as data. */
export type ChangeRefusal =
  | PermissionRefusal
  /** Someone else acknowledged first; who and when, when it could be read in time. */
  | { kind: "already_acknowledged"; number: number; by?: string | undefined; at?: Date | undefined }
  | { kind: "resolved_no_updates"; number: number }
  /** The status machine's reason, a plain sentence. */
  | { kind: "not_allowed"; reason: string }
  | { kind: "already_severity"; number: number; severity: Severity }
  | { kind: "already_role"; number: number; role: Role; userId: string }
  | { kind: "already_resolved"; number: number }
  | { kind: "already_reopened"; number: number };

/** The outcome of a change, for the person who asked (the edge answers ephemerally). */
export type ChangeResult =
  | { ok: true; incident: Incident; done: ChangeDone }
  | { ok: false; refusal: ChangeRefusal };

export const refused = (refusal: ChangeRefusal): ChangeResult => ({ ok: false, refusal });
export const notAllowed = (reason: string) => refused({ kind: "not_allowed", reason });

/** Keys one resolve/reopen round apart from the next, so the same click repeated is one change. */
export const roundOf = (incident: Incident) => String(incident.reopenedAt?.getTime() ?? 0);

export async function save(ctx: AppContext, incident: Incident, patch: Parameters<typeof updateIncident>[2]) {
  const updated = await updateIncident(ctx.store.models, incident.id, patch);
  if (!updated) throw new Error(`${incidentKey(incident.number)} disappeared while being changed`);
  await refreshHomesOfIncident(ctx, incident, updated);
  return refreshIncidentMessages(ctx, updated);
}
