import { z } from "zod";
import type { PageTarget } from "../domain/alert.ts";
import {
  APPROVAL_MATRIX,
  APPROVER_ROLES,
  type ApproverRole,
  CHANGE_TYPES,
  REQUIRED_ROLES,
} from "../domain/change.ts";
import { parsePageTarget } from "../domain/escalation.ts";

/**
 * The change approvals' settings: CHANGE_APPROVERS maps each role of the approval matrix to people (U…),
 * user groups (S…) or an on-call schedule (schedule:<name>, whoever is on call when asked). Unset, change
 * requests are off (`/change request` says how to turn them on). Set, every role some change type requires
 * must be mapped, or Firebreak does not start: a change nobody may approve would wait forever.
 */

export type ApproverMap = Partial<Record<ApproverRole, PageTarget[]>>;

export interface ChangeSettings {
  /** Undefined: change requests are off. */
  approvers: ApproverMap | undefined;
}

export const CHANGE_HINTS: Record<string, string> = {
  CHANGE_APPROVERS: `JSON mapping each approval role to U… people, S… user groups or schedule:<name>, e.g. {"tech-lead":["U0123ABC"],"product-owner":["S0456DEF"],"on-call-engineer":["schedule:primary"]}. Required roles: ${REQUIRED_ROLES.join(", ")}; optional: ${APPROVER_ROLES.filter((r) => !REQUIRED_ROLES.includes(r)).join(", ")}. Unset: /change request is off.`,
};

const target = z.string().transform((text, ctx) => {
  const parsed = parsePageTarget(text);
  if (!parsed) {
    ctx.addIssue({ code: "custom", message: `"${text}" is not an approver: use U…, S… or schedule:<name>` });
    return z.NEVER;
  }
  return parsed;
});

const approverMapSchema = z
  .record(z.string(), z.array(target).min(1, "must list at least one approver"), {
    error: "must be a JSON object of role → list of approvers",
  })
  .superRefine((map, ctx) => {
    for (const role of Object.keys(map).filter((r) => !APPROVER_ROLES.includes(r as ApproverRole)))
      ctx.addIssue({
        code: "custom",
        message: `names the unknown role "${role}"; the roles are ${APPROVER_ROLES.join(", ")}`,
      });
  });

/** Which change types need a role, for the start-up error naming what is missing. */
const typesNeeding = (role: ApproverRole) =>
  CHANGE_TYPES.filter((type) => APPROVAL_MATRIX[type].required.includes(role)).join(", ");

/** CHANGE_APPROVERS as the environment holds it: unset or empty leaves change requests off. */
export const changeApproversSchema = z
  .preprocess((value) => (value === "" ? undefined : value), z.string().trim().optional())
  .transform((json, ctx): ApproverMap | undefined => {
    if (json === undefined) return undefined;
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch {
      ctx.addIssue({ code: "custom", message: "is not valid JSON" });
      return z.NEVER;
    }
    const parsed = approverMapSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const where = issue.path.length > 0 ? ` (${issue.path.join(".")})` : "";
        ctx.addIssue({ code: "custom", message: `${issue.message}${where}` });
      }
      return z.NEVER;
    }
    const map = parsed.data as ApproverMap;
    for (const role of REQUIRED_ROLES.filter((r) => !map[r]))
      ctx.addIssue({
        code: "custom",
        message: `has no approvers for the role ${role}, which ${typesNeeding(role)} changes require`,
      });
    return map;
  });
