import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";

// CHANGE_APPROVERS is checked at start-up: a change type whose required role nobody holds would wait forever.
const BASE = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_APP_TOKEN: "xapp-test" };
const ALL_REQUIRED = {
  "on-call-engineer": ["schedule:primary"],
  "tech-lead": ["U0BOB"],
  "product-owner": ["S0PRODUCT"],
  manager: ["U0DAVE"],
  "security-team": ["S0SECURITY"],
};

const problemsWith = (value: string) => {
  const parsed = parseConfig({ ...BASE, CHANGE_APPROVERS: value });
  return parsed.ok ? [] : parsed.problems.map((p) => p.split(". JSON mapping")[0]);
};

describe("CHANGE_APPROVERS", () => {
  it("leaves change requests off when unset, and maps each role to people, groups and schedules when set", () => {
    const off = parseConfig(BASE);
    expect(off.ok && off.config.changes).toEqual({ approvers: undefined });
    const on = parseConfig({ ...BASE, CHANGE_APPROVERS: JSON.stringify(ALL_REQUIRED) });
    expect(on.ok && on.config.changes.approvers?.["on-call-engineer"]).toEqual([
      { kind: "schedule", scheduleName: "primary" },
    ]);
    expect(on.ok && on.config.changes.approvers?.["product-owner"]).toEqual([
      { kind: "usergroup", groupId: "S0PRODUCT" },
    ]);
  });

  it("stops the start with every required role that has no approvers, naming the types that need it", () => {
    const { manager: _, "security-team": __, ...partial } = ALL_REQUIRED;
    expect(problemsWith(JSON.stringify(partial))).toEqual([
      "CHANGE_APPROVERS has no approvers for the role manager, which major changes require",
      "CHANGE_APPROVERS has no approvers for the role security-team, which major changes require",
    ]);
  });

  it("names malformed JSON, an unknown role and an approver that is not U…, S… or schedule:", () => {
    expect(problemsWith("{tech-lead: U0BOB}")).toEqual(["CHANGE_APPROVERS is not valid JSON"]);
    expect(problemsWith(JSON.stringify({ ...ALL_REQUIRED, boss: ["U0BOSS"] }))).toEqual([
      'CHANGE_APPROVERS names the unknown role "boss"; the roles are on-call-engineer, tech-lead, product-owner, manager, security-team, cto',
    ]);
    expect(problemsWith(JSON.stringify({ ...ALL_REQUIRED, cto: ["@carol"] }))).toEqual([
      'CHANGE_APPROVERS "@carol" is not an approver: use U…, S… or schedule:<name> (cto.0)',
    ]);
  });
});
