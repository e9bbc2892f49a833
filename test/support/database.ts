import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, inject } from "vitest";
import { connectDatabase } from "../../src/store/connection.ts";
import { openStore, type Store } from "../../src/store/store.ts";

/** Puts the database name into a MongoDB URI, before any `?options`. */
export function withDatabaseName(uri: string, dbName: string): string {
  const [base = "", query] = uri.split("?");
  const hostPart = base.replace(/^(mongodb(?:\+srv)?:\/\/[^/]+).*$/, "$1");
  return `${hostPart}/${dbName}${query ? `?${query}` : ""}`;
}

/** A fresh database for one test file, on the run's shared server, dropped when the file ends. */
export function useTestDatabase(): { store: () => Store; uri: string; dbName: string } {
  const dbName = `test_${randomBytes(6).toString("hex")}`;
  let store: Store | undefined;
  beforeAll(async () => {
    const connection = await connectDatabase(inject("mongoUri"), { autoIndex: true, dbName });
    store = await openStore(connection, "ensure");
  });
  afterAll(async () => {
    await store?.connection.dropDatabase();
    await store?.connection.close();
  });
  return {
    uri: inject("mongoUri"),
    dbName,
    store: () => {
      if (!store) throw new Error("the test database is not connected yet (use it inside a test or hook)");
      return store;
    },
  };
}
