import { describe, expect, it } from "vitest";
import { INCIDENT_SUBCOMMANDS, parseIncidentCommand } from "../../src/domain/incident-commands.ts";

describe("parseIncidentCommand", () => {
  it.each([
    ["", { kind: "help" }],
    ["   ", { kind: "help" }],
    ["help", { kind: "help" }],
    ["HELP me", { kind: "help" }],
    [
      "declare sev2 Checkout is failing",
      { kind: "subcommand", name: "declare", args: "sev2 Checkout is failing" },
    ],
    ["  Note   the  db is back ", { kind: "subcommand", name: "note", args: "the  db is back" }],
    ["fix-it now", { kind: "unknown", given: "fix-it" }],
  ])("%j → %j", (text, expected) => {
    expect(parseIncidentCommand(text)).toEqual(expected);
  });

  it("lists each sub-command once", () => {
    const names = INCIDENT_SUBCOMMANDS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("keeps the arguments' line breaks", () => {
    expect(parseIncidentCommand("note first line\nsecond line")).toEqual({
      kind: "subcommand",
      name: "note",
      args: "first line\nsecond line",
    });
  });
});
