import { describe, expect, it } from "vitest";
import { decodeSlackEntities, escapeMrkdwn } from "../../src/slack/mrkdwn.ts";

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
