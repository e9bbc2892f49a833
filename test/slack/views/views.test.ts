import { describe, expect, it } from "vitest";
import { INCIDENT_SUBCOMMANDS } from "../../../src/domain/incident-commands.ts";
import { escapeMrkdwn } from "../../../src/slack/mrkdwn.ts";
import { helpMessage } from "../../../src/slack/views/help.ts";
import { MAINT_ACTIONS, maintenanceNoticeMessage } from "../../../src/slack/views/maintenance.ts";
import type { MaintenanceWindow } from "../../../src/store/maintenance.ts";
import { assertValidSurface } from "../../support/fake-slack/block-kit.ts";

describe("escapeMrkdwn", () => {
  it.each([
    ["<!channel> deploy", "&lt;!channel&gt; deploy"],
    ["<https://evil.example|your bank>", "&lt;https://evil.example|your bank&gt;"],
    ["R&D <@U123>", "R&amp;D &lt;@U123&gt;"],
    ["&lt; already", "&amp;lt; already"],
    ["plain text", "plain text"],
  ])("%j → %j", (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });
});

describe("Block Kit views stay inside Slack's limits", () => {
  it("help message", () => {
    const message = helpMessage(INCIDENT_SUBCOMMANDS);
    assertValidSurface({ kind: "message", ...message });
    expect(message.blocks).toHaveLength(3);
  });

  it("help for an unknown sub-command escapes what the user typed", () => {
    const message = helpMessage(INCIDENT_SUBCOMMANDS, "<!here>");
    assertValidSurface({ kind: "message", ...message });
    expect(JSON.stringify(message)).not.toContain("<!here>");
  });
});

describe("a settled maintenance approval request", () => {
  const pending: MaintenanceWindow = {
    id: "M7",
    number: 7,
    workspaceId: "T0TEAM",
    title: "Patch <!here> openssl",
    type: "security",
    startsAt: new Date("2026-12-03T11:00:00Z"),
    endsAt: new Date("2026-12-03T13:00:00Z"),
    services: ["checkout"],
    procedure: "1. drain",
    rollback: "reinstall",
    requestedBy: "U0REQUESTER",
    requestedAt: new Date("2026-11-30T10:00:00Z"),
    state: "pending",
  };
  const at = new Date("2026-11-30T10:05:00Z");

  it.each([
    [
      "approved",
      { state: "scheduled", decision: { approved: true, by: "U0ABE", at } },
      /Approved by <@U0ABE>/,
    ],
    [
      "rejected",
      { state: "rejected", decision: { approved: false, by: "U0ABE", at } },
      /Rejected by <@U0ABE>/,
    ],
    ["expired", { state: "rejected" }, /Expired: its start came before an approver decided/],
  ] as const)("%s: says so, with the plan kept and no buttons", (_, settled, outcome) => {
    const message = maintenanceNoticeMessage({
      stage: "approval_closed",
      window: { ...pending, ...settled },
    });
    assertValidSurface({ kind: "message", ...message });
    const json = JSON.stringify(message);
    expect(json).toMatch(outcome);
    expect(json).toContain("1. drain");
    expect(json).not.toContain(MAINT_ACTIONS.approve);
    expect(json).not.toContain("<!here>");
  });
});
