import type { ChangeSettings } from "./changes/settings.ts";
import {
  crossFieldProblems,
  ENV_HINTS,
  envSchema,
  type ParsedEnv,
  type ReportSchedule,
} from "./config/env-schema.ts";
import type { EscalationPolicy } from "./domain/alert.ts";
import { type AlertRouting, parseAlertRouting } from "./domain/alert-routing.ts";
import type { AlertSourceName } from "./domain/alert-sources/index.ts";
import { parseEscalationPolicy } from "./domain/escalation.ts";
import type { Severity } from "./domain/incident.ts";
import type { ReportKind } from "./domain/report.ts";
import { parseSeverityOverrides, type SeverityPolicyTable } from "./domain/severity.ts";
import { type EmailSettings, emailSettings } from "./email/settings.ts";
import { type MaintenanceSettings, maintenanceSettings } from "./maintenance/settings.ts";
import type { ReportPosters } from "./reports/settings.ts";
import { type RunbookSettings, runbookSettings } from "./runbooks/settings.ts";
import { type StatusPageSettings, statusPageSettings } from "./status-page/settings.ts";

/**
 * The whole process environment, parsed once at start-up into Config (the variables, their schema and hints
 * are in src/config/env-schema.ts). Every problem is reported at once, each with its hint.
 */

/** The variable holding each alert source's own secret; every source must have one. */
const WEBHOOK_SECRET_VARIABLES = {
  generic: "ALERT_WEBHOOK_SECRET_GENERIC",
  alertmanager: "ALERT_WEBHOOK_SECRET_ALERTMANAGER",
  grafana: "ALERT_WEBHOOK_SECRET_GRAFANA",
} as const satisfies Record<AlertSourceName, string>;

/** Each source's own secret, else the shared one; a source left without a secret is disabled (absent). */
function webhookSecrets(env: ParsedEnv): Partial<Record<AlertSourceName, string>> {
  const secrets: Partial<Record<AlertSourceName, string>> = {};
  for (const source of Object.keys(WEBHOOK_SECRET_VARIABLES) as AlertSourceName[]) {
    const secret = env[WEBHOOK_SECRET_VARIABLES[source]] ?? env.ALERT_WEBHOOK_SECRET;
    if (secret) secrets[source] = secret;
  }
  return secrets;
}

export interface Config {
  slack: {
    botToken: string;
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string | undefined;
  };
  mongodbUri: string | undefined;
  embeddedDb: "ferretdb" | "mongodb-memory-server" | undefined;
  dataDir: string;
  incidents: {
    channelNameTemplate: string;
    /** Null: never archive. */
    archiveAfterMinutes: number | null;
    duplicateWindowMinutes: number;
    severityPolicy: SeverityPolicyTable;
    adminGroupId: string | undefined;
  };
  port: number;
  healthPort: number;
  channels: {
    incidents: string | undefined;
    alerts: string | undefined;
    oncall: string | undefined;
  };
  alerts: {
    /** Per alert source, the secret its webhook checks; absent means that source's webhook is off. */
    webhookSecrets: Partial<Record<AlertSourceName, string>>;
    escalationPolicy: EscalationPolicy;
    routing: AlertRouting;
  };
  reports: {
    /** Unset: reports are only previewed on request, never scheduled. */
    channel: string | undefined;
    timeZone: string;
    /** Null: that report is off. */
    schedules: Record<ReportKind, ReportSchedule | null>;
    /** Who may post a report on request; undefined: anyone. */
    posters: ReportPosters | undefined;
  };
  postmortems: {
    /** Resolving an incident of these severities starts its postmortem. */
    severities: Severity[];
    dueHours: number;
    remindBeforeHours: number;
  };
  changes: ChangeSettings;
  maintenance: MaintenanceSettings;
  /** The known service names; empty: any name is accepted. */
  services: string[];
  runbooks: RunbookSettings;
  statusPage: StatusPageSettings;
  email: EmailSettings;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  nodeEnv: "development" | "production" | "test";
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  const parsed = envSchema.safeParse(env);
  const problems = [
    ...(parsed.error?.issues ?? []).map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      const message =
        issue.code === "invalid_type" && env[name] === undefined ? "is required" : issue.message;
      const hint = ENV_HINTS[name];
      return hint ? `${name} ${message}. ${hint}` : `${name} ${message}.`;
    }),
    ...crossFieldProblems(env),
  ];
  const policy = parseSeverityOverrides(env.SEVERITY_POLICY);
  if (!policy.ok)
    problems.push(...policy.problems.map((p) => `SEVERITY_POLICY ${p}. ${ENV_HINTS.SEVERITY_POLICY}`));
  const escalation = parseEscalationPolicy(env.ESCALATION_POLICY);
  if (!escalation.ok)
    problems.push(
      ...escalation.problems.map((p) => `ESCALATION_POLICY ${p}. ${ENV_HINTS.ESCALATION_POLICY}`),
    );
  const routing = parseAlertRouting(env.ALERT_ROUTING);
  if (!routing.ok)
    problems.push(...routing.problems.map((p) => `ALERT_ROUTING ${p}. ${ENV_HINTS.ALERT_ROUTING}`));
  if (!parsed.success || !policy.ok || !escalation.ok || !routing.ok || problems.length > 0)
    return { ok: false, problems };
  const e = parsed.data;
  const severityPolicy = policy.value;
  return {
    ok: true,
    config: {
      slack: {
        botToken: e.SLACK_BOT_TOKEN,
        signingSecret: e.SLACK_SIGNING_SECRET,
        appToken: e.SLACK_APP_TOKEN,
        apiUrl: e.SLACK_API_URL,
      },
      mongodbUri: e.MONGODB_URI,
      embeddedDb: e.EMBEDDED_DB,
      dataDir: e.DATA_DIR,
      incidents: {
        channelNameTemplate: e.INCIDENT_CHANNEL_TEMPLATE,
        archiveAfterMinutes: e.ARCHIVE_AFTER_MINUTES === "never" ? null : e.ARCHIVE_AFTER_MINUTES,
        duplicateWindowMinutes: e.DUPLICATE_WINDOW_MINUTES,
        severityPolicy,
        adminGroupId: e.INCIDENT_ADMIN_GROUP,
      },
      port: e.PORT,
      healthPort: e.HEALTH_PORT,
      channels: {
        incidents: e.INCIDENTS_CHANNEL,
        alerts: e.ALERTS_CHANNEL,
        oncall: e.ONCALL_CHANNEL,
      },
      alerts: {
        webhookSecrets: webhookSecrets(e),
        escalationPolicy: escalation.value,
        routing: routing.value,
      },
      reports: {
        channel: e.REPORT_CHANNEL,
        timeZone: e.REPORT_TIMEZONE,
        schedules: { daily: e.REPORT_CRON, weekly: e.REPORT_WEEKLY_CRON, monthly: e.REPORT_MONTHLY_CRON },
        posters: e.REPORT_POSTERS,
      },
      postmortems: {
        severities: e.POSTMORTEM_SEVERITIES,
        dueHours: e.POSTMORTEM_DUE_HOURS,
        remindBeforeHours: e.POSTMORTEM_REMIND_HOURS,
      },
      changes: { approvers: e.CHANGE_APPROVERS },
      maintenance: maintenanceSettings(e, e.INCIDENTS_CHANNEL),
      services: e.SERVICES,
      runbooks: runbookSettings(e),
      statusPage: statusPageSettings(e),
      email: emailSettings(e),
      logLevel: e.LOG_LEVEL,
      nodeEnv: e.NODE_ENV,
    },
  };
}

/** Names every variable the config reads, so `.env.example` and the README table can be checked against it. */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape);
