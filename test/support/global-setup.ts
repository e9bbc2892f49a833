import type { TestProject } from "vitest/node";
import { startEmbeddedDb } from "../../src/store/embedded-db.ts";

declare module "vitest" {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

/**
 * One database server for the whole run: MONGODB_URI when given (a real MongoDB), else the embedded
 * FerretDB on in-memory SQLite, built on first use. Each test file then works in a database of its own.
 */
export default async function setup(project: TestProject) {
  const given = process.env.MONGODB_URI;
  if (given) {
    console.log(`[firebreak tests] database: MONGODB_URI ${given.replace(/\/\/[^@/]*@/, "//***@")}`);
    project.provide("mongoUri", given);
    return;
  }
  const db = await startEmbeddedDb({
    storage: "ephemeral",
    dataDir: ".data",
    prefer: process.env.EMBEDDED_DB === "mongodb-memory-server" ? "mongodb-memory-server" : undefined,
    onProgress: (line) => console.log(`[firebreak tests] ${line}`),
  });
  console.log(`[firebreak tests] database: ${db.dataLocation}, at ${db.uri}`);
  project.provide("mongoUri", db.uri);
  return async () => {
    await db.stop();
  };
}
