import { createHmac, timingSafeEqual } from "node:crypto";
import type { AppContext } from "../context.ts";
import { ALL_SERVICES, confirmationEmail } from "../domain/email.ts";
import { addSubscriber, optOut, queueEmail } from "../store/email.ts";

/**
 * Signed e-mail links (confirm a subscription, unsubscribe): the token names the address and carries an HMAC
 * of it and the link's purpose, so only a link Firebreak sent can subscribe or unsubscribe anyone. The key is derived from a secret the bot already has (Slack's signing
 * secret, or its token in Socket Mode), labelled so it signs nothing else.
 */

function keyOf(ctx: Pick<AppContext, "config">): Buffer {
  const { signingSecret, botToken } = ctx.config.slack;
  return createHmac("sha256", signingSecret ?? botToken)
    .update("firebreak e-mail links")
    .digest();
}

export type LinkPurpose = "subscribe" | "unsubscribe";

const mac = (ctx: Pick<AppContext, "config">, purpose: LinkPurpose, address: string) =>
  createHmac("sha256", keyOf(ctx)).update(`${purpose}:${address}`).digest().subarray(0, 16);

export function linkToken(ctx: Pick<AppContext, "config">, purpose: LinkPurpose, address: string): string {
  return `${Buffer.from(address).toString("base64url")}.${mac(ctx, purpose, address).toString("base64url")}`;
}

/** The address a token names, or undefined for a token Firebreak did not sign for this purpose. */
export function addressOfToken(
  ctx: Pick<AppContext, "config">,
  purpose: LinkPurpose,
  token: string,
): string | undefined {
  const [encoded = "", signature = ""] = token.split(".");
  const address = Buffer.from(encoded, "base64url").toString();
  const given = Buffer.from(signature, "base64url");
  const expected = mac(ctx, purpose, address);
  if (address === "" || given.length !== expected.length || !timingSafeEqual(given, expected))
    return undefined;
  return address;
}

/** The one-click unsubscribe link, under the status page's public address; none while that is unset. */
export function unsubscribeUrl(ctx: Pick<AppContext, "config">, address: string): string | undefined {
  const base = ctx.config.statusPage.url;
  if (!base) return undefined;
  return `${base}/unsubscribe?token=${linkToken(ctx, "unsubscribe", address)}`;
}

/** Unsubscribes the address a signed token names from every e-mail; undefined for a token not ours. */
export async function unsubscribeByToken(
  ctx: Pick<AppContext, "config" | "store" | "clock">,
  token: string,
): Promise<string | undefined> {
  const address = addressOfToken(ctx, "unsubscribe", token);
  if (address) await optOut(ctx.store.models, address, ctx.clock.now());
  return address;
}

/** Subscribes the address a signed confirmation token names to every service; undefined for a token not ours. */
export async function confirmByToken(
  ctx: Pick<AppContext, "config" | "store">,
  token: string,
): Promise<string | undefined> {
  const address = addressOfToken(ctx, "subscribe", token);
  if (address) await addSubscriber(ctx.store.models, ALL_SERVICES, address);
  return address;
}

/**
 * A reader asked on the status page: queues the confirmation e-mail (double opt-in), at most one per
 * address per hour so the form cannot be used to flood someone's inbox. Off while SMTP_URL is unset.
 */
export async function requestSubscription(
  ctx: Pick<AppContext, "config" | "store" | "clock">,
  address: string,
  pageUrl: string,
): Promise<void> {
  if (!ctx.config.email.smtpUrl) return;
  const now = ctx.clock.now();
  const confirmUrl = `${pageUrl}/subscribe/confirm?token=${linkToken(ctx, "subscribe", address)}`;
  await queueEmail(ctx.store.models, {
    _id: `subscribe:${address}:${now.toISOString().slice(0, 13)}`,
    to: address,
    ...confirmationEmail(ctx.config.statusPage.title, confirmUrl),
    dueAt: now,
    attempts: 0,
  });
}
