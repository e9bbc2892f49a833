import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { incidentTypes, parseRunbook, type Runbook } from "../domain/runbook.ts";
import type { Logger } from "../logger.ts";

/**
 * The runbooks, read once at start-up from the Markdown files of a folder. A file that cannot be read or
 * whose front matter is broken is skipped and reported (in the log, and to `/incident runbook list`), never
 * fatal: the bot starts with the runbooks that did load.
 */

export interface RunbookProblem {
  file: string;
  problem: string;
}

export interface RunbookLibrary {
  runbooks: readonly Runbook[];
  /** Files skipped, and why. */
  problems: readonly RunbookProblem[];
  /** The incident types the runbooks name, for the declare form and `--type`. */
  types: readonly string[];
}

export const EMPTY_LIBRARY: RunbookLibrary = { runbooks: [], problems: [], types: [] };

/**
 * The YAML between the `---` line that opens the file and the next `---` (or `...`) line; the procedure
 * follows, for people to read. Undefined when the file does not start with front matter.
 */
export function frontMatterOf(text: string): string | undefined {
  return /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text)?.[1];
}

/** The first line of a YAML error ("… at line 3, column 5"), without the code frame under it. */
const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split("\n")[0];

/** One file's runbook, or what is wrong with it in words an operator can act on. */
export function readRunbook(fileName: string, text: string): { runbook: Runbook } | { problem: string } {
  const yaml = frontMatterOf(text);
  if (yaml === undefined) return { problem: "it does not start with front matter between two --- lines" };
  let frontMatter: unknown;
  try {
    frontMatter = parseYaml(yaml);
  } catch (error) {
    return { problem: `its front matter is not valid YAML: ${firstLine(error)}` };
  }
  const parsed = parseRunbook(fileName, frontMatter ?? {});
  return parsed.ok ? { runbook: parsed.runbook } : { problem: parsed.problem };
}

/** Reads every `*.md` file of `dir` (in name order). A missing folder is no runbooks, said once in the log. */
export async function loadRunbooks(dir: string, logger: Logger): Promise<RunbookLibrary> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith(".md")).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") logger.info({ dir }, `runbooks: no folder at ${dir}, so no checklists`);
    else logger.error({ dir, err: error }, `runbooks: could not read the folder ${dir}; no checklists`);
    return EMPTY_LIBRARY;
  }
  const runbooks: Runbook[] = [];
  const problems: RunbookProblem[] = [];
  for (const file of names) {
    let text: string;
    try {
      text = await readFile(join(dir, file), "utf8");
    } catch (error) {
      problems.push({ file, problem: `it could not be read (${(error as NodeJS.ErrnoException).code})` });
      continue;
    }
    const read = readRunbook(file, text);
    if ("problem" in read) problems.push({ file, problem: read.problem });
    else runbooks.push(read.runbook);
  }
  for (const { file, problem } of problems)
    logger.error({ dir, file, problem }, `runbook ${file} skipped: ${problem}. Fix the file and restart.`);
  logger.info(
    { dir, runbooks: runbooks.map((r) => r.id), skipped: problems.length },
    `runbooks: ${runbooks.length} loaded from ${dir}${problems.length > 0 ? `, ${problems.length} skipped` : ""}`,
  );
  return { runbooks, problems, types: incidentTypes(runbooks) };
}
