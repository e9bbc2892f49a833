import { describe, expect, it } from "vitest";
import type { AppContext } from "../../src/context.ts";
import { addressOfToken, linkToken, unsubscribeUrl } from "../../src/email/links.ts";

const ctxWith = (signingSecret: string, url?: string) =>
  ({
    config: { slack: { signingSecret, botToken: "xoxb-test" }, statusPage: { url } },
  }) as unknown as Pick<AppContext, "config">;

describe("signed e-mail links", () => {
  const ctx = ctxWith("secret-one", "https://status.example.com/status");

  it("reads back the address it signed, for the purpose it was signed for only", () => {
    const token = linkToken(ctx, "unsubscribe", "ops@example.com");
    expect(addressOfToken(ctx, "unsubscribe", token)).toBe("ops@example.com");
    expect(addressOfToken(ctx, "subscribe", token)).toBeUndefined();
  });

  it("refuses tokens signed with another secret, altered, or cut short", () => {
    const token = linkToken(ctx, "subscribe", "ops@example.com");
    expect(addressOfToken(ctxWith("secret-two"), "subscribe", token)).toBeUndefined();
    const [, signature] = token.split(".");
    const other = `${Buffer.from("cto@example.com").toString("base64url")}.${signature}`;
    expect(addressOfToken(ctx, "subscribe", other)).toBeUndefined();
    expect(addressOfToken(ctx, "subscribe", token.slice(0, -3))).toBeUndefined();
    expect(addressOfToken(ctx, "subscribe", "")).toBeUndefined();
  });

  it("puts the unsubscribe link under the status page's address, and none without one", () => {
    expect(unsubscribeUrl(ctx, "ops@example.com")).toMatch(
      /^https:\/\/status\.example\.com\/status\/unsubscribe\?token=[\w-]+\.[\w-]+$/,
    );
    expect(unsubscribeUrl(ctxWith("secret-one"), "ops@example.com")).toBeUndefined();
  });
});
