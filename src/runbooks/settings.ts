import { resolve } from "node:path";
import { z } from "zod";

/** The runbooks' settings: the piece of the environment they read, its hint, and the parsed section. */

export const DEFAULT_RUNBOOKS_DIR = "runbooks";

export const RUNBOOK_HINTS: Record<string, string> = {
  RUNBOOKS_DIR:
    "The folder of runbook Markdown files, relative to where Firebreak starts or absolute (default runbooks).",
};

export const runbookEnv = {
  RUNBOOKS_DIR: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.string().trim().default(DEFAULT_RUNBOOKS_DIR),
  ),
};

export interface RunbookSettings {
  /** Absolute path of the runbooks folder. */
  dir: string;
}

export function runbookSettings(env: { RUNBOOKS_DIR: string }): RunbookSettings {
  return { dir: resolve(env.RUNBOOKS_DIR) };
}
