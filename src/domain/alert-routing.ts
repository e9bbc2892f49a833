import { z } from "zod";
import { ALERT_SEVERITIES, type AlertSeverity, type EscalationPolicy } from "./alert.ts";
import { escalationPolicySchema } from "./escalation.ts";
import { SEVERITIES, type Severity } from "./incident.ts";

/**
 * Where an alert goes and what it sets off, by severity, optionally per service. The seeds' routing
 * (seed 001, "Alert Response Procedures"): every alert is posted; critical and high page the on-call
 * rotation; a critical alert also declares an incident ("Create incident if critical").
 */
export interface Route {
  /** Channel ID to post in; unset: ALERTS_CHANNEL. */
  channel?: string;
  page: boolean;
  /** Declare an incident of this severity when the alert first fires; unset: do not. */
  declare?: Severity;
  policy: EscalationPolicy;
}

const ruleSchema = z
  .object({
    channel: z.string().regex(/^[CG][A-Z0-9]{2,}$/, "must be a channel ID such as C0123456789"),
    page: z.boolean(),
    declare: z.union([z.enum(SEVERITIES), z.literal(false)]),
  })
  .partial()
  .strict();
type Rule = z.infer<typeof ruleSchema>;

const severityRulesSchema = z.partialRecord(z.enum(ALERT_SEVERITIES), ruleSchema);

const routingSchema = z
  .object({
    severities: severityRulesSchema.optional(),
    services: z
      .record(
        z.string().min(1),
        z
          .object({ policy: escalationPolicySchema.optional(), severities: severityRulesSchema.optional() })
          .strict(),
      )
      .optional(),
  })
  .strict();

export interface AlertRouting {
  severities: Partial<Record<AlertSeverity, Rule>>;
  services: Record<string, { policy?: EscalationPolicy; severities?: Partial<Record<AlertSeverity, Rule>> }>;
}

export const SEED_ROUTING: Readonly<Record<AlertSeverity, Required<Omit<Rule, "channel">>>> = {
  critical: { page: true, declare: "sev1" },
  high: { page: true, declare: false },
  medium: { page: false, declare: false },
  low: { page: false, declare: false },
};

export type RoutingResult = { ok: true; value: AlertRouting } | { ok: false; problems: string[] };

/** ALERT_ROUTING, e.g. `{"severities":{"high":{"declare":"sev2"}},"services":{"search":{"severities":{"critical":{"page":false}}}}}`. */
export function parseAlertRouting(json: string | undefined): RoutingResult {
  if (json === undefined || json.trim() === "") return { ok: true, value: { severities: {}, services: {} } };
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    return { ok: false, problems: [`not valid JSON (${(error as Error).message})`] };
  }
  const parsed = routingSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${i.path.join(".") || "(top level)"}: ${i.message}`),
    };
  }
  const services = Object.fromEntries(
    Object.entries(parsed.data.services ?? {}).map(([name, service]) => [
      serviceKey(name),
      {
        severities: service.severities,
        policy: service.policy && { id: `service:${serviceKey(name)}`, ...service.policy },
      },
    ]),
  );
  return { ok: true, value: { severities: parsed.data.severities ?? {}, services } };
}

const serviceKey = (service: string) => service.trim().toLowerCase();

/** The route of one alert: the seeds' defaults, then the severity's rule, then the service's. */
export function routeAlert(
  routing: AlertRouting,
  alert: { severity: AlertSeverity; service: string },
  defaultPolicy: EscalationPolicy,
): Route {
  const service = routing.services[serviceKey(alert.service)];
  const rule: Rule = {
    ...SEED_ROUTING[alert.severity],
    ...routing.severities[alert.severity],
    ...service?.severities?.[alert.severity],
  };
  return {
    ...(rule.channel && { channel: rule.channel }),
    page: rule.page ?? false,
    ...(rule.declare && { declare: rule.declare }),
    policy: service?.policy ?? defaultPolicy,
  };
}
