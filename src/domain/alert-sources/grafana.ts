import { z } from "zod";
import {
  alertGroupFields,
  labelledAlertFields,
  link,
  type ParseResult,
  parseAlertGroup,
  runbookLink,
} from "./common.ts";

/**
 * Grafana Alerting (unified alerting) "Webhook" contact point. Its body extends Alertmanager's (its own
 * `version` is "1") with Grafana's links on each alert:
 *   https://grafana.com/docs/grafana/latest/alerting/configure-notifications/manage-contact-points/integrations/webhook-notifier/
 *
 *   { "receiver", "status", "orgId", "groupLabels", "commonLabels", "commonAnnotations", "externalURL",
 *     "version", "groupKey", "truncatedAlerts", "title", "state", "message",
 *     "alerts": [{ "status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint",
 *                  "silenceURL", "dashboardURL", "panelURL", "imageURL"?, "values", "valueString" }] }
 *
 * Grafana sends "" for the dashboard and panel URLs of rules not tied to a panel; those are skipped. Fields
 * not listed (values, valueString, orgId…) are allowed and ignored.
 */

export const grafanaAlertSchema = z.looseObject({
  ...labelledAlertFields,
  silenceURL: z.string().optional(),
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  imageURL: z.string().optional(),
});

export const grafanaBodySchema = z.looseObject(alertGroupFields(grafanaAlertSchema));

export type GrafanaBody = z.input<typeof grafanaBodySchema>;

export const GRAFANA_SOURCE = "grafana";

/**
 * Same mapping as Alertmanager's (`alertFromLabels`: severity, service, title, description from labels and
 * annotations), with links ← `generatorURL` (the alert rule in Grafana), `dashboardURL`, `panelURL`, the
 * `runbook_url` annotation, `silenceURL` and `imageURL`.
 */
export function parseGrafana(body: unknown): ParseResult {
  return parseAlertGroup(grafanaBodySchema, body, (alert) => ({
    source: GRAFANA_SOURCE,
    defaultTitle: "Grafana alert",
    links: [
      link("Alert rule", alert.generatorURL),
      link("Dashboard", alert.dashboardURL),
      link("Panel", alert.panelURL),
      runbookLink(alert),
      link("Silence", alert.silenceURL),
      link("Image", alert.imageURL),
    ],
  }));
}
