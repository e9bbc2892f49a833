import { describe, expect, it } from "vitest";
import { STATUSES, type Status } from "../../src/domain/incident.ts";
import {
  changeStatus,
  isOpen,
  nextStatuses,
  OPEN_STATUSES,
  reopen,
  statusEmoji,
  statusLabel,
} from "../../src/domain/status.ts";

const OPEN = ["investigating", "identified", "monitoring"] as const;
const pairs = (from: readonly Status[], to: readonly Status[]) =>
  from.flatMap((f) => to.map((t) => [f, t] as const));

describe("changeStatus", () => {
  it.each(pairs(OPEN, STATUSES).filter(([from, to]) => from !== to))("%s → %s is allowed", (from, to) => {
    expect(changeStatus(from, to)).toEqual({ ok: true, to });
  });

  it.each(STATUSES.map((s) => [s] as const))("%s → itself is refused, naming the status", (status) => {
    expect(changeStatus(status, status)).toEqual({ ok: false, reason: `The incident is already ${status}` });
    expect(changeStatus(status, status, 42)).toEqual({ ok: false, reason: `INC-42 is already ${status}` });
  });

  it.each(OPEN.map((s) => [s] as const))("resolved → %s needs a reopen first", (to) => {
    expect(changeStatus("resolved", to)).toEqual({
      ok: false,
      reason: "A resolved incident must be reopened first",
    });
  });
});

describe("reopen", () => {
  it("takes a resolved incident back to investigating", () => {
    expect(reopen("resolved")).toEqual({ ok: true, to: "investigating" });
  });

  it.each(OPEN.map((s) => [s] as const))("refuses %s", (from) => {
    expect(reopen(from, 7)).toEqual({
      ok: false,
      reason: `Only a resolved incident can be reopened; INC-7 is ${from}`,
    });
    expect(reopen(from)).toMatchObject({ ok: false, reason: expect.stringContaining("The incident is") });
  });
});

describe("isOpen, nextStatuses and display", () => {
  it.each([
    ["investigating", true, "Investigating", ":mag:"],
    ["identified", true, "Identified", ":dart:"],
    ["monitoring", true, "Monitoring", ":eyes:"],
    ["resolved", false, "Resolved", ":white_check_mark:"],
  ] as const)("%s: open %s, %s %s", (status, open, label, emoji) => {
    expect(isOpen(status)).toBe(open);
    expect(statusLabel(status)).toBe(label);
    expect(statusEmoji(status)).toBe(emoji);
    expect(OPEN_STATUSES.includes(status as (typeof OPEN)[number])).toBe(open);
  });

  it.each(STATUSES.map((s) => [s] as const))(
    "nextStatuses(%s) are exactly what changeStatus accepts",
    (from) => {
      const accepted = STATUSES.filter((to) => changeStatus(from, to).ok);
      expect(nextStatuses(from)).toEqual(accepted);
    },
  );
});
