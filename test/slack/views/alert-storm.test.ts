import { describe, expect, it } from "vitest";
import { ALERT_SEVERITIES } from "../../../src/domain/alert.ts";
import { summarizeStorm } from "../../../src/domain/storm.ts";
import { alertStormMessage } from "../../../src/slack/views/alert-storm.ts";
import { assertValidSurface } from "../../support/fake-slack/block-kit.ts";

const at = (second: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, second));

const storm = (count: number, title: (i: number) => string, service: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => ({
    id: `a${i}`,
    title: title(i),
    severity: ALERT_SEVERITIES[i % ALERT_SEVERITIES.length] ?? "low",
    service: service(i),
    firedAt: at(i % 60),
  }));

describe("the alert storm summary", () => {
  it("counts every alert, by severity, and names the most severe", () => {
    const summary = summarizeStorm(
      storm(
        300,
        (i) => `Disk full on node-${i}`,
        (i) => (i % 2 ? "storage" : "db"),
      ),
      5,
    );
    if (!summary) throw new Error("no summary");
    const message = alertStormMessage(summary);
    assertValidSurface({ kind: "message", ...message });
    expect(message.text).toContain("Alert storm: 300 alerts");
    expect(message.text).toContain("75 critical");
    expect(message.text).toContain("db 150 · storage 150");
    expect(message.text.match(/Disk full on node-/g)).toHaveLength(5);
  });

  it("escapes alert titles and services, and stays within Block Kit's limits with huge ones", () => {
    const summary = summarizeStorm(
      storm(
        50,
        (i) => `<!channel> ${"&".repeat(400)} ${i}`,
        (i) => `<@U0EVIL> svc-${i}-${"x".repeat(200)}`,
      ),
      5,
    );
    if (!summary) throw new Error("no summary");
    const message = alertStormMessage(summary);
    assertValidSurface({ kind: "message", ...message });
    const rendered = JSON.stringify(message);
    expect(rendered).not.toContain("<!channel>");
    expect(rendered).not.toContain("<@U0EVIL>");
    expect(message.text).toContain("others 42");
  });
});
