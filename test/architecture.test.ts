import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The arrows between the folders of src/: domain is pure; use cases reach Slack only through the
 * notifier port; jobs and HTTP never reach into Slack; the store knows nothing above it; the wiring
 * (src/firebreak.ts) is imported only by src/main.ts.
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

const files = filesUnder(SRC).map((file) => ({ path: relative(SRC, file), ...importsOf(file) }));
const folderOf = (path: string): string => (path.includes("/") ? (path.split("/")[0] ?? "") : "");
const inFolders = (...folders: string[]) => files.filter((f) => folders.includes(folderOf(f.path)));
const reachesInto = (imports: string[], folders: string[]) =>
  imports.filter((i) => folders.includes(folderOf(i)));

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
        reachesInto(file.app, ["slack", "http", "jobs", "incidents", "alerts", "oncall", "reports"]),
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

  it.each(inFolders("incidents", "alerts", "oncall", "reports").map((f) => [f.path, f] as const))(
    "%s reaches Slack only through the notifier port",
    (_path, file) => {
      expect(reachesInto(file.app, ["slack", "http"])).toEqual([]);
      expect(file.packages.filter((p) => p.startsWith("@slack/"))).toEqual([]);
    },
  );

  it("imports the wiring from src/main.ts only", () => {
    const importers = files.filter((f) => f.app.includes("firebreak.ts")).map((f) => f.path);
    expect(importers).toEqual(["main.ts"]);
  });
});
