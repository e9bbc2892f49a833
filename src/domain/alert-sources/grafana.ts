import { z } from "zod";
import type { IncomingAlert } from "../alert.ts";
import {
  alertStatus,
  capLabels,
  clip,
  endedAt,
  labelMap,
  labelsFingerprint,
  labelValue,
  link,
  links,
  MAX_DESCRIPTION_LENGTH,
  type ParseResult,
  parseWith,
  serviceFromLabels,
  severityFromLabel,
  timestamp,
  titleFromLabels,
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
  status: alertStatus,
  labels: labelMap,
  annotations: labelMap.optional(),
  startsAt: timestamp.optional(),
  endsAt: timestamp.optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
  silenceURL: z.string().optional(),
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  imageURL: z.string().optional(),
});

export const grafanaBodySchema = z.looseObject({
  status: alertStatus.optional(),
  externalURL: z.string().optional(),
  alerts: z.array(grafanaAlertSchema),
});

export type GrafanaBody = z.input<typeof grafanaBodySchema>;

export const GRAFANA_SOURCE = "grafana";

/**
 * Same mapping as Alertmanager's (severity, service, title, description from labels and annotations), with
 * links ← `generatorURL` (the alert rule in Grafana), `dashboardURL`, `panelURL`, the `runbook_url`
 * annotation, `silenceURL` and `imageURL`.
 */
export function parseGrafana(body: unknown): ParseResult {
  return parseWith(grafanaBodySchema, body, (group): IncomingAlert[] =>
    group.alerts.map((alert) => {
      const annotations = alert.annotations ?? [];
      return {
        source: GRAFANA_SOURCE,
        fingerprint: alert.fingerprint?.trim()
          ? clip(alert.fingerprint)
          : labelsFingerprint(GRAFANA_SOURCE, alert.labels),
        status: alert.status,
        title: titleFromLabels(alert.labels, annotations, "Grafana alert"),
        severity: severityFromLabel(labelValue(alert.labels, "severity")),
        service: serviceFromLabels(alert.labels),
        description: clip(labelValue(annotations, "description") ?? "", MAX_DESCRIPTION_LENGTH),
        links: links([
          link("Alert rule", alert.generatorURL),
          link("Dashboard", alert.dashboardURL),
          link("Panel", alert.panelURL),
          link("Runbook", labelValue(annotations, "runbook_url")),
          link("Silence", alert.silenceURL),
          link("Image", alert.imageURL),
        ]),
        labels: capLabels(alert.labels),
        annotations: capLabels(annotations),
        startsAt: alert.startsAt,
        endsAt: endedAt(alert.status, alert.endsAt),
      };
    }),
  );
}
