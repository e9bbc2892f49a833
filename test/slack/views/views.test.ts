import { describe, expect, it } from "vitest";
import { INCIDENT_SUBCOMMANDS } from "../../../src/domain/incident-commands.ts";
import { escapeMrkdwn } from "../../../src/slack/mrkdwn.ts";
import { helpMessage } from "../../../src/slack/views/help.ts";
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
