import { parse as parseCron, validateDetailed as validateCron } from "node-cron";
import { z } from "zod";
import { CHANGE_HINTS, changeApproversSchema } from "../changes/settings.ts";
import { DEFAULT_CHANNEL_NAME_TEMPLATE, validateChannelNameTemplate } from "../domain/channel-name.ts";
import type { CronFields } from "../domain/cron.ts";
import { SEVERITIES } from "../domain/incident.ts";
import {
  DEFAULT_POSTMORTEM_DUE_HOURS,
  DEFAULT_POSTMORTEM_REMIND_HOURS,
  DEFAULT_POSTMORTEM_SEVERITIES,
} from "../domain/postmortem.ts";
import { canonicalTimeZone, isTimeZone } from "../domain/time-zone.ts";
import { EMAIL_HINTS, emailEnv } from "../email/settings.ts";
import { MAINTENANCE_ENV, MAINTENANCE_HINTS } from "../maintenance/settings.ts";
import { REPORT_POSTERS_HINTS, reportPostersSchema } from "../reports/settings.ts";
import { RUNBOOK_HINTS, runbookEnv } from "../runbooks/settings.ts";
import { STATUS_PAGE_HINTS, statusPageEnv } from "../status-page/settings.ts";

/**
 * Every environment variable Firebreak reads: its zod schema (defaults, and a message saying what is wrong)
 * and its hint, saying what to set and where an operator finds the value in Slack's app settings. The
 * features' own variables come from their settings modules. src/config.ts turns the parsed values into Config.
 */

export const ENV_HINTS: Record<string, string> = {
  SLACK_BOT_TOKEN: "Slack app settings → OAuth & Permissions → Bot User OAuth Token (starts with xoxb-).",
  SLACK_SIGNING_SECRET: "Slack app settings → Basic Information → App Credentials → Signing Secret.",
  SLACK_APP_TOKEN:
    "Slack app settings → Basic Information → App-Level Tokens, with the connections:write scope (starts with xapp-). Only for Socket Mode.",
  SLACK_API_URL:
    "Leave unset for Slack's default; GovSlack and some Enterprise Grid setups give another base URL.",
  MONGODB_URI: "A MongoDB connection string (mongodb:// or mongodb+srv://); unset runs an embedded database.",
  PORT: "The port the Slack HTTP receiver listens on (0–65535; 0 picks a free one).",
  HEALTH_PORT: "The port for /healthz and /readyz in Socket Mode (0–65535).",
  INCIDENTS_CHANNEL:
    "The channel ID (C…) where incident announcements go: right-click the channel → Copy link.",
  ALERTS_CHANNEL: "The channel ID (C…) where alerts are posted.",
  ONCALL_CHANNEL: "The channel ID (C…) where on-call hand-offs are announced; unset: no announcements.",
  ALERT_ROUTING:
    'JSON by severity and service, e.g. {"severities":{"high":{"declare":"sev2"}},"services":{"search":{"severities":{"critical":{"channel":"C0SEARCH"}}}}}.',
  ESCALATION_POLICY:
    'JSON: {"levels":[{"afterMinutes":0,"targets":["schedule:primary"]},{"afterMinutes":15,"targets":["U0123ABC"]}],"repeat":0}; targets are U… people, S… user groups or schedule:<name>.',
  LOG_LEVEL: "One of fatal, error, warn, info, debug, trace, silent.",
  EMBEDDED_DB: "ferretdb or mongodb-memory-server, to force one embedded database when MONGODB_URI is unset.",
  DATA_DIR: "A folder for the embedded database's files (default .data).",
  INCIDENT_CHANNEL_TEMPLATE:
    "How incident channels are named, with {number} and optionally {slug}, {date}, {severity} (default inc-{number}-{slug}).",
  ARCHIVE_AFTER_MINUTES: "Minutes after resolution to archive the incident channel (default 60), or never.",
  DUPLICATE_WINDOW_MINUTES:
    "How far back (minutes) a new incident is compared with open ones for duplicates (default 120).",
  SEVERITY_POLICY: 'JSON overriding the severity policy, e.g. {"sev3":{"responseMinutes":30}}.',
  INCIDENT_ADMIN_GROUP:
    "A user group ID (S…) allowed to change severity, resolve and reopen; unset lets every incident member do it.",
  ALERT_WEBHOOK_SECRET:
    "A shared secret for every alert webhook (/webhooks/alerts/<source>), sent as Authorization: Bearer <secret> or used to sign the body; generate one with openssl rand -hex 32. Unset: only sources with their own secret are on.",
  ALERT_WEBHOOK_SECRET_GENERIC:
    "The secret for /webhooks/alerts/generic (overrides ALERT_WEBHOOK_SECRET); generate one with openssl rand -hex 32.",
  ALERT_WEBHOOK_SECRET_ALERTMANAGER:
    "The secret for /webhooks/alerts/alertmanager (overrides ALERT_WEBHOOK_SECRET); put it in the webhook_config's http_config.authorization.credentials.",
  ALERT_WEBHOOK_SECRET_GRAFANA:
    "The secret for /webhooks/alerts/grafana (overrides ALERT_WEBHOOK_SECRET); put it in the webhook contact point's Authorization header credentials.",
  REPORT_CHANNEL:
    "The channel ID (C…) where the daily, weekly and monthly reports are posted (the bot must be a member); unset: no scheduled reports.",
  REPORT_TIMEZONE: "The IANA time zone the report schedules are read in, e.g. Europe/London (default UTC).",
  REPORT_CRON:
    'When the daily report goes out: five cron fields, minute hour day-of-month month day-of-week (default "0 9 * * 1-5", 09:00 Monday to Friday), or off.',
  REPORT_WEEKLY_CRON:
    'When the weekly report goes out, as cron fields (default "0 9 * * 1", Mondays 09:00), or off.',
  REPORT_MONTHLY_CRON:
    'When the monthly report goes out, as cron fields (default "0 9 1 * *", the 1st at 09:00), or off.',
  POSTMORTEM_SEVERITIES:
    "The severities whose resolution starts a postmortem, comma-separated (default sev1,sev2), or off (only /incident postmortem starts one).",
  POSTMORTEM_DUE_HOURS: "Hours after resolution a postmortem is due (default 48).",
  POSTMORTEM_REMIND_HOURS: "Hours before a postmortem is due that its owner is reminded (default 24).",
  ...CHANGE_HINTS,
  ...REPORT_POSTERS_HINTS,
  ...MAINTENANCE_HINTS,
  ...RUNBOOK_HINTS,
  ...STATUS_PAGE_HINTS,
  ...EMAIL_HINTS,
};

const emptyToUndefined = (value: unknown) => (value === "" ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());
const port = (fallback: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: "must be a whole number from 0 to 65535" })
      .int("must be a whole number from 0 to 65535")
      .min(0, "must be a whole number from 0 to 65535")
      .max(65535, "must be a whole number from 0 to 65535")
      .default(fallback),
  );
const channelId = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .regex(/^[CG][A-Z0-9]{2,}$/, "must be a channel ID such as C0123456789, not a #name")
    .optional(),
);

/** A report's schedule: the cron text node-cron runs, and its fields for finding the latest occurrence. */
export interface ReportSchedule {
  cron: string;
  fields: CronFields;
}

/** Five cron fields (node-cron checks each), or `off`; parsed into the values each field allows. */
const cronSchedule = (fallback: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .default(fallback)
      .superRefine((text, check) => {
        if (text === "off") return;
        if (text.split(/\s+/).length !== 5) {
          check.addIssue({
            code: "custom",
            message: `must be five cron fields (minute hour day-of-month month day-of-week) or off, not "${text}"`,
          });
          return;
        }
        const detail = validateCron(text);
        if (!detail.valid)
          check.addIssue({
            code: "custom",
            message: `is not a valid cron expression (${detail.errors.map((e) => e.message).join("; ")})`,
          });
      })
      .transform((text): ReportSchedule | null =>
        text === "off" ? null : { cron: text, fields: cronFields(text) },
      ),
  );

function cronFields(text: string): CronFields {
  const parsed = parseCron(text);
  const numbers = (values: (number | string)[]) => values.map(Number);
  return {
    minute: parsed.minute,
    hour: parsed.hour,
    dayOfMonth: numbers(parsed.dayOfMonth),
    month: parsed.month,
    dayOfWeek: numbers(parsed.dayOfWeek),
  };
}

const hours = (fallback: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: "must be a number of hours" })
      .positive("must be more than 0 hours")
      .default(fallback),
  );

/** Long enough not to be guessed; shorter ones are refused rather than silently accepted. */
const webhookSecret = z.preprocess(
  emptyToUndefined,
  z.string().trim().min(16, "must be at least 16 characters long").optional(),
);

export const envSchema = z.object({
  SLACK_BOT_TOKEN: z.string({ error: "is required" }).regex(/^xoxb-/, "must start with xoxb-"),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^xapp-/, "must start with xapp-")
      .optional(),
  ),
  SLACK_API_URL: z.preprocess(
    emptyToUndefined,
    z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
      .transform((url) => (url.endsWith("/") ? url : `${url}/`))
      .optional(),
  ),
  MONGODB_URI: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, "must start with mongodb:// or mongodb+srv://")
      .optional(),
  ),
  PORT: port(3000),
  HEALTH_PORT: port(3001),
  INCIDENTS_CHANNEL: channelId,
  ALERTS_CHANNEL: channelId,
  ONCALL_CHANNEL: channelId,
  ESCALATION_POLICY: optionalString,
  ALERT_ROUTING: optionalString,
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ),
  EMBEDDED_DB: z.preprocess(emptyToUndefined, z.enum(["ferretdb", "mongodb-memory-server"]).optional()),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default(".data")),
  INCIDENT_CHANNEL_TEMPLATE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((t) => validateChannelNameTemplate(t).ok, {
        error: (issue) => {
          const check = validateChannelNameTemplate(String(issue.input));
          return check.ok ? "is invalid" : check.error;
        },
      })
      .default(DEFAULT_CHANNEL_NAME_TEMPLATE),
  ),
  ARCHIVE_AFTER_MINUTES: z.preprocess(
    emptyToUndefined,
    z
      .union([z.literal("never"), z.coerce.number().int().min(0, "must be 0 or more minutes, or never")])
      .default(60),
  ),
  DUPLICATE_WINDOW_MINUTES: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: "must be a whole number of minutes" }).int().min(0).default(120),
  ),
  SEVERITY_POLICY: optionalString,
  INCIDENT_ADMIN_GROUP: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^S[A-Z0-9]{2,}$/, "must be a user group ID such as S0123456789")
      .optional(),
  ),
  ALERT_WEBHOOK_SECRET: webhookSecret,
  ALERT_WEBHOOK_SECRET_GENERIC: webhookSecret,
  ALERT_WEBHOOK_SECRET_ALERTMANAGER: webhookSecret,
  ALERT_WEBHOOK_SECRET_GRAFANA: webhookSecret,
  REPORT_CHANNEL: channelId,
  REPORT_TIMEZONE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .default("UTC")
      .refine(isTimeZone, {
        error: (issue) => `is not a time zone the runtime knows ("${String(issue.input)}")`,
      })
      .transform(canonicalTimeZone),
  ),
  REPORT_CRON: cronSchedule("0 9 * * 1-5"),
  REPORT_WEEKLY_CRON: cronSchedule("0 9 * * 1"),
  REPORT_MONTHLY_CRON: cronSchedule("0 9 1 * *"),
  REPORT_POSTERS: reportPostersSchema,
  POSTMORTEM_SEVERITIES: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .toLowerCase()
      .default(DEFAULT_POSTMORTEM_SEVERITIES.join(","))
      .transform((text) => (text === "off" ? [] : text.split(/\s*,\s*/)))
      .pipe(z.array(z.enum(SEVERITIES, { error: "must list sev1 to sev4, comma-separated, or be off" }))),
  ),
  POSTMORTEM_DUE_HOURS: hours(DEFAULT_POSTMORTEM_DUE_HOURS),
  POSTMORTEM_REMIND_HOURS: hours(DEFAULT_POSTMORTEM_REMIND_HOURS),
  CHANGE_APPROVERS: changeApproversSchema,
  ...MAINTENANCE_ENV,
  ...runbookEnv,
  ...statusPageEnv,
  ...emailEnv,
  NODE_ENV: z.preprocess(
    emptyToUndefined,
    z.enum(["development", "production", "test"]).default("development"),
  ),
});

export type ParsedEnv = z.output<typeof envSchema>;

/** HTTP mode verifies every request with the signing secret; Socket Mode authenticates the socket instead. */
export function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  if (env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET) return [];
  return [
    `SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode). ${ENV_HINTS.SLACK_SIGNING_SECRET}`,
  ];
}
