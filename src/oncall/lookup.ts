import type { OnCallLookup } from "../context.ts";
import { onCallAt, scheduleNameKey } from "../domain/schedule.ts";
import { listAllSchedules } from "../store/schedules.ts";
import type { Models } from "../store/store.ts";

/**
 * Escalation policies name on-call schedules ("schedule:primary"); alerts belong to no workspace, and Firebreak
 * serves one, so the name is looked up across the (few) schedules there are.
 */
export function onCallLookup(models: Models): OnCallLookup {
  return async (name, at) => {
    const wanted = scheduleNameKey(name);
    const schedule = (await listAllSchedules(models)).find((s) => scheduleNameKey(s.name) === wanted);
    return schedule ? onCallAt(schedule, at).userId : undefined;
  };
}
