import type { EscalationPolicy, IncomingAlert } from "../../src/domain/alert.ts";
import type { AlertDoc } from "../../src/store/alerts.ts";
import type { NewIncident } from "../../src/store/incidents.ts";

/** Store-level inputs shaped as the flows send them, for the store's own tests. */

export const T0 = new Date("2024-05-01T12:00:00.000Z");
export const minutesAfter = (n: number) => new Date(T0.getTime() + n * 60_000);

export const POLICY: EscalationPolicy = {
  id: "default",
  name: "Default",
  levels: [
    { afterMinutes: 0, targets: [{ kind: "user", userId: "U1" }] },
    { afterMinutes: 15, targets: [{ kind: "user", userId: "U2" }] },
  ],
  repeat: 0,
  repeatAfterMinutes: 0,
};

export function firing(fingerprint: string, status: IncomingAlert["status"] = "firing"): IncomingAlert {
  return {
    source: "generic",
    fingerprint,
    status,
    title: `Alert ${fingerprint}`,
    severity: "critical",
    service: "checkout",
    description: "",
    links: [],
    labels: [],
    annotations: [],
  };
}

/** An open alert as another process (or an earlier version) stored it, first fired at T0. */
export function storedAlert(fingerprint: string, title: string): AlertDoc {
  return {
    source: "generic",
    fingerprint,
    state: "open",
    title,
    severity: "high",
    service: "checkout",
    description: "",
    links: [],
    labels: [],
    annotations: [],
    firstFiredAt: T0,
    lastFiredAt: T0,
    fireCount: 1,
    paging: false,
    policy: POLICY,
    nextStep: 0,
    fired: [],
  };
}

let declared = 0;
export function newIncident(workspaceId: string, overrides: Partial<NewIncident> = {}): NewIncident {
  declared += 1;
  return {
    workspaceId,
    declareKey: `fixture-${declared}`,
    title: `Checkout is down ${declared}`,
    description: "",
    severity: "sev2",
    affectedServices: ["checkout"],
    roles: { commander: "U1" },
    reporterId: "U1",
    isPrivate: false,
    declaredAt: T0,
    ...overrides,
  };
}
