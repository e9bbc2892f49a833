import { describe, expect, it } from "vitest";
import { foldAccents, oneLine, truncate } from "../../src/domain/text.ts";

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
