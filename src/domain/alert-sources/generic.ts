import { z } from "zod";
import { ALERT_SEVERITIES, type IncomingAlert } from "../alert.ts";
import {
  alertStatus,
  capLabels,
  clip,
  endedAt,
  labelMap,
  link,
  links,
  MAX_DESCRIPTION_LENGTH,
  MAX_TITLE_LENGTH,
  type ParseResult,
  parseWith,
  stableHash,
  timestamp,
} from "./common.ts";

/**
 * Firebreak's own format, for scripts and tools without a native integration (curl, CI jobs, cron checks):
 *
 *   { "title": "Checkout errors above 5%", "severity": "high", "service": "checkout",
 *     "description"?, "fingerprint"?, "status"?: "firing" | "resolved" (default firing),
 *     "links"?: [{ "title", "url" }], "labels"?: { name: value }, "annotations"?: { name: value },
 *     "startsAt"?: RFC 3339, "endsAt"?: RFC 3339 }
 *
 * Without a fingerprint, the same source, service and title mean the same alert: the fingerprint is
 * `stableHash(["generic", service, title])` of the trimmed, capped values, so a later "resolved" with the
 * same title and service closes it.
 */

const nonBlank = z.string().trim().min(1, "must not be empty");

export const genericAlertSchema = z.object({
  title: nonBlank,
  severity: z.preprocess(
    (value) => (typeof value === "string" ? value.trim().toLowerCase() : value),
    z.enum(ALERT_SEVERITIES),
  ),
  service: nonBlank,
  description: z.string().optional(),
  fingerprint: nonBlank.optional(),
  status: alertStatus.default("firing"),
  links: z
    .array(
      z.object({
        title: z.string(),
        url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
      }),
    )
    .optional(),
  labels: labelMap.optional(),
  annotations: labelMap.optional(),
  startsAt: timestamp.optional(),
  endsAt: timestamp.optional(),
});

export type GenericAlertBody = z.input<typeof genericAlertSchema>;

export const GENERIC_SOURCE = "generic";

export function parseGeneric(body: unknown): ParseResult {
  return parseWith(genericAlertSchema, body, (alert): IncomingAlert[] => {
    const title = clip(alert.title, MAX_TITLE_LENGTH);
    const service = clip(alert.service);
    return [
      {
        source: GENERIC_SOURCE,
        fingerprint: alert.fingerprint
          ? clip(alert.fingerprint)
          : stableHash([GENERIC_SOURCE, service, title]),
        status: alert.status,
        title,
        severity: alert.severity,
        service,
        description: clip(alert.description ?? "", MAX_DESCRIPTION_LENGTH),
        links: links((alert.links ?? []).map((l) => link(l.title, l.url))),
        labels: capLabels(alert.labels ?? []),
        annotations: capLabels(alert.annotations ?? []),
        startsAt: alert.startsAt,
        endsAt: endedAt(alert.status, alert.endsAt),
      },
    ];
  });
}
