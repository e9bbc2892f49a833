import { describe, expect, it } from "vitest";
import { parseAlertRouting, routeAlert } from "../../src/domain/alert-routing.ts";
import { DEFAULT_ESCALATION_POLICY } from "../../src/domain/escalation.ts";

const routing = (json?: string) => {
  const parsed = parseAlertRouting(json);
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  return parsed.value;
};

describe("alert routing", () => {
  it.each([
    ["critical", { page: true, declare: "sev1" }],
    ["high", { page: true }],
    ["medium", { page: false }],
    ["low", { page: false }],
  ] as const)("routes %s alerts as the seeds do by default", (severity, expected) => {
    const route = routeAlert(routing(), { severity, service: "checkout" }, DEFAULT_ESCALATION_POLICY);
    expect(route).toEqual({ ...expected, policy: DEFAULT_ESCALATION_POLICY });
  });

  it("applies severity rules, then the service's, case-insensitively by service name", () => {
    const config = routing(
      JSON.stringify({
        severities: { high: { declare: "sev2" }, critical: { channel: "C0OPS" } },
        services: {
          Search: {
            severities: { critical: { page: false, channel: "C0SEARCH" } },
            policy: { levels: [{ afterMinutes: 0, targets: ["U0SEARCH"] }] },
          },
        },
      }),
    );
    expect(
      routeAlert(config, { severity: "high", service: "checkout" }, DEFAULT_ESCALATION_POLICY),
    ).toMatchObject({
      page: true,
      declare: "sev2",
    });
    expect(
      routeAlert(config, { severity: "critical", service: "checkout" }, DEFAULT_ESCALATION_POLICY),
    ).toMatchObject({
      channel: "C0OPS",
      page: true,
      declare: "sev1",
    });
    const search = routeAlert(config, { severity: "critical", service: "search" }, DEFAULT_ESCALATION_POLICY);
    expect(search).toMatchObject({ channel: "C0SEARCH", page: false, declare: "sev1" });
    expect(search.policy.levels[0]?.targets).toEqual([{ kind: "user", userId: "U0SEARCH" }]);
  });

  it("turns off a declare with false", () => {
    const config = routing(JSON.stringify({ severities: { critical: { declare: false } } }));
    expect(
      routeAlert(config, { severity: "critical", service: "x" }, DEFAULT_ESCALATION_POLICY).declare,
    ).toBeUndefined();
  });

  it.each([
    ["{nope", /not valid JSON/],
    [JSON.stringify({ severities: { critical: { page: "yes" } } }), /severities\.critical\.page/],
    [JSON.stringify({ severities: { urgent: {} } }), /severities: Unrecognized key: "urgent"/],
    [JSON.stringify({ severities: { low: { channel: "#ops" } } }), /channel ID/],
    [JSON.stringify({ services: { a: { policy: { levels: [] } } } }), /services\.a\.policy\.levels/],
    [JSON.stringify({ extra: 1 }), /extra|Unrecognized/i],
  ])("rejects %s with a reason", (json, reason) => {
    const parsed = parseAlertRouting(json);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.join("; ")).toMatch(reason);
  });
});
