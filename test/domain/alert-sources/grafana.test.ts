import { describe, expect, it } from "vitest";
import { type GrafanaBody, parseGrafana } from "../../../src/domain/alert-sources/grafana.ts";

// Written from the webhook contact point payload documented at
// https://grafana.com/docs/grafana/latest/alerting/configure-notifications/manage-contact-points/integrations/webhook-notifier/
const notification = (): GrafanaBody => ({
  receiver: "Firebreak",
  status: "firing",
  orgId: 1,
  alerts: [
    {
      status: "firing",
      labels: {
        alertname: "High memory usage",
        grafana_folder: "Shop",
        severity: "major",
        "app.kubernetes.io/name": "checkout",
        "k8s.io/team": "blue",
      },
      annotations: {
        description: "The system has high memory usage",
        runbook_url: "https://runbooks.example.com/memory",
        summary: "Memory above 90% in zone us-1",
      },
      startsAt: "2021-10-12T09:51:03.157076+02:00",
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "https://grafana.example.com/alerting/grafana/1afz29v7z/view",
      fingerprint: "c6eadffa33fcdf37",
      silenceURL:
        "https://grafana.example.com/alerting/silence/new?alertmanager=grafana&matcher=alertname%3DX",
      dashboardURL: "https://grafana.example.com/d/abc",
      panelURL: "https://grafana.example.com/d/abc?viewPanel=2",
      values: { B: 92.1, C: 1 },
      valueString: "[ var='B' labels={} value=92.1 ]",
    },
    {
      status: "resolved",
      labels: { alertname: "High CPU usage", service: "search", severity: "info" },
      annotations: {},
      startsAt: "2021-10-12T09:56:03.157076+02:00",
      endsAt: "2021-10-12T10:06:03Z",
      generatorURL: "https://grafana.example.com/alerting/grafana/d1rdpdv7k/view",
      fingerprint: "bc97ff14869b13e3",
      silenceURL: "https://grafana.example.com/alerting/silence/new?alertmanager=grafana",
      dashboardURL: "",
      panelURL: "",
    },
  ],
  groupLabels: {},
  commonLabels: {},
  commonAnnotations: {},
  externalURL: "https://grafana.example.com/",
  version: "1",
  groupKey: "{}:{}",
  truncatedAlerts: 0,
  title: "[FIRING:1, RESOLVED:1]",
  state: "alerting",
  message: "**Firing** ...",
});

function parseOk(body: unknown) {
  const result = parseGrafana(body);
  if (!result.ok) throw new Error(result.error);
  return result.alerts;
}

describe("parseGrafana", () => {
  it("maps a firing alert: labels, annotations, fingerprint and every Grafana link", () => {
    const [firing] = parseOk(notification());
    expect(firing).toEqual({
      source: "grafana",
      fingerprint: "c6eadffa33fcdf37",
      status: "firing",
      title: "High memory usage: Memory above 90% in zone us-1",
      severity: "high",
      service: "checkout",
      description: "The system has high memory usage",
      links: [
        { title: "Alert rule", url: "https://grafana.example.com/alerting/grafana/1afz29v7z/view" },
        { title: "Dashboard", url: "https://grafana.example.com/d/abc" },
        { title: "Panel", url: "https://grafana.example.com/d/abc?viewPanel=2" },
        { title: "Runbook", url: "https://runbooks.example.com/memory" },
        {
          title: "Silence",
          url: "https://grafana.example.com/alerting/silence/new?alertmanager=grafana&matcher=alertname%3DX",
        },
      ],
      labels: [
        { name: "alertname", value: "High memory usage" },
        { name: "app.kubernetes.io/name", value: "checkout" },
        { name: "grafana_folder", value: "Shop" },
        { name: "k8s.io/team", value: "blue" },
        { name: "severity", value: "major" },
      ],
      annotations: [
        { name: "description", value: "The system has high memory usage" },
        { name: "runbook_url", value: "https://runbooks.example.com/memory" },
        { name: "summary", value: "Memory above 90% in zone us-1" },
      ],
      startsAt: new Date("2021-10-12T07:51:03.157Z"),
      endsAt: undefined,
    });
  });

  it("maps a resolved alert with its end, skipping Grafana's empty dashboard and panel URLs", () => {
    const [, resolved] = parseOk(notification());
    expect(resolved).toEqual({
      source: "grafana",
      fingerprint: "bc97ff14869b13e3",
      status: "resolved",
      title: "High CPU usage",
      severity: "low",
      service: "search",
      description: "",
      links: [
        { title: "Alert rule", url: "https://grafana.example.com/alerting/grafana/d1rdpdv7k/view" },
        { title: "Silence", url: "https://grafana.example.com/alerting/silence/new?alertmanager=grafana" },
      ],
      labels: [
        { name: "alertname", value: "High CPU usage" },
        { name: "service", value: "search" },
        { name: "severity", value: "info" },
      ],
      annotations: [],
      startsAt: new Date("2021-10-12T07:56:03.157Z"),
      endsAt: new Date("2021-10-12T10:06:03Z"),
    });
  });

  it("falls back to a title, a service and a label fingerprint when the alert carries little", () => {
    const [alert] = parseOk({ alerts: [{ status: "firing", labels: {} }] });
    expect(alert).toMatchObject({ title: "Grafana alert", service: "unknown", severity: "medium" });
    expect(alert?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it("keeps dotted, slashed and $ keys in labels and annotations", () => {
    const body = JSON.parse(`{"alerts": [{"status": "firing",
      "labels": {"a.b/c": "1", "$set": "2"}, "annotations": {"x.y/z": "3", "$ne": "4"}}]}`);
    const [alert] = parseOk(body);
    expect(alert?.labels).toEqual([
      { name: "$set", value: "2" },
      { name: "a.b/c", value: "1" },
    ]);
    expect(alert?.annotations).toEqual([
      { name: "$ne", value: "4" },
      { name: "x.y/z", value: "3" },
    ]);
  });

  it.each([
    [
      { alerts: [{ status: "firing", labels: {}, annotations: [] }] },
      /alerts\.0\.annotations: expected object, received array/,
    ],
    [
      { alerts: [{ status: "firing", labels: {}, dashboardURL: 3 }] },
      /alerts\.0\.dashboardURL: expected string, received number/,
    ],
    [
      { alerts: [{ status: "firing", labels: {}, endsAt: "2021-13-45" }] },
      /alerts\.0\.endsAt: expected an RFC 3339/,
    ],
    [{ alerts: "none" }, /alerts: expected array, received string/],
  ])("refuses %j with the path of the problem", (body, reason) => {
    const result = parseGrafana(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(reason);
  });
});
