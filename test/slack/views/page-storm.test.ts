import { describe, expect, it } from "vitest";
import { summarizeStorm } from "../../../src/domain/storm.ts";
import { ALERT_ACTIONS } from "../../../src/slack/ids.ts";
import { pageStormMessage } from "../../../src/slack/views/page-storm.ts";
import { assertValidSurface } from "../../support/fake-slack/block-kit.ts";

const at = (second: number) => new Date(Date.UTC(2026, 10, 29, 3, 0, second));

describe("the paged person's storm message", () => {
  it("counts the alerts paging them and offers Acknowledge on the most severe", () => {
    const summary = summarizeStorm(
      Array.from({ length: 40 }, (_, i) => ({
        id: `alert${i}`,
        title: `Checkout 5xx on pod-${i}`,
        severity: i < 3 ? ("critical" as const) : ("high" as const),
        service: "checkout",
        firedAt: at(i),
      })),
      5,
    );
    if (!summary) throw new Error("no summary");
    const message = pageStormMessage(summary);
    assertValidSurface({ kind: "message", ...message });
    expect(message.text).toContain("You are paged for 40 more alerts");
    expect(message.text).toContain("3 critical");
    const buttons = message.blocks.flatMap((b) =>
      b.type === "section" && b.accessory?.type === "button" ? [b.accessory] : [],
    );
    expect(buttons).toHaveLength(5);
    expect(buttons.every((b) => b.action_id === ALERT_ACTIONS.acknowledge)).toBe(true);
    // The three critical ones come first.
    expect(buttons.slice(0, 3).map((b) => b.value)).toEqual(["alert2", "alert1", "alert0"]);
  });

  it("escapes what the alert source wrote", () => {
    const summary = summarizeStorm(
      [{ id: "a", title: "<!channel> *boom*", severity: "high", service: "<@U0EVIL>", firedAt: at(0) }],
      5,
    );
    if (!summary) throw new Error("no summary");
    const message = pageStormMessage(summary);
    assertValidSurface({ kind: "message", ...message });
    const rendered = JSON.stringify(message);
    expect(rendered).not.toContain("<!channel>");
    expect(rendered).not.toContain("<@U0EVIL>");
    expect(message.text).toContain("1 more alert*");
  });
});
