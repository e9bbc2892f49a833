import { describe, expect, it } from "vitest";
import { decodeSlackEntities, foldAccents, oneLine, truncate } from "../../src/domain/text.ts";
import { escapeMrkdwn } from "../../src/slack/mrkdwn.ts";

describe("escapeMrkdwn", () => {
  it.each([
    ["<!channel> deploy", "&lt;!channel&gt; deploy"],
    ["<https://evil.example|your bank>", "&lt;https://evil.example|your bank&gt;"],
    ["R&D <@U123>", "R&amp;D &lt;@U123&gt;"],
    ["&lt; already", "&amp;lt; already"],
    ["plain *bold* _it_", "plain *bold* _it_"],
    ["", ""],
  ])("%j → %j", (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });

  it.each(["<!here>", "a & b < c > d", "&amp;lt;", "<<>>&&"])("decodeSlackEntities undoes %j", (text) => {
    expect(decodeSlackEntities(escapeMrkdwn(text))).toBe(text);
  });
});

describe("decodeSlackEntities", () => {
  it.each([
    ["a &lt; b &gt; c &amp; d", "a < b > c & d"],
    ["&amp;lt;", "&lt;"],
    ["&quot; &nbsp; stay", "&quot; &nbsp; stay"],
  ])("%j → %j", (input, expected) => {
    expect(decodeSlackEntities(input)).toBe(expected);
  });
});

describe("foldAccents", () => {
  it.each([
    ["Café Größe", "Cafe Grosse"],
    ["Ærøskøbing", "AEroskobing"],
    ["Łódź", "Lodz"],
    ["ﬁle", "file"],
    ["naïve résumé", "naive resume"],
  ])("%j → %j", (input, expected) => {
    expect(foldAccents(input)).toBe(expected);
  });
});

describe("oneLine and truncate", () => {
  it("collapses whitespace, newlines included", () => {
    expect(oneLine("  a\n\n b\t c  ")).toBe("a b c");
  });

  it.each([
    ["short", 10, "short"],
    ["exactly10!", 10, "exactly10!"],
    ["a bit too long", 10, "a bit too…"],
    ["🔥🔥🔥🔥", 3, "🔥🔥…"],
  ])("truncate(%j, %i) → %j", (text, max, expected) => {
    expect(truncate(text, max)).toBe(expected);
  });
});
