import { createIncident, type NewIncident, updateIncident } from "../../src/store/incidents.ts";
import type { Models } from "../../src/store/store.ts";
import { alice } from "./incident-e2e.ts";
import { TEAM } from "./slack-driver.ts";

export const MIN = 60_000;

/** An incident declared, acknowledged and resolved at the given times, by the store's write paths. */
export async function seedIncident(
  models: Models,
  key: string,
  input: Pick<NewIncident, "severity" | "title" | "declaredAt">,
  times: { ackAfter?: number; resolveAfter?: number },
) {
  const { incident } = await createIncident(models, {
    workspaceId: TEAM.id,
    declareKey: key,
    description: "",
    affectedServices: ["checkout"],
    roles: { commander: alice.id },
    reporterId: alice.id,
    isPrivate: false,
    ...input,
  });
  const declared = input.declaredAt.getTime();
  if (times.ackAfter !== undefined)
    await updateIncident(models, incident.id, {
      acknowledgedAt: new Date(declared + times.ackAfter * MIN),
      acknowledgedBy: alice.id,
    });
  if (times.resolveAfter !== undefined)
    await updateIncident(models, incident.id, {
      status: "resolved",
      resolvedAt: new Date(declared + times.resolveAfter * MIN),
    });
  return incident;
}
