import { createHmac, timingSafeEqual } from "node:crypto";
import type { AppContext } from "../context.ts";
import { optOut } from "../store/email.ts";

/**
 * Signed unsubscribe links: the token names the address and carries an HMAC of it, so only a link Firebreak
 * sent can unsubscribe anyone. The key is derived from a secret the bot already has (Slack's signing
 * secret, or its token in Socket Mode), labelled so it signs nothing else.
 */

function keyOf(ctx: Pick<AppContext, "config">): Buffer {
  const { signingSecret, botToken } = ctx.config.slack;
  return createHmac("sha256", signingSecret ?? botToken)
    .update("firebreak e-mail links")
    .digest();
}

const mac = (ctx: Pick<AppContext, "config">, address: string) =>
  createHmac("sha256", keyOf(ctx)).update(`unsubscribe:${address}`).digest().subarray(0, 16);

export function unsubscribeToken(ctx: Pick<AppContext, "config">, address: string): string {
  return `${Buffer.from(address).toString("base64url")}.${mac(ctx, address).toString("base64url")}`;
}

/** The address a token unsubscribes, or undefined for a token Firebreak did not sign. */
export function addressOfToken(ctx: Pick<AppContext, "config">, token: string): string | undefined {
  const [encoded = "", signature = ""] = token.split(".");
  const address = Buffer.from(encoded, "base64url").toString();
  const given = Buffer.from(signature, "base64url");
  const expected = mac(ctx, address);
  if (address === "" || given.length !== expected.length || !timingSafeEqual(given, expected))
    return undefined;
  return address;
}

/** The one-click unsubscribe link, under the status page's public address; none while that is unset. */
export function unsubscribeUrl(ctx: Pick<AppContext, "config">, address: string): string | undefined {
  const base = ctx.config.statusPage.url;
  if (!base) return undefined;
  return `${base}/unsubscribe?token=${unsubscribeToken(ctx, address)}`;
}

/** Unsubscribes the address a signed token names from every e-mail; undefined for a token not ours. */
export async function unsubscribeByToken(
  ctx: Pick<AppContext, "config" | "store" | "clock">,
  token: string,
): Promise<string | undefined> {
  const address = addressOfToken(ctx, token);
  if (address) await optOut(ctx.store.models, address, ctx.clock.now());
  return address;
}
