import { describe, expect, it } from "vitest";
import { MAX_ITEM_TEXT, MAX_ITEMS, type RunbookChecklist } from "../../../src/domain/runbook.ts";
import {
  isTicked,
  parseCheckboxBlockId,
  runbookChecklistMessage,
  runbookLibraryMessage,
  runbookProgressMessage,
} from "../../../src/slack/views/runbook-checklist.ts";
import { assertValidSurface } from "../../support/fake-slack/block-kit.ts";

const EVIL = "<@U0EVIL> <!channel> & *bold*";
const INCIDENT_ID = "6740a1b2c3d4e5f601234567";

const fullChecklist: RunbookChecklist = {
  runbookId: "r".repeat(64),
  title: `${EVIL} ${"t".repeat(200)}`,
  items: Array.from({ length: MAX_ITEMS }, (_, i) => ({
    id: `${"i".repeat(60)}${i}`,
    text: `${EVIL}${"x".repeat(MAX_ITEM_TEXT - EVIL.length)}`,
    ...(i % 2 === 0 && { doneBy: "U0ALICE", doneAt: new Date("2026-11-08T12:00:00Z") }),
  })),
};

describe("the runbook checklist message", () => {
  it("stays within Block Kit's limits at the most items and the longest texts, escaping user text", () => {
    const message = runbookChecklistMessage(INCIDENT_ID, fullChecklist);
    assertValidSurface({ kind: "message", ...message });
    const json = JSON.stringify(message.blocks);
    expect(json).not.toContain("<@U0EVIL>");
    expect(json).not.toContain("<!channel>");
    expect(json).toContain(`23 of ${MAX_ITEMS} done`);
  });

  it("names one item per checkbox, and reads a click back", () => {
    const message = runbookChecklistMessage(INCIDENT_ID, fullChecklist);
    const boxes = (
      message.blocks as { block_id?: string; accessory?: { initial_options?: unknown[] } }[]
    ).filter((b) => b.accessory);
    expect(boxes).toHaveLength(MAX_ITEMS);
    expect(parseCheckboxBlockId(boxes[1]?.block_id ?? "")).toEqual({
      incidentId: INCIDENT_ID,
      runbookId: fullChecklist.runbookId,
      itemId: fullChecklist.items[1]?.id,
    });
    expect(boxes[0]?.accessory?.initial_options).toHaveLength(1);
    expect(boxes[1]?.accessory?.initial_options).toBeUndefined();
    expect(parseCheckboxBlockId("runbook|a|b")).toBeUndefined();
    expect(parseCheckboxBlockId("other|a|b|c")).toBeUndefined();
    expect(isTicked([{ value: "done" }])).toBe(true);
    expect(isTicked([])).toBe(false);
    expect(isTicked(undefined)).toBe(false);
  });
});

describe("the progress and library answers", () => {
  it("stay within Block Kit's limits with three full checklists", () => {
    const message = runbookProgressMessage(
      { number: 42 },
      { incidentId: INCIDENT_ID, type: "database", runbooks: [fullChecklist, fullChecklist, fullChecklist] },
    );
    assertValidSurface({ kind: "message", ...message });
    expect(message.text).toContain("*INC-42 runbook checklists* (type database)");
    expect(message.text).not.toContain("<@U0EVIL>");
  });

  it("lists the loaded runbooks and the skipped files", () => {
    const message = runbookLibraryMessage(
      {
        runbooks: [
          {
            id: "db",
            title: "DB",
            types: ["database"],
            services: ["firestore"],
            items: [{ id: "a", text: "a" }],
          },
        ],
        problems: [{ file: "bad.md", problem: `title is required ${EVIL}` }],
        types: ["database"],
      },
      "/srv/runbooks",
    );
    assertValidSurface({ kind: "message", ...message });
    expect(message.text).toContain("*DB* (`db`): types database; services firestore; 1 item");
    expect(message.text).toContain("`bad.md`: title is required");
    expect(message.text).not.toContain("<@U0EVIL>");
  });
});
