import { randomBytes } from "node:crypto";
import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { getLookup, putLookup } from "../../src/store/lookups.ts";
import { sharedRead } from "../../src/store/shared-reads.ts";
import { openStore, type Store } from "../../src/store/store.ts";

// Reads of one document asked for in one turn of the event loop (a burst's handlers resumed together) are
// one database command; a read asked later, after a write, is a command of its own and sees the write.
describe("shared reads", () => {
  let connection: mongoose.Connection;
  let store: Store;
  let finds: string[] = [];

  beforeAll(async () => {
    connection = mongoose.createConnection(inject("mongoUri"), {
      dbName: `shared_${randomBytes(6).toString("hex")}`,
      monitorCommands: true,
    });
    await connection.asPromise();
    store = await openStore(connection, "ensure");
    connection.getClient().on("commandStarted", (event) => {
      if (event.commandName === "find") finds.push(String(event.command.find));
    });
  });
  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  it("sends one find for the same document asked for 50 times in one turn", async () => {
    await putLookup(store.models, "incident-channel:C0SHARED", "abc");
    finds = [];
    const refs = await Promise.all(
      Array.from({ length: 50 }, () => getLookup(store.models, "incident-channel:C0SHARED")),
    );
    expect(refs).toEqual(Array(50).fill("abc"));
    expect(finds).toEqual(["lookups"]);
  });

  it("sends a read asked after the first was sent on its own, and it sees a write made in between", async () => {
    await putLookup(store.models, "incident-channel:C0LATER", "before");
    finds = [];
    const first = getLookup(store.models, "incident-channel:C0LATER");
    await new Promise((sent) => setImmediate(sent));
    await putLookup(store.models, "incident-channel:C0LATER", "after");
    expect(await getLookup(store.models, "incident-channel:C0LATER")).toBe("after");
    await first;
    expect(finds).toEqual(["lookups", "lookups"]);
  });

  it("gives each caller its own copy of the document", async () => {
    const doc = { _id: new mongoose.Types.ObjectId(), tags: ["a"], at: new Date(0), nested: { n: 1 } };
    const [a, b] = await Promise.all([
      sharedRead(store.models.alerts, "copy", async () => doc),
      sharedRead(store.models.alerts, "copy", async () => doc),
    ]);
    expect(b).toEqual(a);
    b?.tags.push("b");
    b?.at.setTime(1);
    if (b) b.nested.n = 2;
    expect(a).toEqual({ _id: doc._id, tags: ["a"], at: new Date(0), nested: { n: 1 } });
  });

  it("rejects every caller of a read that failed", async () => {
    const failing = () =>
      sharedRead(store.models.alerts, "fails", async () => {
        throw new Error("database went away");
      });
    const settled = await Promise.allSettled([failing(), failing()]);
    expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected"]);
  });
});
