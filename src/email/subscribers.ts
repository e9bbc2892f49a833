import type { AppContext } from "../context.ts";
import { lookupService } from "../domain/services.ts";
import { addSubscriber, allSubscribers, removeSubscriber } from "../store/email.ts";

/** Who is e-mailed about public incidents, per service, as `/incident subscribers` changes and lists it. */

export type SubscriptionChange =
  | { ok: true; changed: string[]; unchanged: string[] }
  | { ok: false; unknownService: string; suggestions: string[] };

/** Subscribes or unsubscribes an address for each service (catalog names when SERVICES is set). */
export async function changeSubscription(
  ctx: AppContext,
  action: "add" | "remove",
  address: string,
  typedServices: readonly string[],
): Promise<SubscriptionChange> {
  const services: string[] = [];
  for (const typed of typedServices) {
    const found = lookupService(ctx.config.services, typed);
    if (!found.ok) return { ok: false, unknownService: typed, suggestions: found.suggestions };
    services.push(found.name);
  }
  const change = action === "add" ? addSubscriber : removeSubscriber;
  const changed: string[] = [];
  const unchanged: string[] = [];
  for (const service of services)
    ((await change(ctx.store.models, service, address)) ? changed : unchanged).push(service);
  return { ok: true, changed, unchanged };
}

export interface SubscriberList {
  /** EMAIL_SUBSCRIBERS: every public incident. */
  defaults: string[];
  services: { service: string; addresses: string[] }[];
  /** False while SMTP_URL is unset: nothing is sent. */
  sending: boolean;
}

export async function listSubscriptions(ctx: AppContext): Promise<SubscriberList> {
  const lists = await allSubscribers(ctx.store.models);
  return {
    defaults: ctx.config.email.defaultSubscribers,
    services: lists.map((list) => ({ service: list._id, addresses: list.addresses })),
    sending: ctx.config.email.smtpUrl !== undefined,
  };
}
