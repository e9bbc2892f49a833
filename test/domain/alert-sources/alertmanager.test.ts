import { describe, expect, it } from "vitest";
import { type AlertmanagerBody, parseAlertmanager } from "../../../src/domain/alert-sources/alertmanager.ts";

// Written from the webhook_config payload (version 4) documented at
// https://prometheus.io/docs/alerting/latest/configuration/#webhook_config: one group, two firing alerts.
const firingGroup = (): AlertmanagerBody => ({
  version: "4",
  groupKey: '{}/{severity="critical"}:{alertname="KubePodCrashLooping"}',
  truncatedAlerts: 0,
  status: "firing",
  receiver: "firebreak",
  groupLabels: { alertname: "KubePodCrashLooping" },
  commonLabels: { alertname: "KubePodCrashLooping", severity: "critical", namespace: "shop" },
  commonAnnotations: { runbook_url: "https://runbooks.example.com/KubePodCrashLooping" },
  externalURL: "http://alertmanager.example.com:9093",
  alerts: [
    {
      status: "firing",
      labels: {
        alertname: "KubePodCrashLooping",
        severity: "critical",
        namespace: "shop",
        pod: "checkout-7d9f-abcde",
        "app.kubernetes.io/name": "checkout",
        job: "kube-state-metrics",
      },
      annotations: {
        summary: "Pod is crash looping.",
        description: "Pod shop/checkout-7d9f-abcde is restarting 2.5 times / 10 minutes.",
        runbook_url: "https://runbooks.example.com/KubePodCrashLooping",
      },
      startsAt: "2024-05-01T10:00:00.123456789Z",
      endsAt: "2024-05-01T10:09:00Z",
      generatorURL: "http://prometheus.example.com:9090/graph?g0.expr=rate%28x%5B5m%5D%29&g0.tab=1",
      fingerprint: "1a30ba71cca2921f",
    },
    {
      status: "firing",
      labels: {
        alertname: "KubePodCrashLooping",
        severity: "critical",
        namespace: "shop",
        pod: "payments-55c-xyz",
        "app.kubernetes.io/name": "payments",
      },
      annotations: { runbook_url: "https://runbooks.example.com/KubePodCrashLooping" },
      startsAt: "2024-05-01T10:01:00+02:00",
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "http://prometheus.example.com:9090/graph?g0.expr=y",
      fingerprint: "bc97ff14869b13e3",
    },
  ],
});

const resolvedGroup = (): AlertmanagerBody => ({
  version: "4",
  groupKey: '{}:{alertname="HighLatency"}',
  status: "resolved",
  receiver: "firebreak",
  groupLabels: { alertname: "HighLatency" },
  commonLabels: {},
  commonAnnotations: {},
  externalURL: "http://alertmanager.example.com:9093",
  alerts: [
    {
      status: "resolved",
      labels: { alertname: "HighLatency", severity: "warning", job: "api", instance: "api-1:8080" },
      annotations: { summary: "p99 latency above 1s" },
      startsAt: "2024-05-01T09:00:00Z",
      endsAt: "2024-05-01T09:30:00Z",
      generatorURL: "http://prometheus.example.com:9090/graph?g0.expr=z",
      fingerprint: "c6eadffa33fcdf37",
    },
  ],
});

function parseOk(body: unknown) {
  const result = parseAlertmanager(body);
  if (!result.ok) throw new Error(result.error);
  return result.alerts;
}

function parseError(body: unknown): string {
  const result = parseAlertmanager(body);
  if (result.ok) throw new Error("expected the payload to be refused");
  return result.error;
}

describe("parseAlertmanager", () => {
  it("turns a firing group of two into two alerts, every field mapped", () => {
    const [first, second, ...rest] = parseOk(firingGroup());
    expect(rest).toEqual([]);
    expect(first).toEqual({
      source: "alertmanager",
      fingerprint: "1a30ba71cca2921f",
      status: "firing",
      title: "KubePodCrashLooping: Pod is crash looping.",
      severity: "critical",
      service: "checkout",
      description: "Pod shop/checkout-7d9f-abcde is restarting 2.5 times / 10 minutes.",
      links: [
        {
          title: "Source",
          url: "http://prometheus.example.com:9090/graph?g0.expr=rate%28x%5B5m%5D%29&g0.tab=1",
        },
        { title: "Runbook", url: "https://runbooks.example.com/KubePodCrashLooping" },
        { title: "Alertmanager", url: "http://alertmanager.example.com:9093" },
      ],
      labels: [
        { name: "alertname", value: "KubePodCrashLooping" },
        { name: "app.kubernetes.io/name", value: "checkout" },
        { name: "job", value: "kube-state-metrics" },
        { name: "namespace", value: "shop" },
        { name: "pod", value: "checkout-7d9f-abcde" },
        { name: "severity", value: "critical" },
      ],
      annotations: [
        { name: "description", value: "Pod shop/checkout-7d9f-abcde is restarting 2.5 times / 10 minutes." },
        { name: "runbook_url", value: "https://runbooks.example.com/KubePodCrashLooping" },
        { name: "summary", value: "Pod is crash looping." },
      ],
      startsAt: new Date("2024-05-01T10:00:00.123Z"),
      // Firing: Alertmanager's endsAt is only when it would time the alert out, not an end.
      endsAt: undefined,
    });
    expect(second).toMatchObject({
      fingerprint: "bc97ff14869b13e3",
      title: "KubePodCrashLooping",
      service: "payments",
      description: "",
      startsAt: new Date("2024-05-01T08:01:00Z"),
      endsAt: undefined,
    });
  });

  it("maps a resolved alert with its end time, severity warning → medium and the job as service", () => {
    const [alert] = parseOk(resolvedGroup());
    expect(alert).toMatchObject({
      status: "resolved",
      severity: "medium",
      service: "api",
      title: "HighLatency: p99 latency above 1s",
      startsAt: new Date("2024-05-01T09:00:00Z"),
      endsAt: new Date("2024-05-01T09:30:00Z"),
    });
    expect(alert?.links.map((l) => l.title)).toEqual(["Source", "Alertmanager"]);
  });

  it.each([
    ["critical", "critical"],
    ["CRITICAL", "critical"],
    ["error", "high"],
    ["high", "high"],
    ["major", "high"],
    ["warning", "medium"],
    ["medium", "medium"],
    ["info", "low"],
    ["low", "low"],
    ["none", "low"],
    ["page-someone", "medium"],
    [undefined, "medium"],
  ])("severity label %s → %s", (label, severity) => {
    const body = resolvedGroup();
    const labels: Record<string, string> = { alertname: "X" };
    if (label !== undefined) labels.severity = label;
    body.alerts = [{ status: "firing", labels }];
    expect(parseOk(body)[0]?.severity).toBe(severity);
  });

  it("prefers the service label, then app.kubernetes.io/name, then job; else unknown", () => {
    const service = (labels: Record<string, string>) =>
      parseOk({ alerts: [{ status: "firing", labels }] })[0]?.service;
    expect(service({ service: "cart", "app.kubernetes.io/name": "k", job: "j" })).toBe("cart");
    expect(service({ "app.kubernetes.io/name": "k", job: "j" })).toBe("k");
    expect(service({ job: "j" })).toBe("j");
    expect(service({ service: "  ", job: "j" })).toBe("j");
    expect(service({ alertname: "X" })).toBe("unknown");
  });

  it("keeps label keys exactly, dots, slashes and $ included, sorted by name", () => {
    // As a sender's JSON text: a literal "__proto__" key is an ordinary key there.
    const body = JSON.parse(`{"alerts": [{"status": "firing", "labels": {
      "z/last": "1", "$where": "sleep(1000)", "app.kubernetes.io/name": "checkout",
      "topology.kubernetes.io/zone": "eu-west-1a", "__proto__": "not a prototype", "a.b.c": "dots"
    }}]}`);
    expect(parseOk(body)[0]?.labels).toEqual([
      { name: "$where", value: "sleep(1000)" },
      { name: "__proto__", value: "not a prototype" },
      { name: "a.b.c", value: "dots" },
      { name: "app.kubernetes.io/name", value: "checkout" },
      { name: "topology.kubernetes.io/zone", value: "eu-west-1a" },
      { name: "z/last", value: "1" },
    ]);
  });

  it("caps long text instead of refusing it", () => {
    const alerts = parseOk({
      alerts: [
        {
          status: "firing",
          labels: { alertname: "A".repeat(100), big: ` ${"v".repeat(5000)} ` },
          annotations: { summary: "S".repeat(100), description: "D".repeat(10_000) },
        },
      ],
    });
    const alert = alerts[0];
    expect(alert?.title).toHaveLength(150);
    expect(alert?.title.endsWith("…")).toBe(true);
    expect(alert?.description).toHaveLength(3000);
    expect(alert?.labels.find((l) => l.name === "big")?.value).toHaveLength(1000);
    expect(alert?.annotations.find((l) => l.name === "description")?.value).toHaveLength(1000);
  });

  it("derives a stable fingerprint from the labels when the alert has none", () => {
    const body = { alerts: [{ status: "firing", labels: { alertname: "X", job: "api" } }] };
    const [a] = parseOk(body);
    const [b] = parseOk({ alerts: [{ status: "resolved", labels: { job: "api", alertname: "X" } }] });
    const [c] = parseOk({ alerts: [{ status: "firing", labels: { alertname: "X", job: "web" } }] });
    expect(a?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(b?.fingerprint).toBe(a?.fingerprint);
    expect(c?.fingerprint).not.toBe(a?.fingerprint);
  });

  it("skips links that are empty, not http(s) or too long", () => {
    const [alert] = parseOk({
      externalURL: "",
      alerts: [
        {
          status: "firing",
          labels: { alertname: "X" },
          annotations: { runbook_url: "javascript:alert(1)" },
          generatorURL: `http://p/${"x".repeat(3000)}`,
        },
      ],
    });
    expect(alert?.links).toEqual([]);
  });

  it("accepts an empty group", () => {
    expect(parseOk({ version: "4", alerts: [] })).toEqual([]);
  });

  it.each([
    [{ alerts: [{ status: "firing", labels: "x" }] }, /alerts\.0\.labels: expected object, received string/],
    [
      { alerts: [{ status: "firing", labels: { a: 1 } }] },
      /alerts\.0\.labels\.a: expected string, received number/,
    ],
    [{ alerts: [{ status: "burning", labels: {} }] }, /alerts\.0\.status: expected "firing" or "resolved"/],
    [{ alerts: [{ labels: {} }] }, /alerts\.0\.status: required/],
    [
      { alerts: [{ status: "firing", labels: {}, startsAt: "yesterday" }] },
      /alerts\.0\.startsAt: expected an RFC 3339/,
    ],
    [{ version: "3", alerts: [] }, /version: expected "4"/],
    [{}, /alerts: required/],
    [[], /body: expected object, received array/],
    [null, /body: expected object, received null/],
  ])("refuses %j with the path of the problem", (body, reason) => {
    expect(parseError(body)).toMatch(reason);
  });

  it("lists every problem at once", () => {
    const error = parseError({
      alerts: [
        { status: "firing", labels: [] },
        { status: "nope", labels: {} },
      ],
    });
    expect(error).toMatch(/alerts\.0\.labels: expected object, received array/);
    expect(error).toMatch(/alerts\.1\.status: /);
  });
});
