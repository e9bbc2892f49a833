import type { Server } from "node:http";
import { Writable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { IncomingAlert } from "../../src/domain/alert.ts";
import { alertWebhookRoutes, MAX_ALERT_BODY_BYTES, signBody } from "../../src/http/alert-webhooks.ts";
import { closeServer, createHttpServer, listen } from "../../src/http/server.ts";
import { createLogger } from "../../src/logger.ts";

const GENERIC_SECRET = "generic-secret-0123456789abcdef";
const GRAFANA_SECRET = "grafana-secret-0123456789abcdef";

const grafanaBody = JSON.stringify({
  receiver: "Firebreak",
  status: "firing",
  version: "1",
  externalURL: "https://grafana.example.com/",
  alerts: [
    {
      status: "firing",
      labels: { alertname: "High memory usage", "app.kubernetes.io/name": "checkout", severity: "critical" },
      annotations: { summary: "Memory above 90%" },
      startsAt: "2024-05-01T10:00:00Z",
      endsAt: "0001-01-01T00:00:00Z",
      fingerprint: "c6eadffa33fcdf37",
      generatorURL: "https://grafana.example.com/alerting/grafana/abc/view",
    },
  ],
});

describe("POST /webhooks/alerts/:source", () => {
  let server: Server;
  let base: string;
  let received: IncomingAlert[][];
  let failNext: Error | undefined;
  const logs: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n")) if (line) logs.push(JSON.parse(line));
        done();
      },
    });
    const routes = alertWebhookRoutes({
      // alertmanager has no secret: disabled.
      secrets: { generic: GENERIC_SECRET, grafana: GRAFANA_SECRET },
      onAlerts: async (alerts) => {
        if (failNext) throw failNext;
        received.push(alerts);
        return { accepted: alerts.length };
      },
      logger: createLogger("info", sink),
    });
    server = createHttpServer(routes, createLogger("silent"));
    base = `http://127.0.0.1:${await listen(server, 0)}/webhooks/alerts`;
  });
  afterAll(() => closeServer(server));
  beforeEach(() => {
    received = [];
    failNext = undefined;
    logs.length = 0;
  });

  const post = async (source: string, body: string | Uint8Array, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}/${source}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
    const json = (await response.json()) as { error?: string; accepted?: number };
    return { status: response.status, headers: response.headers, body: json };
  };
  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

  it("202: takes a Grafana notification with the bearer token", async () => {
    const response = await post("grafana", grafanaBody, bearer(GRAFANA_SECRET));
    expect(response).toMatchObject({ status: 202, body: { accepted: 1 } });
    expect(received).toHaveLength(1);
    expect(received[0]).toEqual([
      expect.objectContaining({
        source: "grafana",
        fingerprint: "c6eadffa33fcdf37",
        title: "High memory usage: Memory above 90%",
        severity: "critical",
        service: "checkout",
      }),
    ]);
    expect(logs).toContainEqual(expect.objectContaining({ msg: "alerts received", source: "grafana" }));
  });

  it("202: takes a generic alert signed with X-Firebreak-Signature, and any case of the scheme", async () => {
    const body = JSON.stringify({ title: "Queue backlog", severity: "low", service: "worker" });
    const signed = await post("generic", body, { "x-firebreak-signature": signBody(GENERIC_SECRET, body) });
    expect(signed).toEqual(expect.objectContaining({ status: 202, body: { accepted: 1 } }));
    const lower = await post("generic", body, { authorization: `bearer ${GENERIC_SECRET}` });
    expect(lower.status).toBe(202);
    expect(received.map((alerts) => alerts[0]?.title)).toEqual(["Queue backlog", "Queue backlog"]);
  });

  it("202: a wrong bearer token is forgiven when the signature is right", async () => {
    const body = JSON.stringify({ title: "x", severity: "low", service: "y" });
    const response = await post("generic", body, {
      ...bearer("proxy-token"),
      "x-firebreak-signature": signBody(GENERIC_SECRET, body).toUpperCase().replace("SHA256=", "sha256="),
    });
    expect(response.status).toBe(202);
  });

  describe("refusals, none of which reaches onAlerts", () => {
    beforeEach(() => {
      expect(received).toEqual([]);
    });
    const nothingTaken = () => expect(received).toEqual([]);

    it("401 without credentials, with a Bearer challenge", async () => {
      const response = await post("grafana", grafanaBody);
      expect(response.status).toBe(401);
      expect(response.body.error).toMatch(/missing credentials.*Bearer.*X-Firebreak-Signature/);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      nothingTaken();
    });

    it("401 with the wrong secret, including another source's", async () => {
      for (const secret of ["nope", GENERIC_SECRET, `${GRAFANA_SECRET}x`, GRAFANA_SECRET.slice(0, -1)]) {
        const response = await post("grafana", grafanaBody, bearer(secret));
        expect(response.status).toBe(401);
        expect(response.body.error).toMatch(/wrong bearer token/);
      }
      nothingTaken();
    });

    it("401 with a signature of another body, another secret, or not a signature at all", async () => {
      const otherBody = await post("grafana", grafanaBody, {
        "x-firebreak-signature": signBody(GRAFANA_SECRET, `${grafanaBody} `),
      });
      expect(otherBody.status).toBe(401);
      expect(otherBody.body.error).toMatch(/signature does not match/);
      const otherSecret = await post("grafana", grafanaBody, {
        "x-firebreak-signature": signBody(GENERIC_SECRET, grafanaBody),
      });
      expect(otherSecret.status).toBe(401);
      const malformed = await post("grafana", grafanaBody, { "x-firebreak-signature": "sha1=abc" });
      expect(malformed.status).toBe(401);
      expect(malformed.body.error).toMatch(/sha256=<64 hex digits>/);
      nothingTaken();
    });

    it("401 comes before the body is looked at", async () => {
      const response = await post("grafana", "{not json", bearer("wrong"));
      expect(response.status).toBe(401);
      nothingTaken();
    });

    it("404 for a known source without a secret, naming the variable to set", async () => {
      const response = await post("alertmanager", "{}", bearer(GRAFANA_SECRET));
      expect(response.status).toBe(404);
      expect(response.body.error).toMatch(
        /alertmanager alert webhook is disabled: set ALERT_WEBHOOK_SECRET_ALERTMANAGER/,
      );
      nothingTaken();
    });

    it("404 for an unknown source, inherited property names included", async () => {
      for (const source of ["pagerduty", "constructor", "__proto__", "GRAFANA"]) {
        const response = await post(source, grafanaBody, bearer(GRAFANA_SECRET));
        expect(response.status).toBe(404);
        expect(response.body.error).toMatch(/unknown alert source/);
      }
      const bare = await fetch(base, { method: "POST", body: "{}" });
      expect(bare.status).toBe(404);
      const get = await fetch(`${base}/grafana`);
      expect(get.status).toBe(404);
      nothingTaken();
    });

    it("400 for malformed JSON", async () => {
      const response = await post("grafana", '{"alerts": [', bearer(GRAFANA_SECRET));
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(/not valid JSON/);
      const latin1 = await post("grafana", new Uint8Array([0x7b, 0xff, 0x7d]), bearer(GRAFANA_SECRET));
      expect(latin1.status).toBe(400);
      nothingTaken();
    });

    it("400 for wrong types, listing each path", async () => {
      const body = JSON.stringify({
        alerts: [
          { status: "firing", labels: "x" },
          { status: 1, labels: {} },
        ],
      });
      const response = await post("grafana", body, bearer(GRAFANA_SECRET));
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(/^invalid grafana payload: /);
      expect(response.body.error).toMatch(/alerts\.0\.labels: expected object, received string/);
      expect(response.body.error).toMatch(/alerts\.1\.status: /);
      nothingTaken();
    });

    it("400 when one alert of a group is bad: the good ones are not taken either", async () => {
      const body = JSON.stringify({
        alerts: [...JSON.parse(grafanaBody).alerts, { status: "firing", labels: { a: 1 } }],
      });
      const response = await post("grafana", body, bearer(GRAFANA_SECRET));
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(/alerts\.1\.labels\.a: expected string/);
      nothingTaken();
    });

    it("413 for a 1 MB body, declared or streamed, with or without a valid signature header", async () => {
      const big = new Uint8Array(1024 * 1024).fill(0x20);
      const declared = await post("grafana", big, bearer(GRAFANA_SECRET));
      expect(declared.status).toBe(413);
      expect(declared.body.error).toMatch(/larger than 256 KB/);

      const chunk = new Uint8Array(64 * 1024).fill(0x20);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 16; i++) controller.enqueue(chunk);
          controller.close();
        },
      });
      const streamed = await fetch(`${base}/grafana`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-firebreak-signature": signBody(GRAFANA_SECRET, ""),
        },
        body: stream,
        duplex: "half",
      } as RequestInit);
      expect(streamed.status).toBe(413);
      nothingTaken();
    });

    it("accepts a body right at the limit", async () => {
      const alerts = JSON.parse(grafanaBody).alerts;
      const padded = JSON.stringify({ alerts, padding: "" });
      const body = padded.replace(
        '"padding":""',
        `"padding":"${"x".repeat(MAX_ALERT_BODY_BYTES - padded.length)}"`,
      );
      expect(Buffer.byteLength(body)).toBe(MAX_ALERT_BODY_BYTES);
      const response = await post("grafana", body, bearer(GRAFANA_SECRET));
      expect(response.status).toBe(202);
      received = [];
    });

    it("415 for a body that is not declared as JSON", async () => {
      for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/jsonp"]) {
        const response = await post("grafana", grafanaBody, {
          ...bearer(GRAFANA_SECRET),
          "content-type": type,
        });
        expect(response.status).toBe(415);
      }
      const charset = await post("grafana", grafanaBody, {
        ...bearer(GRAFANA_SECRET),
        "content-type": "Application/JSON; charset=utf-8",
      });
      expect(charset.status).toBe(202);
      received = [];
    });

    it("503 when onAlerts throws, so the sender retries; the failure is logged", async () => {
      failNext = new Error("database down");
      const response = await post("grafana", grafanaBody, bearer(GRAFANA_SECRET));
      expect(response.status).toBe(503);
      expect(response.body.error).toMatch(/retry/);
      expect(response.headers.get("retry-after")).toBe("30");
      expect(logs).toContainEqual(
        expect.objectContaining({
          level: 50,
          msg: "could not take alerts",
          source: "grafana",
          err: expect.objectContaining({ message: "database down" }),
        }),
      );
      nothingTaken();
    });

    it("never logs the secret or the authorization header", async () => {
      await post("grafana", grafanaBody, bearer(`${GRAFANA_SECRET}-wrong`));
      await post("grafana", grafanaBody, bearer(GRAFANA_SECRET));
      received = [];
      expect(logs.length).toBeGreaterThan(0);
      expect(JSON.stringify(logs)).not.toContain(GRAFANA_SECRET);
    });
  });
});
