import { describe, expect, it } from "vitest";
import {
  DEFAULT_DUPLICATE_WINDOW_MS,
  findLikelyDuplicates,
  titleSimilarity,
  titleTokens,
} from "../../src/domain/duplicates.ts";
import type { Incident } from "../../src/domain/incident.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
const MIN = 60_000;
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * MIN);

function incident(number: number, title: string, overrides: Partial<Incident> = {}): Incident {
  return {
    id: `id-${number}`,
    workspaceId: "T1",
    number,
    title,
    description: "",
    severity: "sev2",
    status: "investigating",
    affectedServices: [],
    roles: {},
    reporterId: "U1",
    isPrivate: false,
    declaredAt: ago(10),
    linkedNumbers: [],
    ...overrides,
  };
}

const candidate = (title: string, affectedServices: string[] = []) => ({
  title,
  affectedServices,
  declaredAt: NOW,
});

describe("titleTokens", () => {
  it.each([
    ["The checkout is DOWN for EU users", ["checkout", "down", "eu", "users"]],
    ["Paiement échoué: 500s", ["paiement", "echoue", "500s"]],
    ["a b c", []],
    ["", []],
    ["API-gateway / api_gateway", ["api", "gateway"]],
  ])("%j → %j", (title, tokens) => {
    expect([...titleTokens(title)]).toEqual(tokens);
  });
});

describe("titleSimilarity (Jaccard)", () => {
  it.each([
    ["Checkout is down", "Checkout is down", 1],
    ["Checkout is down", "checkout DOWN!", 1],
    ["Checkout", "Checkout", 1],
    ["Checkout", "Checkout slow", 0.5],
    ["Database", "Database backups slow", 1 / 3],
    ["Login failing", "Search failing", 1 / 3],
    ["Payments API latency", "High latency on payments API", 0.75],
    ["Checkout", "Payments", 0],
    ["", "", 0],
    ["", "Checkout", 0],
    ["the of a", "the of a", 0],
  ])("%j vs %j → %d", (a, b, expected) => {
    expect(titleSimilarity(a, b)).toBeCloseTo(expected, 10);
    expect(titleSimilarity(b, a)).toBeCloseTo(expected, 10);
  });
});

describe("findLikelyDuplicates", () => {
  it("finds a shared service, whatever its case, named as the open incident spells it", () => {
    const open = incident(7, "Payments errors", { affectedServices: ["Checkout", "payments"] });
    const matches = findLikelyDuplicates(candidate("Cart broken", [" checkout "]), [open]);
    expect(matches).toHaveLength(1);
    expect(matches[0]?.reasons).toEqual(["shared service: Checkout"]);
  });

  it("finds a similar title with its percentage", () => {
    const open = incident(7, "Checkout failing for EU customers");
    const matches = findLikelyDuplicates(candidate("EU checkout failing"), [open]);
    expect(matches[0]?.reasons).toEqual(["similar title (75%)"]);
  });

  it("gives every reason, one per shared service", () => {
    const open = incident(7, "Checkout down", { affectedServices: ["checkout", "cart", "search"] });
    const matches = findLikelyDuplicates(candidate("Checkout down", ["cart", "checkout"]), [open]);
    expect(matches[0]?.reasons).toEqual([
      "shared service: checkout",
      "shared service: cart",
      "similar title (100%)",
    ]);
  });

  it("ignores unrelated, resolved and empty-titled incidents", () => {
    const open = [
      incident(1, "Search slow", { affectedServices: ["search"] }),
      incident(2, "Checkout down", { status: "resolved", affectedServices: ["checkout"] }),
      incident(3, ""),
    ];
    expect(findLikelyDuplicates(candidate("Checkout down", ["checkout"]), open)).toEqual([]);
    expect(findLikelyDuplicates(candidate(""), open)).toEqual([]);
  });

  it.each([
    ["exactly at the window's start", DEFAULT_DUPLICATE_WINDOW_MS / MIN, true],
    ["a minute inside the window", DEFAULT_DUPLICATE_WINDOW_MS / MIN - 1, true],
    ["a millisecond before the window", DEFAULT_DUPLICATE_WINDOW_MS / MIN + 1 / MIN, false],
    ["at the same instant", 0, true],
    ["after the candidate", -1, false],
  ])("an incident declared %s is considered: %s", (_, minutesAgo, found) => {
    const open = incident(9, "Checkout down", { declaredAt: ago(minutesAgo) });
    expect(findLikelyDuplicates(candidate("Checkout down"), [open])).toHaveLength(found ? 1 : 0);
  });

  it("honours a custom window and threshold", () => {
    const open = incident(9, "Checkout slow", { declaredAt: ago(30) });
    expect(findLikelyDuplicates(candidate("Checkout"), [open], { windowMs: 20 * MIN })).toEqual([]);
    expect(findLikelyDuplicates(candidate("Checkout"), [open])).toHaveLength(1);
    expect(findLikelyDuplicates(candidate("Checkout"), [open], { titleSimilarity: 0.51 })).toEqual([]);
  });

  it("sorts strongest first, then most recent", () => {
    const open = [
      incident(1, "Checkout down again", { declaredAt: ago(50) }),
      incident(2, "Checkout down", { affectedServices: ["checkout", "cart"], declaredAt: ago(40) }),
      incident(3, "Checkout down", { declaredAt: ago(30) }),
      incident(4, "Checkout down", { declaredAt: ago(20) }),
      incident(5, "Cart", { affectedServices: ["checkout"], declaredAt: ago(10) }),
    ];
    const matches = findLikelyDuplicates(candidate("Checkout down", ["checkout", "cart"]), open);
    expect(matches.map((m) => m.incident.number)).toEqual([2, 5, 4, 3, 1]);
    expect(matches[0]?.score).toBe(3);
  });
});
