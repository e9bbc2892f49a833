import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer, Socket } from "node:net";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { SupervisedProcess, type SupervisionEvent } from "./supervised-process.ts";

/**
 * When MONGODB_URI is unset, Firebreak runs a MongoDB-compatible server by itself: FerretDB v1 on SQLite if
 * its binary is cached or Go can build it, else mongodb-memory-server (a real mongod, downloaded on first use).
 */

export type EmbeddedKind = "ferretdb" | "mongodb-memory-server";

export interface EmbeddedDb {
  kind: EmbeddedKind;
  uri: string;
  /** Human description of where the data lives, for the start-up log line. */
  dataLocation: string;
  /** False while a supervised FerretDB is down and being restarted; always true for mongodb-memory-server. */
  isUp(): boolean;
  /** The server process while it runs (FerretDB only), for log lines and fault tests. */
  pid(): number | undefined;
  stop(): Promise<void>;
}

export interface EmbeddedDbOptions {
  /** "ephemeral" for tests (a temporary folder, removed on stop), "persistent" for `npm start`. */
  storage: "ephemeral" | "persistent";
  dataDir: string;
  prefer?: EmbeddedKind | undefined;
  onProgress?: (line: string) => void;
  /** FerretDB died and is being restarted, or came back: for the app's log. */
  onSupervision?: (event: SupervisionEvent) => void;
}

export const FERRETDB_VERSION = "v1.24.2";
/** The cached build's name: the version and the patches scripts/ferretdb.sh applies. */
const FERRETDB_BUILD = `${FERRETDB_VERSION}-id-index-untracked-id-delete-write-queue`;
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const execFileAsync = promisify(execFile);

export class EmbeddedDbUnavailableError extends Error {}

export async function startEmbeddedDb(options: EmbeddedDbOptions): Promise<EmbeddedDb> {
  if (options.prefer !== "mongodb-memory-server") {
    const binary = await findOrBuildFerretDb(options.onProgress);
    if (binary) return startFerretDb(binary, options);
    if (options.prefer === "ferretdb") {
      throw new EmbeddedDbUnavailableError(
        "EMBEDDED_DB=ferretdb but no FerretDB binary was found and Go is not installed to build one " +
          "(run `npm run ferretdb`, or set FERRETDB_BIN).",
      );
    }
  }
  return startMongoMemoryServer(options);
}

function ferretDbCachePath(): string {
  const cacheRoot = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(cacheRoot, "firebreak", `ferretdb-${FERRETDB_BUILD}`, "ferretdb");
}

async function findOrBuildFerretDb(onProgress?: (line: string) => void): Promise<string | undefined> {
  const explicit = process.env.FERRETDB_BIN;
  if (explicit) return explicit;
  const cached = ferretDbCachePath();
  if (existsSync(cached)) return cached;
  const path = `${process.env.PATH ?? ""}:/usr/local/go/bin`;
  const hasGo = await execFileAsync("go", ["version"], { env: { ...process.env, PATH: path } }).then(
    () => true,
    () => false,
  );
  if (!hasGo) return undefined;
  onProgress?.(`Building FerretDB ${FERRETDB_VERSION} with Go (first time only, a few minutes)...`);
  const script = join(projectRoot, "scripts", "ferretdb.sh");
  const built = await new Promise<string>((done, fail) => {
    const child = spawn("bash", [script], {
      env: { ...process.env, PATH: path, FERRETDB_VERSION, FERRETDB_BUILD },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => onProgress?.(chunk.toString().trimEnd()));
    child.on("error", fail);
    child.on("exit", (code) =>
      code === 0
        ? done(out.trim().split("\n").pop() ?? cached)
        : fail(new Error(`ferretdb.sh exited ${code}`)),
    );
  });
  return built;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? done(address.port) : fail(new Error("no port")),
      );
    });
  });
}

function canConnect(path: string): Promise<boolean> {
  return new Promise((done) => {
    const socket = new Socket();
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
    socket.connect(path);
  });
}

async function startFerretDb(binary: string, options: EmbeddedDbOptions): Promise<EmbeddedDb> {
  // FerretDB's in-memory SQLite mode (`mode=memory`) allows one SQLite connection, and a findAndModify
  // needs two (its query and its write), so concurrent requests deadlock. Ephemeral data therefore lives
  // in a temporary folder, on tmpfs where the machine has one.
  const scratch = await mkdtemp(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "firebreak-ferretdb-"));
  const persistent = options.storage === "persistent";
  const dataDir = persistent ? resolve(options.dataDir, "ferretdb") : join(scratch, "data");
  await mkdir(dataDir, { recursive: true });
  const dataLocation = persistent
    ? `SQLite files under ${dataDir}`
    : `SQLite in a temporary folder ${dataDir}, removed on stop`;
  const port = await freePort();
  // The app's driver connects over a Unix socket: a command costs it about a fifth less CPU than over TCP
  // on loopback (measured). TCP stays open for tools such as mongosh.
  const socketPath = join(scratch, "ferretdb.sock");
  // Launched again on the same port, socket and data by the supervisor when it dies, so the app's driver
  // reconnects to it and nothing stored is lost (SQLite keeps what it committed).
  const launch = async () => {
    // The socket file of a FerretDB that died would refuse the new one's bind.
    await rm(socketPath, { force: true });
    const child = spawn(
      binary,
      [
        "--handler=sqlite",
        `--sqlite-url=file:${dataDir}/`,
        `--listen-addr=127.0.0.1:${port}`,
        `--listen-unix=${socketPath}`,
        "--telemetry=disable",
        "--debug-addr=-",
        `--state-dir=${scratch}`,
        "--log-level=warn",
      ],
      // Go's collector at GOGC=400 instead of 100: about a sixth less of FerretDB's CPU under alert intake
      // (measured: 4.7 against 3.9 ms an alert) for about 35 MB more memory (89 against 55 MB at most).
      { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, GOGC: "400" } },
    );
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    await waitUntilListening(child, socketPath, () => stderr);
    return child;
  };
  const server = await SupervisedProcess.start({
    launch,
    stop: stopChild,
    onEvent: options.onSupervision,
  });
  return {
    kind: "ferretdb",
    uri: `mongodb://${encodeURIComponent(socketPath)}/`,
    dataLocation: `FerretDB ${FERRETDB_VERSION}, ${dataLocation}`,
    isUp: () => server.isUp,
    pid: () => server.pid,
    stop: async () => {
      await server.stop();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

async function waitUntilListening(
  child: ChildProcess,
  socketPath: string,
  stderr: () => string,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`FerretDB exited with ${child.exitCode}: ${stderr()}`);
    if (await canConnect(socketPath)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`FerretDB did not listen on ${socketPath} within 30 s: ${stderr()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      done();
    });
    child.kill("SIGTERM");
  });
}

async function startMongoMemoryServer(options: EmbeddedDbOptions): Promise<EmbeddedDb> {
  let module: typeof import("mongodb-memory-server");
  try {
    module = await import("mongodb-memory-server");
  } catch {
    throw new EmbeddedDbUnavailableError(
      "No database: MONGODB_URI is unset, FerretDB is not built and Go is not installed to build it, " +
        "and mongodb-memory-server is not installed. Either set MONGODB_URI to a MongoDB server, install Go " +
        "(then `npm run ferretdb`), or `npm install mongodb-memory-server` (it downloads mongod on first use).",
    );
  }
  const persistent = options.storage === "persistent";
  const dbPath = resolve(options.dataDir, "mongod");
  if (persistent) await mkdir(dbPath, { recursive: true });
  const server = await module.MongoMemoryServer.create(
    persistent ? { instance: { dbPath, storageEngine: "wiredTiger" } } : {},
  );
  return {
    kind: "mongodb-memory-server",
    uri: server.getUri(),
    dataLocation: persistent ? `mongod files under ${dbPath}` : "mongod in memory",
    isUp: () => true,
    pid: () => undefined,
    stop: async () => {
      await server.stop();
    },
  };
}
