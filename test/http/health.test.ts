import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedDb, startEmbeddedDb } from "../../src/store/embedded-db.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

// This file stops its database on purpose, so it runs its own server instead of the run's shared one.
describe("health endpoints", () => {
  let db: EmbeddedDb;
  let t: TestApp;
  beforeAll(async () => {
    db = await startEmbeddedDb({ storage: "ephemeral", dataDir: ".data" });
    t = await startTestApp({ env: { MONGODB_URI: `${db.uri}health` } });
  });
  afterAll(async () => {
    await t.stop({ keepData: true });
    await db.stop();
  });

  const get = async (path: string) => {
    const response = await fetch(`${t.url}${path}`);
    return { status: response.status, body: await response.json() };
  };

  it("/healthz says the process is up", async () => {
    expect(await get("/healthz")).toEqual({ status: 200, body: { status: "ok" } });
  });

  it("/readyz is 200 while the database answers and the Slack token worked", async () => {
    expect(await get("/readyz")).toEqual({
      status: 200,
      body: { status: "ready", checks: { database: true, slack: true } },
    });
  });

  it("unknown paths outside Slack's get a 404 with a reason", async () => {
    const response = await fetch(`${t.url}/nope`);
    expect(response.status).toBe(404);
  });

  it("/readyz turns 503 when the database stops, while /healthz stays 200", async () => {
    await db.stop();
    expect(await get("/readyz")).toEqual({
      status: 503,
      body: { status: "not ready", checks: { database: false, slack: true } },
    });
    expect((await get("/healthz")).status).toBe(200);
  });
});
