import { describe, expect, it } from "vitest";
import { frontMatterOf, readRunbook } from "../../src/runbooks/library.ts";

describe("runbook files", () => {
  it("finds the front matter, with a byte order mark and Windows line ends", () => {
    expect(frontMatterOf("\uFEFF---\r\ntitle: A\r\n---\r\n# Body\r\n")).toBe("title: A");
    expect(frontMatterOf("---\ntitle: A\n...\n")).toBe("title: A");
    expect(frontMatterOf("---\ntitle: A\n# never closed\n")).toBeUndefined();
    expect(frontMatterOf("# No front matter\n---\n")).toBeUndefined();
  });

  it("reads a runbook, or says what is wrong in one line", () => {
    const good =
      "---\ntitle: Cache\nservices: [redis]\nchecklist:\n  - id: flush\n    text: Flush it\n---\nBody";
    expect(readRunbook("cache.md", good)).toMatchObject({
      runbook: { id: "cache", services: ["redis"], items: [{ id: "flush", text: "Flush it" }] },
    });
    const broken = readRunbook("bad.md", "---\ntitle: [unclosed\n---\n");
    expect(broken).toEqual({
      problem: expect.stringMatching(/^its front matter is not valid YAML: [^\n]+$/),
    });
    expect(readRunbook("empty.md", "---\n\n---\n")).toEqual({
      problem: expect.stringContaining("title is required"),
    });
  });
});
