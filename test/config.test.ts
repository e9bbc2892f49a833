import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.ts";

const valid = { SLACK_BOT_TOKEN: "xoxb-123", SLACK_SIGNING_SECRET: "secret" };

describe("parseConfig", () => {
  it("names every missing variable at once, each with where to find it", () => {
    const result = parseConfig({});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(2);
    expect(result.problems[0]).toMatch(/^SLACK_BOT_TOKEN is required\. .*OAuth & Permissions/);
    expect(result.problems[1]).toMatch(/^SLACK_SIGNING_SECRET is required in HTTP mode.*Signing Secret/);
  });

  it.each([
    ["SLACK_BOT_TOKEN", "xoxp-user-token", /SLACK_BOT_TOKEN must start with xoxb-/],
    ["SLACK_APP_TOKEN", "xoxb-wrong-kind", /SLACK_APP_TOKEN must start with xapp-/],
    ["PORT", "http", /PORT must be a whole number from 0 to 65535/],
    ["PORT", "70000", /PORT must be a whole number from 0 to 65535/],
    ["INCIDENTS_CHANNEL", "#incidents", /INCIDENTS_CHANNEL must be a channel ID/],
    ["MONGODB_URI", "postgres://x", /MONGODB_URI must start with mongodb:\/\//],
    ["SLACK_API_URL", "not a url", /SLACK_API_URL must be an http\(s\) URL/],
    ["LOG_LEVEL", "loud", /LOG_LEVEL/],
    ["EMBEDDED_DB", "sqlite", /EMBEDDED_DB/],
    [
      "ALERT_WEBHOOK_SECRET",
      "short",
      /ALERT_WEBHOOK_SECRET must be at least 16 characters long\. .*openssl rand/,
    ],
    ["ALERT_WEBHOOK_SECRET_GRAFANA", "123456789012345", /ALERT_WEBHOOK_SECRET_GRAFANA must be at least 16/],
  ])("rejects %s=%s with a reason", (name, value, reason) => {
    const result = parseConfig({ ...valid, [name]: value });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join("\n")).toMatch(reason);
  });

  it("fills defaults and shapes the config", () => {
    const result = parseConfig({
      ...valid,
      SLACK_API_URL: "http://127.0.0.1:9999/api",
      INCIDENTS_CHANNEL: "C0123ABC",
    });
    expect(result).toEqual({
      ok: true,
      config: expect.objectContaining({
        slack: {
          botToken: "xoxb-123",
          signingSecret: "secret",
          appToken: undefined,
          apiUrl: "http://127.0.0.1:9999/api/",
        },
        port: 3000,
        healthPort: 3001,
        mongodbUri: undefined,
        channels: { incidents: "C0123ABC", alerts: undefined },
        logLevel: "info",
        dataDir: ".data",
      }),
    });
  });

  it("needs no signing secret in Socket Mode", () => {
    const result = parseConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" });
    expect(result.ok).toBe(true);
  });

  it("treats empty values as unset, as .env files often leave them", () => {
    const result = parseConfig({ ...valid, MONGODB_URI: "", PORT: "" });
    expect(result.ok && result.config.mongodbUri).toBeUndefined();
    expect(result.ok && result.config.port).toBe(3000);
  });

  describe("alert webhook secrets", () => {
    const shared = "shared-secret-0123456789";
    const grafana = "grafana-secret-0123456789";
    const secretsFor = (env: Record<string, string>) => {
      const result = parseConfig({ ...valid, ...env });
      if (!result.ok) throw new Error(result.problems.join("\n"));
      return result.config.alerts.webhookSecrets;
    };

    it("leaves every source disabled when no secret is set", () => {
      expect(secretsFor({})).toEqual({});
    });

    it("gives the shared secret to every source", () => {
      expect(secretsFor({ ALERT_WEBHOOK_SECRET: shared })).toEqual({
        generic: shared,
        alertmanager: shared,
        grafana: shared,
      });
    });

    it("lets a source's own secret override the shared one", () => {
      expect(secretsFor({ ALERT_WEBHOOK_SECRET: shared, ALERT_WEBHOOK_SECRET_GRAFANA: grafana })).toEqual({
        generic: shared,
        alertmanager: shared,
        grafana,
      });
    });

    it("enables only the sources with their own secret when there is no shared one", () => {
      expect(secretsFor({ ALERT_WEBHOOK_SECRET_GRAFANA: grafana, ALERT_WEBHOOK_SECRET_GENERIC: "" })).toEqual(
        {
          grafana,
        },
      );
    });

    it("trims secrets, as .env files sometimes leave spaces", () => {
      expect(secretsFor({ ALERT_WEBHOOK_SECRET_ALERTMANAGER: `  ${shared}  ` })).toEqual({
        alertmanager: shared,
      });
    });

    it("lists every short secret at once", () => {
      const result = parseConfig({ ...valid, ALERT_WEBHOOK_SECRET: "a", ALERT_WEBHOOK_SECRET_GENERIC: "b" });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problems.filter((p) => p.includes("at least 16 characters"))).toHaveLength(2);
    });
  });
});
