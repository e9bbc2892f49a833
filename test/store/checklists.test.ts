import { describe, expect, it } from "vitest";
import {
  createChecklists,
  getChecklists,
  noteChecklistMessage,
  setItemDone,
} from "../../src/store/checklists.ts";
import { useTestDatabase } from "../support/database.ts";

const T0 = new Date("2026-11-08T12:00:00Z");
const items = Array.from({ length: 10 }, (_, i) => ({ id: `step-${i}`, text: `Step ${i}` }));
const input = (incidentId: string) => ({
  incidentId,
  workspaceId: "T1",
  type: "database",
  runbooks: [
    { runbookId: "db", title: "Database emergency", items },
    { runbookId: "traffic", title: "High traffic", items: items.slice(0, 2) },
  ],
});

describe("incident checklists", () => {
  const db = useTestDatabase();
  const models = () => db.store().models;

  it("are created once: a second create finds the first", async () => {
    const first = await createChecklists(models(), input("inc-a"), T0);
    const again = await createChecklists(models(), { ...input("inc-a"), type: "other" }, T0);
    expect(first.created).toBe(true);
    expect(again).toEqual({ created: false, checklists: { ...first.checklists } });
    expect(await getChecklists(models(), "inc-a")).toEqual(first.checklists);
  });

  it("keep every one of 10 ticks made at once, with who and when", async () => {
    await createChecklists(models(), input("inc-b"), T0);
    const changes = await Promise.all(
      items.map((item, i) =>
        setItemDone(models(), "inc-b", { runbookId: "db", itemId: item.id }, { by: `U${i}`, at: T0 }),
      ),
    );
    expect(changes.every((c) => c.ok && c.changed)).toBe(true);
    const stored = await getChecklists(models(), "inc-b");
    expect(stored?.runbooks[0]?.items.map((item) => item.doneBy)).toEqual(items.map((_, i) => `U${i}`));
    expect(stored?.runbooks[1]?.items.every((item) => item.doneAt === undefined)).toBe(true);
  });

  it("change nothing on a repeated tick, untick, and say when the item is unknown", async () => {
    await createChecklists(models(), input("inc-c"), T0);
    const ref = { runbookId: "traffic", itemId: "step-1" };
    expect(await setItemDone(models(), "inc-c", ref, { by: "U1", at: T0 })).toMatchObject({ changed: true });
    expect(await setItemDone(models(), "inc-c", ref, { by: "U2", at: T0 })).toMatchObject({ changed: false });
    const unticked = await setItemDone(models(), "inc-c", ref, undefined);
    expect(unticked).toMatchObject({ ok: true, changed: true, item: { id: "step-1", text: "Step 1" } });
    expect((await getChecklists(models(), "inc-c"))?.runbooks[1]?.items[1]).toEqual({
      id: "step-1",
      text: "Step 1",
    });
    expect(await setItemDone(models(), "inc-c", { runbookId: "db", itemId: "nope" }, undefined)).toEqual({
      ok: false,
      reason: "no_item",
    });
    expect(await setItemDone(models(), "inc-none", ref, undefined)).toEqual({ ok: false, reason: "no_item" });
  });

  it("note each checklist's message", async () => {
    await createChecklists(models(), input("inc-d"), T0);
    await noteChecklistMessage(models(), "inc-d", "traffic", { channelId: "C1", ts: "1.2" });
    expect((await getChecklists(models(), "inc-d"))?.messages).toEqual({
      traffic: { channelId: "C1", ts: "1.2" },
    });
  });
});
