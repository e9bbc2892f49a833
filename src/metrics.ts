/** The kinds of request Slack sends: what a person does (a command, a click, a form, a shortcut) or an event. */
export const SLACK_SURFACES = [
  "slash_command",
  "block_action",
  "view_submission",
  "view_closed",
  "shortcut",
  "options",
  "event",
  "other",
] as const;
export type SlackSurface = (typeof SLACK_SURFACES)[number];

/**
 * The metrics port: what Firebreak counts and times, in its own words. Use cases, jobs and the edges report
 * through it and never see the metrics library; src/prometheus/ implements it and serves `GET /metrics`.
 * Every call is cheap and never throws: some sit on the path to Slack's ack.
 */
export interface Metrics {
  /** A request from Slack reached the app. */
  slackRequestReceived(surface: SlackSurface): void;
  /** That request was acknowledged, `seconds` after it reached the app. */
  slackRequestAcked(surface: SlackSurface, seconds: number): void;
  /** An alert passed a webhook's checks (a firing, a repeat or a resolution). */
  alertReceived(source: string): void;
  /** A repeat of an open alert, folded into it. */
  alertDeduplicated(source: string): void;
  /** An escalation step of an alert (or of an incident, source `incident`) fired: its level is paged. */
  alertPaged(source: string): void;
  /** The escalation timer fired a step `seconds` after it was due. */
  escalationFired(lateSeconds: number): void;
  /** One HTTP call to Slack's Web API; `rateLimited` when Slack answered 429. */
  slackApiCalled(method: string, rateLimited: boolean): void;
  /** The database failed a command, or could not be reached (`command` names which). */
  databaseError(command: string): void;
}

/** Counts nothing: for the parts built outside the wiring (a unit test's context, the bench's). */
export const noMetrics: Metrics = {
  slackRequestReceived: () => {},
  slackRequestAcked: () => {},
  alertReceived: () => {},
  alertDeduplicated: () => {},
  alertPaged: () => {},
  escalationFired: () => {},
  slackApiCalled: () => {},
  databaseError: () => {},
};
