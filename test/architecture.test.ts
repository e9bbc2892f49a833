import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The arrows between the folders of src/: domain is pure; use cases reach Slack only through the
 * notifier port; jobs and HTTP never reach into Slack; the store knows nothing above it; the wiring
 * (src/firebreak.ts) is imported only by src/main.ts. And outside the edge (src/slack/), no code writes or
 * reads Slack markup: use cases return data, and src/slack/views/ says it in mrkdwn.
 */

const SRC = resolve(import.meta.dirname, "../src");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Every module specifier a file imports or re-exports, `import type` and side-effect imports included. */
function importSpecifiers(source: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\s+(?:type\s+)?[^"'`;]*?\bfrom\s+["']([^"']+)["']/gm,
    /^\s*import\s+["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return patterns.flatMap((pattern) => Array.from(source.matchAll(pattern), (m) => m[1] ?? ""));
}

/** What a file imports: app files as paths relative to src/ ("slack/app.ts"), packages by name. */
function importsOf(file: string): { app: string[]; packages: string[] } {
  const specifiers = importSpecifiers(readFileSync(file, "utf8"));
  const relativeOnes = specifiers.filter((s) => s.startsWith("."));
  return {
    app: relativeOnes.map((s) => relative(SRC, resolve(dirname(file), s))),
    packages: specifiers.filter((s) => !s.startsWith(".")),
  };
}

/**
 * The source without its comments: strings, templates (with their `${…}` parts) and regular expressions
 * are kept as written, so a `//` inside "https://…" is not taken for a comment.
 */
function withoutComments(source: string): string {
  let out = "";
  let i = 0;
  /** The last character of code before `i` that is not a space, to tell a regex's `/` from a division. */
  let previous = "";
  const copyQuoted = (quote: string) => {
    const start = i++;
    while (i < source.length && source[i] !== quote && source[i] !== "\n") i += source[i] === "\\" ? 2 : 1;
    i++;
    out += source.slice(start, i);
  };
  const copyTemplate = () => {
    out += source[i++];
    while (i < source.length && source[i] !== "`") {
      if (source[i] === "\\") {
        out += source.slice(i, i + 2);
        i += 2;
      } else if (source.startsWith("${", i)) {
        out += "${";
        i += 2;
        copyCode("}");
        out += source[i++] ?? "";
      } else out += source[i++];
    }
    out += source[i++] ?? "";
  };
  const copyRegex = () => {
    const start = i++;
    let inClass = false;
    while (i < source.length && source[i] !== "\n" && (inClass || source[i] !== "/")) {
      if (source[i] === "[") inClass = true;
      else if (source[i] === "]") inClass = false;
      i += source[i] === "\\" ? 2 : 1;
    }
    i++;
    out += source.slice(start, i);
  };
  /** Code up to an unmatched `until` (the end of a template's `${…}`), or to the end. */
  function copyCode(until?: string) {
    let depth = 0;
    while (i < source.length) {
      const c = source[i] ?? "";
      if (c === until && depth === 0) return;
      if (source.startsWith("//", i)) {
        while (i < source.length && source[i] !== "\n") i++;
      } else if (source.startsWith("/*", i)) {
        const end = source.indexOf("*/", i + 2);
        i = end === -1 ? source.length : end + 2;
        out += " ";
      } else if (c === '"' || c === "'") {
        copyQuoted(c);
        previous = c;
      } else if (c === "`") {
        copyTemplate();
        previous = c;
      } else if (c === "/" && (previous === "" || "(,=:[!&|?{};+-*%<>~^".includes(previous))) {
        copyRegex();
        previous = "/";
      } else {
        if (c === "{") depth++;
        if (c === "}") depth--;
        if (c.trim() !== "") previous = c;
        out += c;
        i++;
      }
    }
  }
  copyCode();
  return out;
}

/** Slack's markup: a mention `<@U…>`, a channel `<#C…>`, or a special token `<!here>`, `<!subteam^…>`, `<!date^…>`. */
// `<!doctype html>` and `<!--` are HTML (the status page), not Slack's `<!here>`.
const SLACK_MARKUP = /<[@#]|<!(?!doctype|--)/i;

const files = filesUnder(SRC).map((file) => ({
  path: relative(SRC, file),
  code: withoutComments(readFileSync(file, "utf8")),
  ...importsOf(file),
}));
const folderOf = (path: string): string => (path.includes("/") ? (path.split("/")[0] ?? "") : "");
const inFolders = (...folders: string[]) => files.filter((f) => folders.includes(folderOf(f.path)));
const reachesInto = (imports: string[], folders: string[]) =>
  imports.filter((i) => folders.includes(folderOf(i)));

describe("reading code without its comments", () => {
  it("drops line and block comments, and keeps strings, templates and regular expressions", () => {
    const source = [
      "// <@U1> in a comment",
      "/* <#C1> in a block */ const a = 1; // trailing <!here>",
      'const url = "https://example.com"; const b = `<@%{id}>`;',
      "const c = `x %{d ? `<#%{e}>` : '//'} y`; const f = /<!date\\/x/.test(g) / 2;",
    ]
      .join("\n")
      // Written with % so these lines are not read as templates here.
      .replaceAll("%{", "${");
    const code = withoutComments(source);
    expect(code).not.toContain("in a comment");
    expect(code).not.toContain("in a block");
    expect(code).not.toContain("<!here>");
    expect(code).toContain('"https://example.com"');
    expect(code).toContain("`<@$" + "{id}>`");
    expect(code).toContain("`<#$" + "{e}>`");
    expect(code).toContain("/<!date\\/x/");
    expect(code.split("\n").filter((line) => SLACK_MARKUP.test(line))).toHaveLength(2);
  });
});

describe("the arrows between folders", () => {
  it("finds the files of nested folders too", () => {
    expect(files.map((f) => f.path)).toContain("domain/alert-sources/grafana.ts");
    expect(files.map((f) => f.path)).toContain("slack/views/kickoff.ts");
  });

  it("reads every kind of import and re-export", () => {
    const source = [
      'import { a } from "./a.ts";',
      'import type { B } from "../b.ts";',
      'export { c } from "./c.ts";',
      'export type { D } from "./d.ts";',
      'export * from "./e.ts";',
      'import "./f.ts";',
      'import {\n  g,\n  h,\n} from "./g.ts";',
    ].join("\n");
    expect(importSpecifiers(source)).toEqual(
      expect.arrayContaining(["./a.ts", "../b.ts", "./c.ts", "./d.ts", "./e.ts", "./f.ts", "./g.ts"]),
    );
  });

  it.each(inFolders("domain").map((f) => [f.path, f] as const))(
    "domain/%s imports only zod and other domain files",
    (_path, file) => {
      expect(file.packages.filter((p) => p !== "zod")).toEqual([]);
      expect(file.app.filter((i) => folderOf(i) !== "domain")).toEqual([]);
    },
  );

  it.each(inFolders("store").map((f) => [f.path, f] as const))(
    "store/%s imports nothing of slack, http, jobs or the use cases",
    (_path, file) => {
      expect(
        reachesInto(file.app, [
          "slack",
          "http",
          "jobs",
          "incidents",
          "alerts",
          "oncall",
          "reports",
          "postmortems",
          "home",
          "changes",
          "runbooks",
          "maintenance",
          "status-page",
        ]),
      ).toEqual([]);
    },
  );

  it.each(inFolders("jobs", "http").map((f) => [f.path, f] as const))(
    "%s never imports slack",
    (_path, file) => {
      expect(reachesInto(file.app, ["slack"])).toEqual([]);
      expect(file.packages.filter((p) => p.startsWith("@slack/"))).toEqual([]);
    },
  );

  it.each(
    inFolders(
      "incidents",
      "alerts",
      "oncall",
      "reports",
      "postmortems",
      "home",
      "changes",
      "runbooks",
      "maintenance",
      "status-page",
    ).map((f) => [f.path, f] as const),
  )("%s reaches Slack only through the notifier port", (_path, file) => {
    expect(reachesInto(file.app, ["slack", "http"])).toEqual([]);
    expect(file.packages.filter((p) => p.startsWith("@slack/"))).toEqual([]);
  });

  it.each(inFolders("charts").map((f) => [f.path, f] as const))(
    "%s draws from domain data only: no Slack, store or use case",
    (_path, file) => {
      expect(file.app.filter((i) => folderOf(i) !== "domain")).toEqual([]);
      expect(file.packages.filter((p) => p.startsWith("@slack/") || p === "mongoose")).toEqual([]);
    },
  );

  it.each(
    // Everything but src/slack/: "" is src/ itself (the ports, the wiring).
    inFolders(
      "",
      "domain",
      "incidents",
      "alerts",
      "oncall",
      "reports",
      "home",
      "changes",
      "runbooks",
      "maintenance",
      "charts",
      "jobs",
      "store",
      "http",
      "status-page",
    ).map((f) => [f.path, f] as const),
  )("%s writes and reads no Slack markup (comments aside)", (_path, file) => {
    const lines = file.code.split("\n").filter((line) => SLACK_MARKUP.test(line));
    expect(lines).toEqual([]);
  });

  it("reaches the metrics library from src/prometheus/ only: everything else counts through the port", () => {
    const importers = files.filter((f) => f.packages.includes("prom-client")).map((f) => f.path);
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.filter((path) => folderOf(path) !== "prometheus")).toEqual([]);
  });

  it("imports the wiring from src/main.ts only", () => {
    const importers = files.filter((f) => f.app.includes("firebreak.ts")).map((f) => f.path);
    expect(importers).toEqual(["main.ts"]);
  });
});
