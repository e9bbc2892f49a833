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

export const alertmanagerAlertSchema = z.looseObject(labelledAlertFields);

export const alertmanagerBodySchema = z.looseObject({
  version: z.literal("4", { error: 'expected "4" (Alertmanager webhook payload version 4)' }).optional(),
  ...alertGroupFields(alertmanagerAlertSchema),
});

export type AlertmanagerBody = z.input<typeof alertmanagerBodySchema>;

export const ALERTMANAGER_SOURCE = "alertmanager";

/**
 * Each alert read by `alertFromLabels` (severity, service, title, description and fingerprint from labels and
 * annotations), with links ← `generatorURL` (the rule's expression in Prometheus), the `runbook_url`
 * annotation and the group's `externalURL` (Alertmanager).
 */
export function parseAlertmanager(body: unknown): ParseResult {
  return parseAlertGroup(alertmanagerBodySchema, body, (alert, group) => ({
    source: ALERTMANAGER_SOURCE,
    defaultTitle: "Alertmanager alert",
    links: [link("Source", alert.generatorURL), runbookLink(alert), link("Alertmanager", group.externalURL)],
  }));
}
