import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg, platform } from "node:os";

/**
 * The results table of `npm run bench`: one row per figure, each next to its floor measured in the same run
 * and the target as a ratio; printed, and written to bench/results/latest.json and latest.md.
 */

export interface Row {
  benchmark: string;
  median: string;
  p99: string;
  floor: string;
  ratio: string;
  target: string;
  /** Undefined when the row is reported without a target. */
  met: boolean | undefined;
  /** Raw figures for latest.json. */
  data: Record<string, unknown>;
}

export interface Machine {
  cores: number;
  cpuModel: string;
  node: string;
  platform: string;
  /** The 1-minute load average when the run started: above the core count, figures are provisional. */
  loadAverage: number;
  database: string;
  commit: string;
}

export function describeMachine(database: string): Machine {
  const list = cpus();
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    // The results this run rewrites do not count as a change to what was measured.
    const changed = ["status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results"];
    const dirty = execFileSync("git", changed, { encoding: "utf8" });
    if (dirty.trim() !== "") commit += " (with uncommitted changes)";
  } catch {
    // Not a git checkout (an unpacked tarball): the commit stays unknown.
  }
  return {
    cores: list.length,
    cpuModel: list[0]?.model.trim() ?? "unknown",
    node: process.version,
    platform: `${platform()} ${process.arch}`,
    loadAverage: loadavg()[0] ?? 0,
    database,
    commit,
  };
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;
export const times = (value: number) => `${value.toFixed(2)}×`;
const verdict = (met: boolean | undefined) => (met === undefined ? "—" : met ? "met" : "missed");

const COLUMNS = ["benchmark", "median", "p99", "floor", "ratio", "target", "met/missed"] as const;

function cells(row: Row): string[] {
  return [row.benchmark, row.median, row.p99, row.floor, row.ratio, row.target, verdict(row.met)];
}

function machineLines(machine: Machine): string[] {
  const busy = machine.loadAverage > machine.cores;
  return [
    `machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.platform}, node ${machine.node}`,
    `load average at start: ${machine.loadAverage.toFixed(1)}${busy ? " (busy machine: figures are provisional)" : ""}`,
    `database: ${machine.database}`,
    `commit: ${machine.commit}`,
  ];
}

/** The table as aligned text for the terminal. */
export function textTable(rows: Row[]): string {
  const all = [COLUMNS as readonly string[], ...rows.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(all[0] ?? []), widths.map((w) => "-".repeat(w)).join("  "), ...all.slice(1).map(line)].join(
    "\n",
  );
}

function markdownTable(rows: Row[]): string {
  const line = (r: readonly string[]) => `| ${r.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(COLUMNS), line(COLUMNS.map(() => "---")), ...rows.map((r) => line(cells(r)))].join("\n");
}

export function printResults(machine: Machine, rows: Row[], notes: string[]): void {
  console.log(`\n${machineLines(machine).join("\n")}\n\n${textTable(rows)}`);
  if (notes.length > 0) console.log(`\n${notes.map((n) => `- ${n}`).join("\n")}`);
}

/** Writes latest.json and latest.md; `only` marks a partial run (`--only=…`). */
export async function writeResults(
  machine: Machine,
  rows: Row[],
  notes: string[],
  only: readonly string[] | undefined,
): Promise<void> {
  const dir = "bench/results";
  await mkdir(dir, { recursive: true });
  const at = new Date().toISOString();
  await writeFile(
    `${dir}/latest.json`,
    `${JSON.stringify({ at, machine, only: only ?? null, rows, notes }, null, 2)}\n`,
  );
  const md = [
    "# `npm run bench`: latest results",
    "",
    `Run at ${at}${only ? ` (only: ${only.join(", ")})` : ""}.`,
    machine.loadAverage > machine.cores
      ? "**Provisional, under load**: the machine was busy with other work during this run (see the load average); ratios against floors measured in the same run are the figures to read."
      : "",
    "",
    ...machineLines(machine).map((l) => `- ${l}`),
    "",
    markdownTable(rows),
    "",
    ...notes.map((n) => `- ${n}`),
    "",
  ];
  await writeFile(`${dir}/latest.md`, md.join("\n").replace(/\n{3,}/g, "\n\n"));
}
