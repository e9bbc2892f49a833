import { z } from "zod";
import { type MaintenancePolicyTable, parseMaintenancePolicy } from "../domain/maintenance.ts";
import { parseServiceList } from "../domain/services.ts";

/** The maintenance windows' settings: their piece of the environment schema, hints and parsed section. */

export const MAINTENANCE_HINTS: Record<string, string> = {
  MAINT_TYPES:
    'JSON overriding the maintenance types\' policy, e.g. {"security":{"noticeHours":48,"approvalRequired":true,"preferredWindow":"weekend"}}; preferredWindow is weekend, off-peak, business-hours or any.',
  MAINT_APPROVERS:
    "Who approves maintenance windows: comma-separated user IDs (U…) and user group IDs (S…); unset: a type that needs approval cannot be scheduled.",
  MAINT_CHANNEL:
    "The channel ID (C…) where maintenance windows are announced (the bot must be a member); default INCIDENTS_CHANNEL.",
  MAINT_REMIND_MINUTES:
    "Minutes before a window starts that it is announced again (default 60; 0: no reminder).",
  SERVICES:
    "The known service names, comma-separated, e.g. checkout,payments-api; unset: any service name is accepted.",
};

const emptyToUndefined = (value: unknown) => (value === "" ? undefined : value);

export const MAINTENANCE_ENV = {
  MAINT_TYPES: z.preprocess(emptyToUndefined, z.string().optional()).transform((json, check) => {
    const parsed = parseMaintenancePolicy(json);
    if (parsed.ok) return parsed.value;
    for (const problem of parsed.problems) check.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  }),
  MAINT_APPROVERS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default("")
      .transform((text) =>
        text
          .split(",")
          .map((id) => id.trim())
          .filter((id) => id !== ""),
      )
      .pipe(
        z.array(z.string().regex(/^[US][A-Z0-9]{2,}$/, "must list user IDs (U…) and user group IDs (S…)")),
      ),
  ),
  MAINT_CHANNEL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[CG][A-Z0-9]{2,}$/, "must be a channel ID such as C0123456789, not a #name")
      .optional(),
  ),
  MAINT_REMIND_MINUTES: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: "must be a whole number of minutes" }).int().min(0).default(60),
  ),
  SERVICES: z.preprocess(emptyToUndefined, z.string().optional()).transform(parseServiceList),
};

export interface MaintenanceSettings {
  types: MaintenancePolicyTable;
  approvers: { users: string[]; groups: string[] };
  /** Unset when neither MAINT_CHANNEL nor INCIDENTS_CHANNEL is: windows are then not announced. */
  channel: string | undefined;
  remindBeforeMinutes: number;
}

type MaintenanceEnv = z.output<z.ZodObject<typeof MAINTENANCE_ENV>>;

export function maintenanceSettings(
  env: MaintenanceEnv,
  incidentsChannel: string | undefined,
): MaintenanceSettings {
  return {
    types: env.MAINT_TYPES,
    approvers: {
      users: env.MAINT_APPROVERS.filter((id) => id.startsWith("U")),
      groups: env.MAINT_APPROVERS.filter((id) => id.startsWith("S")),
    },
    channel: env.MAINT_CHANNEL ?? incidentsChannel,
    remindBeforeMinutes: env.MAINT_REMIND_MINUTES,
  };
}
