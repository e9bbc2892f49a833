/** Every action_id and callback_id of the incident surfaces, in one place so listeners and views agree. */

export const INCIDENT_ACTIONS = {
  acknowledge: "incident_acknowledge",
  postUpdate: "incident_post_update",
  changeSeverity: "incident_change_severity",
  assignRole: "incident_assign_role",
  resolve: "incident_resolve",
  reopen: "incident_reopen",
  /** Duplicate warning: join the existing incident's channel instead of declaring. */
  joinExisting: "incident_join_existing",
  /** Duplicate warning: declare the new incident anyway, linked to the existing one. */
  declareAnyway: "incident_declare_anyway",
} as const;

export const INCIDENT_VIEWS = {
  declare: "incident_declare",
  duplicateWarning: "incident_duplicate_warning",
  update: "incident_update",
  severity: "incident_severity",
  role: "incident_role",
  resolve: "incident_resolve",
} as const;

/** The alert message's buttons (also on the paging DM); each carries the alert id as its value. */
export const ALERT_ACTIONS = {
  acknowledge: "alert_acknowledge",
  escalateNow: "alert_escalate_now",
  declareIncident: "alert_declare_incident",
  resolve: "alert_resolve",
} as const;

/** The change request buttons (value: the change's number) and form. */
export const CHANGE_ACTIONS = {
  approve: "change_approve",
  reject: "change_reject",
  schedule: "change_schedule",
  start: "change_start",
  complete: "change_complete",
  fail: "change_fail",
} as const;

export const CHANGE_VIEWS = { request: "change_request" } as const;
