import { z } from "zod";

/**
 * REPORT_POSTERS: who may post a report to the report channel with `/incident report` (a preview is open to
 * everyone). People by user ID, user groups by their ID; unset lets anyone post.
 */

export interface ReportPosters {
  userIds: string[];
  groupIds: string[];
}

export const REPORT_POSTERS_HINTS: Record<string, string> = {
  REPORT_POSTERS:
    "User IDs (U…) and user group IDs (S…), comma-separated, who may post a report to REPORT_CHANNEL with /incident report; unset lets anyone post (everyone may still preview one).",
};

const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const GROUP_ID = /^S[A-Z0-9]{2,}$/;

export const reportPostersSchema = z
  .string()
  .optional()
  .transform((text, check): ReportPosters | undefined => {
    const ids = (text ?? "").split(/[\s,]+/).filter(Boolean);
    if (ids.length === 0) return undefined;
    const wrong = ids.find((id) => !USER_ID.test(id) && !GROUP_ID.test(id));
    if (wrong !== undefined) {
      check.addIssue({
        code: "custom",
        message: `lists "${wrong}", which is neither a user ID (U0123ABCD) nor a user group ID (S0123ABCD)`,
      });
      return z.NEVER;
    }
    return {
      userIds: ids.filter((id) => USER_ID.test(id)),
      groupIds: ids.filter((id) => GROUP_ID.test(id)),
    };
  });
