import type { SeverityPolicy } from "./severity.ts";

/** When the next status update is due after `from`, by the severity's cadence; undefined when none is. */
export function nextUpdateDue(
  policy: Pick<SeverityPolicy, "updateCadenceMinutes">,
  from: Date,
): Date | undefined {
  if (policy.updateCadenceMinutes === null) return undefined;
  return new Date(from.getTime() + policy.updateCadenceMinutes * 60_000);
}
