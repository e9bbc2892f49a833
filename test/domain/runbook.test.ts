import { describe, expect, it } from "vitest";
import {
  checklistProgress,
  incidentTypes,
  MAX_ITEMS,
  matchingRunbooks,
  parseRunbook,
  type Runbook,
} from "../../src/domain/runbook.ts";

const front = (overrides: Record<string, unknown> = {}) => ({
  title: "Database emergency",
  types: ["Database"],
  services: ["firestore"],
  checklist: [
    { id: "check-status", text: "Check the status page" },
    { id: "read-only", text: "Go read-only" },
  ],
  ...overrides,
});

const problemOf = (frontMatter: unknown, file = "db.md") => {
  const parsed = parseRunbook(file, frontMatter);
  return parsed.ok ? expect.fail("it parsed") : parsed.problem;
};

describe("parseRunbook", () => {
  it("reads the front matter: id from the file name, types lowercased, items kept in order", () => {
    expect(parseRunbook("Database-Emergency.md", front())).toEqual({
      ok: true,
      runbook: {
        id: "database-emergency",
        title: "Database emergency",
        types: ["database"],
        services: ["firestore"],
        items: [
          { id: "check-status", text: "Check the status page" },
          { id: "read-only", text: "Go read-only" },
        ],
      },
    });
  });

  it.each([
    [{}, "title: title is required"],
    [front({ types: [], services: [] }), "name at least one of types or services it applies to"],
    [front({ checklist: [] }), "checklist: checklist needs at least one item"],
    [front({ checklist: "do things" }), "checklist: checklist must be a list of items with id and text"],
    [front({ checklist: [{ text: "x" }] }), "checklist.0.id: each checklist id must be text"],
    [
      front({ checklist: [{ id: "Has Space", text: "x" }] }),
      "checklist.0.id: each checklist id must be 1 to 64",
    ],
    [
      front({
        checklist: [
          { id: "a", text: "x" },
          { id: "a", text: "y" },
        ],
      }),
      'checklist id "a" is used twice',
    ],
    [
      front({ checklist: [{ id: "a", text: "x".repeat(301) }] }),
      "keep each checklist text to 300 characters",
    ],
    [
      front({ checklist: Array.from({ length: MAX_ITEMS + 1 }, (_, i) => ({ id: `i${i}`, text: "x" })) }),
      `checklist has more than ${MAX_ITEMS} items`,
    ],
    [front({ types: ["data base"] }), "types.0: each type must be 1 to 64"],
    ["just text", "expected object"],
  ])("refuses %j: %s", (frontMatter, problem) => {
    expect(problemOf(frontMatter)).toContain(problem);
  });

  it("refuses a file name that cannot be an id", () => {
    expect(problemOf(front(), "my runbook.md")).toContain("the file name must be");
  });
});

describe("matchingRunbooks", () => {
  const runbook = (id: string, types: string[], services: string[]): Runbook => ({
    id,
    title: id,
    types,
    services,
    items: [{ id: "a", text: "a" }],
  });
  const all = [runbook("db", ["database"], ["Firestore"]), runbook("traffic", ["high-traffic", "ddos"], [])];

  it("matches by type, or by any service whatever its case, each runbook once", () => {
    expect(matchingRunbooks(all, { type: "database", services: [] }).map((r) => r.id)).toEqual(["db"]);
    expect(matchingRunbooks(all, { type: "DDoS", services: [] }).map((r) => r.id)).toEqual(["traffic"]);
    expect(matchingRunbooks(all, { services: ["checkout", " firestore "] }).map((r) => r.id)).toEqual(["db"]);
    expect(matchingRunbooks(all, { type: "high-traffic", services: ["FIRESTORE"] }).map((r) => r.id)).toEqual(
      ["db", "traffic"],
    );
    expect(matchingRunbooks(all, { type: "lunar", services: ["checkout"] })).toEqual([]);
  });

  it("lists every type once, sorted", () => {
    expect(incidentTypes([...all, runbook("db2", ["database"], [])])).toEqual([
      "database",
      "ddos",
      "high-traffic",
    ]);
  });

  it("counts what is done", () => {
    const items = [
      { id: "a", text: "a", doneAt: new Date(), doneBy: "U1" },
      { id: "b", text: "b" },
    ];
    expect(checklistProgress({ items })).toEqual({ done: 1, total: 2 });
  });
});
