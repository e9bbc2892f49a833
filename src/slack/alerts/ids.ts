/** The alert message's buttons (also on the paging DM); each carries the alert id as its value. */
export const ALERT_ACTIONS = {
  acknowledge: "alert_acknowledge",
  escalateNow: "alert_escalate_now",
  declareIncident: "alert_declare_incident",
  resolve: "alert_resolve",
} as const;
