import { type Incident, ROLES, type Role, SEVERITIES, type Severity } from "./incident.ts";
import { followUpId } from "./postmortem.ts";
import type { OnCallLevel } from "./report.ts";

/**
 * What one person's App Home shows, as plain data: the open incidents by severity, the ones where they hold
 * a role, their open and overdue follow-ups, and who is on call at each level (and whether it is them).
 * Drills are practice: they are listed on their own, labelled, and counted in no severity; a drill where
 * the person holds a role is among theirs, marked as a drill.
 */

export interface HomeIncidentGroup {
  severity: Severity;
  /** Newest first. */
  incidents: Incident[];
}

export interface HomeFollowUp {
  number: number;
  /** F1, F2, … within its incident. */
  id: string;
  text: string;
  dueAt?: Date;
  /** The incident's channel, where `/incident followup done` closes it; unknown once the incident is gone. */
  channelId?: string;
}

export interface HomeSummary {
  viewerId: string;
  at: Date;
  /** Open incidents, drills left out, by severity (most severe first; empty severities left out). */
  open: HomeIncidentGroup[];
  /** Open drills, newest first. */
  drills: Incident[];
  /** Open incidents and drills where the viewer holds a role, most severe first, with the roles. */
  mine: { incident: Incident; roles: Role[] }[];
  /** The viewer's follow-ups past their due time, most overdue first. */
  overdueFollowUps: HomeFollowUp[];
  /** The viewer's other open follow-ups, soonest due first, undated last. */
  openFollowUps: HomeFollowUp[];
  onCall: OnCallLevel[];
  /** The levels at which the viewer is on call now (1-based). */
  viewerOnCallAt: number[];
}

/** An open follow-up as the live set holds it. */
export interface OpenFollowUpEntry {
  incidentId: string;
  number: number;
  seq: number;
  text: string;
  ownerId?: string;
  createdBy: string;
  dueAt?: Date;
}

/**
 * Whose a follow-up is: its owner, else whoever added it (as its overdue reminder goes): the person whose
 * Home lists it.
 */
export const followUpHolder = (followUp: Pick<OpenFollowUpEntry, "ownerId" | "createdBy">): string =>
  followUp.ownerId ?? followUp.createdBy;

/** The people an incident's Home entries concern: its role holders. */
export const roleHolders = (incident: Pick<Incident, "roles">): string[] =>
  ROLES.flatMap((role) => incident.roles[role] ?? []);

const severityRank = (severity: Severity) => SEVERITIES.indexOf(severity);
const newestFirst = (a: Incident, b: Incident) =>
  b.declaredAt.getTime() - a.declaredAt.getTime() || b.number - a.number;
const dueTime = (f: { dueAt?: Date }) => f.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;

export interface HomeInput {
  viewerId: string;
  now: Date;
  /** Every open incident of the workspace (resolved ones are left out here if given). */
  incidents: readonly Incident[];
  /** Open follow-ups of the workspace; only the viewer's are shown. */
  followUps: readonly OpenFollowUpEntry[];
  /** The channel of each follow-up's incident, by incident id, where known. */
  channels: ReadonlyMap<string, string>;
  onCall: OnCallLevel[];
}

export function homeSummary(input: HomeInput): HomeSummary {
  const { viewerId, now } = input;
  const open = input.incidents.filter((incident) => incident.status !== "resolved");
  const real = open.filter((incident) => !incident.drill);
  const groups = SEVERITIES.map((severity) => ({
    severity,
    incidents: real.filter((incident) => incident.severity === severity).sort(newestFirst),
  })).filter((group) => group.incidents.length > 0);
  const mine = open
    .map((incident) => ({
      incident,
      roles: ROLES.filter((role) => incident.roles[role] === viewerId),
    }))
    .filter((entry) => entry.roles.length > 0)
    .sort(
      (a, b) =>
        severityRank(a.incident.severity) - severityRank(b.incident.severity) ||
        newestFirst(a.incident, b.incident),
    );
  const followUps = input.followUps
    .filter((followUp) => followUpHolder(followUp) === viewerId)
    .sort((a, b) => dueTime(a) - dueTime(b) || a.number - b.number || a.seq - b.seq)
    .map((followUp): HomeFollowUp & { overdue: boolean } => {
      const channelId = input.channels.get(followUp.incidentId);
      return {
        number: followUp.number,
        id: followUpId(followUp.seq),
        text: followUp.text,
        ...(followUp.dueAt && { dueAt: followUp.dueAt }),
        ...(channelId && { channelId }),
        overdue: followUp.dueAt !== undefined && followUp.dueAt <= now,
      };
    });
  const strip = ({ overdue: _, ...followUp }: HomeFollowUp & { overdue: boolean }): HomeFollowUp => followUp;
  return {
    viewerId,
    at: now,
    open: groups,
    drills: open.filter((incident) => incident.drill).sort(newestFirst),
    mine,
    overdueFollowUps: followUps.filter((f) => f.overdue).map(strip),
    openFollowUps: followUps.filter((f) => !f.overdue).map(strip),
    onCall: input.onCall,
    viewerOnCallAt: input.onCall
      .filter((level) => level.entries.some((entry) => entry.kind === "user" && entry.userId === viewerId))
      .map((level) => level.level),
  };
}
