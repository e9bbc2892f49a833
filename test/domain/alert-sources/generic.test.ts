import { describe, expect, it } from "vitest";
import { stableHash } from "../../../src/domain/alert-sources/common.ts";
import { type GenericAlertBody, parseGeneric } from "../../../src/domain/alert-sources/generic.ts";
import {
  ALERT_SOURCE_NAMES,
  ALERT_SOURCES,
  isAlertSourceName,
} from "../../../src/domain/alert-sources/index.ts";

const minimal = (): GenericAlertBody => ({
  title: "Checkout errors above 5%",
  severity: "high",
  service: "checkout",
});

function parseOk(body: unknown) {
  const result = parseGeneric(body);
  if (!result.ok) throw new Error(result.error);
  const [alert, ...rest] = result.alerts;
  expect(rest).toEqual([]);
  return alert;
}

function parseError(body: unknown): string {
  const result = parseGeneric(body);
  if (result.ok) throw new Error("expected the payload to be refused");
  return result.error;
}

describe("parseGeneric", () => {
  it("fills defaults for a minimal alert: firing, empty description, no links or labels", () => {
    expect(parseOk(minimal())).toEqual({
      source: "generic",
      fingerprint: stableHash(["generic", "checkout", "Checkout errors above 5%"]),
      status: "firing",
      title: "Checkout errors above 5%",
      severity: "high",
      service: "checkout",
      description: "",
      links: [],
      labels: [],
      annotations: [],
      startsAt: undefined,
      endsAt: undefined,
    });
  });

  it("maps every field of a full alert", () => {
    const alert = parseOk({
      title: "  Disk full on db-1  ",
      severity: "Critical",
      service: " postgres ",
      description: "  /var/lib/postgresql at 99%  ",
      fingerprint: "db-1-disk",
      status: "resolved",
      links: [
        { title: "Dashboard", url: "https://grafana.example.com/d/pg" },
        { title: "", url: "https://runbooks.example.com/disk" },
      ],
      labels: { "kubernetes.io/hostname": "node-7", host: "db-1" },
      annotations: { "$owner.team": "data" },
      startsAt: "2024-05-01T10:00:00Z",
      endsAt: "2024-05-01T11:00:00+01:00",
    });
    expect(alert).toEqual({
      source: "generic",
      fingerprint: "db-1-disk",
      status: "resolved",
      title: "Disk full on db-1",
      severity: "critical",
      service: "postgres",
      description: "/var/lib/postgresql at 99%",
      links: [
        { title: "Dashboard", url: "https://grafana.example.com/d/pg" },
        { title: "https://runbooks.example.com/disk", url: "https://runbooks.example.com/disk" },
      ],
      labels: [
        { name: "host", value: "db-1" },
        { name: "kubernetes.io/hostname", value: "node-7" },
      ],
      annotations: [{ name: "$owner.team", value: "data" }],
      startsAt: new Date("2024-05-01T10:00:00Z"),
      endsAt: new Date("2024-05-01T10:00:00Z"),
    });
  });

  it("gives the same fingerprint to the same service and title, and a different one otherwise", () => {
    const firing = parseOk(minimal());
    const resolved = parseOk({ ...minimal(), status: "resolved", title: " Checkout errors above 5% " });
    const other = parseOk({ ...minimal(), service: "payments" });
    expect(firing?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(resolved?.fingerprint).toBe(firing?.fingerprint);
    expect(other?.fingerprint).not.toBe(firing?.fingerprint);
    // The separator keeps ("a b", "c") and ("a", "b c") apart.
    expect(stableHash(["generic", "a b", "c"])).not.toBe(stableHash(["generic", "a", "b c"]));
  });

  it("caps title (150), description (3000) and values (1000) instead of refusing them", () => {
    const alert = parseOk({
      ...minimal(),
      title: "T".repeat(400),
      description: "D".repeat(9000),
      service: "s".repeat(2000),
      labels: { long: "v".repeat(2000) },
    });
    expect(alert?.title).toHaveLength(150);
    expect(alert?.title.endsWith("…")).toBe(true);
    expect(alert?.description).toHaveLength(3000);
    expect(alert?.service).toHaveLength(1000);
    expect(alert?.labels[0]?.value).toHaveLength(1000);
  });

  it("caps without splitting an emoji", () => {
    const alert = parseOk({ ...minimal(), title: "🔥".repeat(200) });
    expect(Array.from(alert?.title ?? "")).toHaveLength(150);
    expect(alert?.title).toBe(`${"🔥".repeat(149)}…`);
  });

  it.each([
    [{ severity: "high", service: "x" }, /^title: required$/],
    [{ ...minimal(), title: "   " }, /title: must not be empty/],
    [{ ...minimal(), severity: "sev1" }, /severity: expected "critical" or "high" or "medium" or "low"/],
    [{ ...minimal(), status: "open" }, /status: expected "firing" or "resolved"/],
    [{ ...minimal(), labels: { team: 7 } }, /labels\.team: expected string, received number/],
    [{ ...minimal(), labels: "team=x" }, /labels: expected object, received string/],
    [
      { ...minimal(), links: [{ title: "x", url: "javascript:alert(1)" }] },
      /links\.0\.url: must be an http\(s\) URL/,
    ],
    [{ ...minimal(), links: { title: "x" } }, /links: expected array, received object/],
    [{ ...minimal(), startsAt: "May 1st" }, /startsAt: expected an RFC 3339 date-time/],
    ["alert!", /body: expected object, received string/],
  ])("refuses %j with the path of the problem", (body, reason) => {
    expect(parseError(body)).toMatch(reason);
  });

  it("lists every problem at once", () => {
    expect(parseError({ title: 1, severity: "x" }).split("; ")).toEqual([
      "title: expected string, received number",
      'severity: expected "critical" or "high" or "medium" or "low"',
      "service: required",
    ]);
  });
});

describe("ALERT_SOURCES", () => {
  it("names a parser per source", () => {
    expect(ALERT_SOURCE_NAMES).toEqual(["generic", "alertmanager", "grafana"]);
    expect(ALERT_SOURCES.generic).toBe(parseGeneric);
  });

  it("knows only its own names, not inherited properties", () => {
    expect(isAlertSourceName("grafana")).toBe(true);
    expect(isAlertSourceName("constructor")).toBe(false);
    expect(isAlertSourceName("__proto__")).toBe(false);
  });
});
