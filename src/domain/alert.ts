/** Alerts as Firebreak sees them, whatever monitoring system sent them. Plain data, no Slack or database. */

export const ALERT_SEVERITIES = ["critical", "high", "medium", "low"] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/**
 * A free-form label or annotation. Stored as a list of pairs, not a map, because keys such as
 * `app.kubernetes.io/name` contain dots and slashes, which MongoDB and FerretDB do not allow as field names.
 */
export interface Label {
  name: string;
  value: string;
}

export interface AlertLink {
  title: string;
  url: string;
}

/** One notification from a source, normalised: what the webhook adapters produce. */
export interface IncomingAlert {
  /** The source it came from: "generic", "alertmanager", "grafana". */
  source: string;
  /** Identifies "the same alert" across repeats and its resolution. */
  fingerprint: string;
  status: "firing" | "resolved";
  title: string;
  severity: AlertSeverity;
  service: string;
  description: string;
  links: AlertLink[];
  labels: Label[];
  annotations: Label[];
  /** When the source says the problem started (or was resolved), if it says. */
  startsAt?: Date;
  endsAt?: Date;
}

export type AlertState = "open" | "acknowledged" | "resolved";

/** Who gets paged: a person, a user group, or whoever is on call for a schedule. */
export type PageTarget =
  | { kind: "user"; userId: string }
  | { kind: "usergroup"; groupId: string }
  | { kind: "schedule"; scheduleName: string };

export interface EscalationLevel {
  /** Minutes after the alert first fired (not after the previous level). */
  afterMinutes: number;
  targets: PageTarget[];
}

export interface EscalationPolicy {
  id: string;
  name: string;
  levels: EscalationLevel[];
  /** After the last level: stop (0), or start again from the first level this many times. */
  repeat: number;
  /** Minutes between the last level and the first level of the next round. */
  repeatAfterMinutes: number;
}
