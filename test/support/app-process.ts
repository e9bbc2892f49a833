import { type ChildProcess, spawn } from "node:child_process";

/**
 * Firebreak as its own process, started by its real entry point the way `npm start` does (TypeScript
 * through tsx instead of the built dist/: no build step, and the same src/main.ts).
 */
const MAIN = ["--import", "tsx", "src/main.ts"];

/**
 * For tests that start the app as a process: a cold start loads the whole app, a few seconds on a quiet
 * machine but 20 s and more when its cores are shared (vitest's default test timeout here is 20 s).
 */
export const PROCESS_TEST_TIMEOUT_MS = 60_000;

export interface Exited {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface AppProcess {
  child: ChildProcess;
  exited: Promise<Exited>;
  /** Everything the process wrote to stdout so far (its JSON log lines). */
  output: () => string;
}

export function runFirebreak(env: Record<string, string>): AppProcess {
  // Only PATH and HOME from outside: no stray SLACK_* or MONGODB_URI of the developer's leaks in.
  const child = spawn(process.execPath, MAIN, {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<Exited>((done) => child.on("exit", (code) => done({ code, stdout, stderr })));
  return { child, exited, output: () => stdout };
}

/** The first output line matching `pattern`, once written. */
export async function waitForLog(output: () => string, pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const line = output()
      .split("\n")
      .find((l) => pattern.test(l));
    if (line) return line;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no log line matched ${pattern} within ${timeoutMs} ms:\n${output()}`);
}
