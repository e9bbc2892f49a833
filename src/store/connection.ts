import mongoose, { type Connection } from "mongoose";
import { isDuplicateKeyError } from "./errors.ts";

export interface ConnectOptions {
  /** Dev and tests build indexes as models load; production runs `syncIndexes` once at start-up instead. */
  autoIndex: boolean;
  dbName?: string;
}

export async function connectDatabase(uri: string, options: ConnectOptions): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    autoIndex: options.autoIndex,
    dbName: options.dbName,
    serverSelectionTimeoutMS: 5_000,
    // For onDatabaseError: the driver tells of a failed command only with command monitoring on.
    monitorCommands: true,
  });
  await connection.asPromise();
  return connection;
}

/** Readiness: true only when the server answers a ping now. */
export async function pingDatabase(connection: Connection): Promise<boolean> {
  if (connection.readyState !== 1 || !connection.db) return false;
  try {
    const answer = await connection.db.admin().command({ ping: 1 }, { timeoutMS: 2_000 });
    return answer.ok === 1;
  } catch {
    return false;
  }
}

/**
 * Calls `onError` with the command's name whenever the database fails a command or a command fails on the
 * way (network), and with `hello` whenever the driver's check of the server fails (it cannot be reached).
 * A unique-key refusal is left out: it is how a claim says "taken", not a fault.
 */
export function onDatabaseError(connection: Connection, onError: (command: string) => void): void {
  const driver = connection.getClient();
  driver.on("commandFailed", (event) => {
    if (!isDuplicateKeyError(event.failure)) onError(event.commandName);
  });
  driver.on("serverHeartbeatFailed", () => onError("hello"));
}
