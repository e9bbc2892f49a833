import { z } from "zod";
import { emailAddress } from "../domain/email.ts";
import { type ReportPosters, reportPostersSchema } from "../reports/settings.ts";

/**
 * E-mail to stakeholders (`SMTP_URL`, `EMAIL_FROM`, `EMAIL_SUBSCRIBERS`, `EMAIL_EDITORS`): the config reads
 * them with these.
 */

const emptyToUndefined = (value: unknown) => (value === "" ? undefined : value);

export const EMAIL_HINTS: Record<string, string> = {
  SMTP_URL:
    "The SMTP server e-mails go through, e.g. smtps://user:password@smtp.example.com:465; unset: no e-mail is sent.",
  EMAIL_FROM: 'The sender of stakeholder e-mails, e.g. "Acme status <status@example.com>".',
  EMAIL_SUBSCRIBERS:
    "E-mail addresses that receive every public incident, comma-separated (e.g. ops@example.com, cto@example.com).",
  EMAIL_EDITORS:
    "User IDs (U…) and user group IDs (S…), comma-separated, who may change the e-mail lists with /incident subscribers add|remove; the commander of an open incident always may.",
};

export const emailEnv = {
  SMTP_URL: z.preprocess(
    emptyToUndefined,
    z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// address" }).optional(),
  ),
  EMAIL_FROM: z.preprocess(
    emptyToUndefined,
    z.string().trim().min(3).max(200).default("firebreak@localhost"),
  ),
  EMAIL_SUBSCRIBERS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default("")
      .transform((text) =>
        text
          .split(",")
          .map((address) => address.trim())
          .filter(Boolean),
      )
      .pipe(z.array(emailAddress))
      .transform((addresses) => [...new Set(addresses)]),
  ),
  // The same list of people and user groups as REPORT_POSTERS.
  EMAIL_EDITORS: reportPostersSchema,
};

export interface EmailSettings {
  /** Unset: e-mail is off and nothing is queued. */
  smtpUrl: string | undefined;
  from: string;
  /** Receive every public incident, whatever its services. */
  defaultSubscribers: string[];
  /** Besides open incidents' commanders, who may change the lists; unset: only those commanders. */
  editors: ReportPosters | undefined;
}

export function emailSettings(env: {
  SMTP_URL?: string | undefined;
  EMAIL_FROM: string;
  EMAIL_SUBSCRIBERS: string[];
  EMAIL_EDITORS: ReportPosters | undefined;
}): EmailSettings {
  return {
    smtpUrl: env.SMTP_URL,
    from: env.EMAIL_FROM,
    defaultSubscribers: env.EMAIL_SUBSCRIBERS,
    editors: env.EMAIL_EDITORS,
  };
}
