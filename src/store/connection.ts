import mongoose, { type Connection } from "mongoose";

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
