/** The incident as the rest of Firebreak sees it: plain data, no Slack or database types. */

export const SEVERITIES = ["sev1", "sev2", "sev3", "sev4"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ["investigating", "identified", "monitoring", "resolved"] as const;
export type Status = (typeof STATUSES)[number];

export const ROLES = ["commander", "comms", "scribe"] as const;
export type Role = (typeof ROLES)[number];

/** A message Firebreak posted and keeps editing in place (the announcement, the kickoff). */
export interface MessageRef {
  channelId: string;
  ts: string;
}

export interface Incident {
  /** Database id, as a string. */
  id: string;
  workspaceId: string;
  /** Per-workspace sequence number: INC-<number>. */
  number: number;
  title: string;
  description: string;
  severity: Severity;
  status: Status;
  affectedServices: string[];
  /** Slack user ids by role. */
  roles: Partial<Record<Role, string>>;
  reporterId: string;
  isPrivate: boolean;
  /** A mock incident for practice: a `drill-` channel, labelled messages, nobody paged, left out of reports. */
  drill?: boolean;
  declaredAt: Date;
  acknowledgedAt?: Date;
  acknowledgedBy?: string;
  mitigatedAt?: Date;
  resolvedAt?: Date;
  /** Set by each reopen; with resolvedAt it tells one resolve/reopen round from the next (idempotency keys). */
  reopenedAt?: Date;
  resolution?: string;
  rootCause?: string;
  channelId?: string;
  channelName?: string;
  announcement?: MessageRef;
  kickoff?: MessageRef;
  /** When the next status update is due, by the severity's cadence; unset when none is (SEV4, resolved). */
  nextUpdateDueAt?: Date;
  /** When the resolved incident's channel is due to be archived (the database is the clock). */
  archiveDueAt?: Date;
  archivedAt?: Date;
  /** Other incidents this one was linked to (duplicates declared anyway, merged reports). */
  linkedNumbers: number[];
}

export function incidentKey(number: number): string {
  return `INC-${number}`;
}
