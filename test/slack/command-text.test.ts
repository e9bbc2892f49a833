import { describe, expect, it } from "vitest";
import { commandText, parseUserMention } from "../../src/slack/command-text.ts";

describe("parseUserMention", () => {
  it.each([
    ["<@U123ABC>", "U123ABC"],
    ["<@U123|alice>", "U123"],
    ["<@W0ENTERPRISE|bob smith>", "W0ENTERPRISE"],
    ["@alice", undefined],
    ["<#C123|general>", undefined],
    ["<!here>", undefined],
    ["<@u123>", undefined],
    ["U123", undefined],
  ])("mention %j → %s", (text, expected) => {
    expect(parseUserMention(text)).toBe(expected);
  });
});

describe("commandText", () => {
  it("hands over the text as typed and its words, each mention with its user ID", () => {
    expect(commandText("  role commander <@U1|Al Ice> R&amp;D &lt;b&gt; <#C1|ops>  ")).toEqual({
      text: "  role commander <@U1|Al Ice> R&D <b> <#C1|ops>  ",
      words: [
        { text: "role" },
        { text: "commander" },
        { text: "<@U1|Al Ice>", userId: "U1" },
        { text: "R&D" },
        { text: "<b>" },
        { text: "<#C1|ops>", reference: true },
      ],
    });
  });

  it("keeps a note's line breaks and reads nothing as no words", () => {
    expect(commandText("INC-3\nfirst\n\nsecond")).toEqual({
      text: "INC-3\nfirst\n\nsecond",
      words: [{ text: "INC-3" }, { text: "first" }, { text: "second" }],
    });
    expect(commandText("")).toEqual({ text: "", words: [] });
  });
});
