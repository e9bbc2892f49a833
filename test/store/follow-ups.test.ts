import { describe, expect, it } from "vitest";
import {
  addFollowUp,
  completeFollowUp,
  listFollowUps,
  type NewFollowUp,
  openFollowUps,
} from "../../src/store/follow-ups.ts";
import { useTestDatabase } from "../support/database.ts";

const followUp = (incidentId: string, text: string, dueAt?: Date): NewFollowUp => ({
  incidentId,
  workspaceId: "T1",
  number: 1,
  text,
  createdBy: "U0ALICE",
  createdAt: new Date("2026-11-08T12:00:00Z"),
  ...(dueAt && { dueAt }),
});

describe("follow-ups", () => {
  const db = useTestDatabase();
  const models = () => db.store().models;

  it("numbers 12 added at once F1 to F12, each once, and lists them in order", async () => {
    const added = await Promise.all(
      Array.from({ length: 12 }, (_, i) => addFollowUp(models(), followUp("inc-a", `task ${i}`))),
    );
    const ids = added.map((f) => f.id);
    expect(new Set(ids).size).toBe(12);
    const listed = await listFollowUps(models(), "inc-a");
    expect(listed.map((f) => f.id)).toEqual(Array.from({ length: 12 }, (_, i) => `F${i + 1}`));
    expect(listed.map((f) => f.text).sort()).toEqual(added.map((f) => f.text).sort());
  });

  it("keeps open ones in the live set until done, and marks one done once", async () => {
    const due = new Date("2026-11-09T12:00:00Z");
    await addFollowUp(models(), followUp("inc-b", "first", due));
    await addFollowUp(models(), followUp("inc-b", "second"));
    expect(
      (await openFollowUps(models(), "T1")).filter((f) => f.incidentId === "inc-b").map((f) => f.text),
    ).toEqual(["first", "second"]);
    const done = { doneAt: due, doneBy: "U0BOB" };
    expect(await completeFollowUp(models(), "inc-b", 1, done)).toMatchObject({ changed: true });
    expect(await completeFollowUp(models(), "inc-b", 1, done)).toMatchObject({ changed: false });
    expect(await completeFollowUp(models(), "inc-b", 9, done)).toBeUndefined();
    expect(
      (await openFollowUps(models(), "T1")).filter((f) => f.incidentId === "inc-b").map((f) => f.text),
    ).toEqual(["second"]);
    expect((await listFollowUps(models(), "inc-b"))[0]).toMatchObject({
      id: "F1",
      doneBy: "U0BOB",
      doneAt: due,
    });
  });
});
