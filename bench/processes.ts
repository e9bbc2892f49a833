import { type ChildProcess, spawn } from "node:child_process";
import { openSync, readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { Cleanup } from "./harness.ts";

/**
 * The bot and the floor each run in a process of their own, as in production: the bench process (the load
 * generator's parent, the fake Slack, the database checks) never shares an event loop with what it measures.
 */

export interface ChildApp {
  name: string;
  url: string;
  pid: number;
  /** Where its stdout and stderr go, for when it fails. */
  logFile: string;
  /** Milliseconds from spawn to the first 200 from its readiness path. */
  readyMs: number;
  stop(): Promise<void>;
}

/** A port free at the moment of asking (the child binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

export interface SpawnOptions {
  name: string;
  /** node arguments: the script and its loader flags. */
  args: string[];
  env: Record<string, string>;
  port: number;
  /** GET path answering 200 once the process can take work. */
  readyPath: string;
  timeoutMs?: number;
}

/** Spawns a node process, waits for its readiness path to answer 200, and registers its stop with `cleanup`. */
export async function spawnApp(cleanup: Cleanup, options: SpawnOptions): Promise<ChildApp> {
  const logFile = join(tmpdir(), `firebreak-bench-${options.name}-${process.pid}.log`);
  const out = openSync(logFile, "w");
  const started = performance.now();
  const child = spawn(process.execPath, options.args, {
    env: { ...process.env, ...options.env, PORT: String(options.port) },
    stdio: ["ignore", out, out],
  });
  let exited = false;
  const exit = new Promise<void>((done) => child.once("exit", () => done()));
  void exit.then(() => {
    exited = true;
  });
  const stop = () => stopChild(child, exit);
  cleanup.add(options.name, stop);
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = started + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (exited) throw new Error(`${options.name} exited before it was ready:\n${await tail(logFile)}`);
    const status = await fetch(`${url}${options.readyPath}`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    if (performance.now() > deadline)
      throw new Error(
        `${options.name} was not ready after ${options.timeoutMs ?? 120_000} ms:\n${await tail(logFile)}`,
      );
    await sleep(10);
  }
  return {
    name: options.name,
    url,
    pid: child.pid ?? 0,
    logFile,
    readyMs: performance.now() - started,
    stop,
  };
}

async function stopChild(child: ChildProcess, exit: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const stopped = await Promise.race([
    exit.then(() => true),
    sleep(12_000, undefined, { ref: false }).then(() => false),
  ]);
  if (!stopped) {
    child.kill("SIGKILL");
    await exit;
  }
}

async function tail(file: string): Promise<string> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text.split("\n").slice(-30).join("\n");
}

/** Resident set size of a process in MB, from /proc (Linux); undefined elsewhere. */
export async function rssMb(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => undefined);
  const kb = status && /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  return kb ? Number(kb) / 1024 : undefined;
}

/** The ids of a process's direct children (Linux). */
export async function childPids(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "");
  return text.trim().split(/\s+/).filter(Boolean).map(Number);
}

/**
 * `node dist/main.js`: the built app, as `npm start` runs it. With BENCH_CPU_PROF=<folder> it writes a CPU
 * profile there when it stops (open it in Chrome's DevTools), to see what a slow figure is made of.
 */
export const BUILT_APP = [
  ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
  "dist/main.js",
];
/** The floor, run through tsx like the bench itself. */
export const FLOOR_APP = ["--import", "tsx", "bench/floor-app.ts"];

/**
 * CPU time of a process's main thread so far, in ms, from /proc/<pid>/schedstat (Linux, ns resolution);
 * undefined elsewhere. Far less sensitive to a busy machine than latency: what a request costs, not waits.
 */
export async function mainThreadCpuMs(pid: number): Promise<number | undefined> {
  const text = await readFile(`/proc/${pid}/schedstat`, "utf8").catch(() => undefined);
  const ns = text ? Number(text.split(" ")[0]) : Number.NaN;
  return Number.isFinite(ns) ? ns / 1e6 : undefined;
}

/** CPU milliseconds (user + system) a process of this machine has used so far; undefined once it is gone. */
export function cpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime and stime: fields 14 and 15 of stat (11 and 12 after the command name), in 1/100 s.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * The local process serving `mongodbUri` (the embedded database), if there is one: the one listening on
 * its Unix socket (the embedded FerretDB's), or on its port.
 */
export function databasePid(mongodbUri: string): number | undefined {
  const host = decodeURIComponent(mongodbUri.replace(/^mongodb:\/\//, "").split("/")[0] ?? "");
  const port = /:(\d+)$/.exec(host)?.[1];
  const marks = host.startsWith("/") ? [`=${host}\0`] : port ? [`:${port}\0`, `--port\0${port}\0`] : [];
  if (marks.length === 0) return undefined;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (marks.some((mark) => cmdline.includes(mark))) return Number(pid);
    } catch {
      // The process ended while it was read: not the database.
    }
  }
  return undefined;
}
