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
 * Prometheus Alertmanager's `webhook_config` receiver, payload version 4: one POST per alert group, each
 * carrying many alerts, firing and resolved together.
 *   https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
 *   (sample: https://docs.rs/crate/alertmanager-webhook-types/latest/source/assets/sample-v4-payload.json)
 *
 *   { "version": "4", "groupKey", "truncatedAlerts", "status", "receiver", "groupLabels", "commonLabels",
 *     "commonAnnotations", "externalURL",
 *     "alerts": [{ "status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint" }] }
 *
 * Each alert becomes one IncomingAlert. Group-level fields other than `externalURL` repeat what the alerts
 * carry (common labels are in every alert's labels) and are not read; fields not listed are allowed and ignored.
 */

export const alertmanagerAlertSchema = z.looseObject({
  status: alertStatus,
  labels: labelMap,
  annotations: labelMap.optional(),
  startsAt: timestamp.optional(),
  endsAt: timestamp.optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});

export const alertmanagerBodySchema = z.looseObject({
  version: z.literal("4", { error: 'expected "4" (Alertmanager webhook payload version 4)' }).optional(),
  status: alertStatus.optional(),
  externalURL: z.string().optional(),
  alerts: z.array(alertmanagerAlertSchema),
});

export type AlertmanagerBody = z.input<typeof alertmanagerBodySchema>;

export const ALERTMANAGER_SOURCE = "alertmanager";

/**
 * severity ← `severity` label (critical; error/high/major → high; warning/medium; info/low/none → low; else
 * medium). service ← `service`, `app.kubernetes.io/name` or `job` label. title ← `alertname` label and
 * `summary` annotation. description ← `description` annotation. links ← `generatorURL` (the rule's
 * expression in Prometheus), the `runbook_url` annotation and the group's `externalURL` (Alertmanager).
 * fingerprint ← the alert's own, else a hash of its labels, as Alertmanager identifies alerts by label set.
 */
export function parseAlertmanager(body: unknown): ParseResult {
  return parseWith(alertmanagerBodySchema, body, (group): IncomingAlert[] =>
    group.alerts.map((alert) => {
      const annotations = alert.annotations ?? [];
      return {
        source: ALERTMANAGER_SOURCE,
        fingerprint: alert.fingerprint?.trim()
          ? clip(alert.fingerprint)
          : labelsFingerprint(ALERTMANAGER_SOURCE, alert.labels),
        status: alert.status,
        title: titleFromLabels(alert.labels, annotations, "Alertmanager alert"),
        severity: severityFromLabel(labelValue(alert.labels, "severity")),
        service: serviceFromLabels(alert.labels),
        description: clip(labelValue(annotations, "description") ?? "", MAX_DESCRIPTION_LENGTH),
        links: links([
          link("Source", alert.generatorURL),
          link("Runbook", labelValue(annotations, "runbook_url")),
          link("Alertmanager", group.externalURL),
        ]),
        labels: capLabels(alert.labels),
        annotations: capLabels(annotations),
        startsAt: alert.startsAt,
        endsAt: endedAt(alert.status, alert.endsAt),
      };
    }),
  );
}
