import { describe, expect, it } from "vitest";
import { onCallAt } from "../../src/domain/schedule.ts";
import {
  addOverride,
  createSchedule,
  getSchedule,
  getScheduleByName,
  listAllSchedules,
  listSchedules,
  markHandoffAnnounced,
  type NewSchedule,
  releaseHandoffAnnouncement,
} from "../../src/store/schedules.ts";
import type { Models } from "../../src/store/store.ts";
import { useTestDatabase } from "../support/database.ts";

const A = "U0ALICE";
const B = "U0BOB";
const C = "U0CAROL";
const d = (iso: string) => new Date(iso);

function newSchedule(changes: Partial<NewSchedule> = {}): NewSchedule {
  return {
    workspaceId: "T1",
    name: "Primary",
    timeZone: "Europe/London",
    members: [A, B],
    handoff: { weekday: 1, time: "09:00" },
    startsAt: d("2026-01-05T09:00:00Z"),
    createdBy: A,
    createdAt: d("2026-01-05T09:00:00Z"),
    ...changes,
  };
}

async function created(models: Parameters<typeof createSchedule>[0], input: NewSchedule) {
  const result = await createSchedule(models, input);
  if (!result.ok) throw new Error(result.error);
  return result.schedule;
}

/** Who is on call in a stored rotation at `at` (overrides applied); undefined if there is no such rotation. */
async function onCallIn(models: Models, id: string, at: Date): Promise<string | undefined> {
  const schedule = await getSchedule(models, id);
  return schedule ? onCallAt(schedule, at).userId : undefined;
}

describe("schedules", () => {
  const db = useTestDatabase();
  const models = () => db.store().models;

  it("creates a schedule and reads it back by id and by name, in any case", async () => {
    const schedule = await created(models(), newSchedule({ name: "  Primary ", timeZone: "europe/london" }));
    expect(schedule).toEqual({
      id: expect.any(String),
      workspaceId: "T1",
      name: "Primary",
      timeZone: "Europe/London",
      members: [A, B],
      handoff: { weekday: 1, time: "09:00" },
      startsAt: d("2026-01-05T09:00:00Z"),
      overrides: [],
      createdBy: A,
      createdAt: d("2026-01-05T09:00:00Z"),
    });
    expect(await getSchedule(models(), schedule.id)).toEqual(schedule);
    expect(await getScheduleByName(models(), "T1", "PRIMARY")).toEqual(schedule);
    expect(await getScheduleByName(models(), "T2", "Primary")).toBeUndefined();
    expect(await getSchedule(models(), "not-an-id")).toBeUndefined();
    expect(await getSchedule(models(), "0123456789abcdef01234567")).toBeUndefined();
  });

  it("refuses a second schedule of the same name in a workspace, with a clear error, not a throw", async () => {
    const result = await createSchedule(models(), newSchedule({ name: "primary" }));
    expect(result).toEqual({
      ok: false,
      reason: "duplicate_name",
      error: 'There is already a schedule named "primary"; pick another name.',
    });
    expect((await createSchedule(models(), newSchedule({ workspaceId: "T2" }))).ok).toBe(true);
  });

  it("creates one of several concurrent schedules of one name", async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        createSchedule(models(), newSchedule({ name: "Race", createdBy: `U0R${i}` })),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === "duplicate_name")).toHaveLength(4);
  });

  it("refuses an invalid schedule with the domain's explanation", async () => {
    const result = await createSchedule(
      models(),
      newSchedule({ name: "Bad", timeZone: "Mars/Olympus", members: [] }),
    );
    expect(result).toMatchObject({ ok: false, reason: "invalid" });
    if (result.ok) return;
    expect(result.error).toContain('"Mars/Olympus" is not a time zone');
    expect(result.error).toContain("at least one person");
  });

  it("lists a workspace's schedules by name, and all of them for jobs", async () => {
    await created(models(), newSchedule({ name: "apps" }));
    await created(models(), newSchedule({ name: "Zeta" }));
    const names = (await listSchedules(models(), "T1")).map((s) => s.name);
    expect(names).toEqual(["apps", "Primary", "Race", "Zeta"]);
    const all = await listAllSchedules(models());
    expect(all.map((s) => `${s.workspaceId}:${s.name}`)).toEqual([
      "T1:apps",
      "T1:Primary",
      "T1:Race",
      "T1:Zeta",
      "T2:Primary",
    ]);
  });

  it("adds overrides, in order, and resolves who is on call with them applied", async () => {
    const schedule = await created(models(), newSchedule({ name: "With overrides" }));
    expect(await onCallIn(models(), schedule.id, d("2026-01-07T12:00:00Z"))).toBe(A);
    expect(await onCallIn(models(), schedule.id, d("2026-01-12T09:00:00Z"))).toBe(B);

    const first = await addOverride(models(), schedule.id, {
      userId: C,
      coversUserId: A,
      from: d("2026-01-07T00:00:00Z"),
      to: d("2026-01-08T00:00:00Z"),
    });
    expect(first.ok).toBe(true);
    const second = await addOverride(models(), schedule.id, {
      userId: B,
      from: d("2026-01-07T12:00:00Z"),
      to: d("2026-01-07T13:00:00Z"),
    });
    if (!second.ok) throw new Error(second.error);
    expect(second.schedule.overrides).toEqual([
      { userId: C, coversUserId: A, from: d("2026-01-07T00:00:00Z"), to: d("2026-01-08T00:00:00Z") },
      { userId: B, from: d("2026-01-07T12:00:00Z"), to: d("2026-01-07T13:00:00Z") },
    ]);
    expect(await onCallIn(models(), schedule.id, d("2026-01-07T06:00:00Z"))).toBe(C);
    expect(await onCallIn(models(), schedule.id, d("2026-01-07T12:30:00Z"))).toBe(B);
    expect(await onCallIn(models(), schedule.id, d("2026-01-08T00:00:00Z"))).toBe(A);
    expect(await onCallIn(models(), "0123456789abcdef01234567", d("2026-01-08T00:00:00Z"))).toBeUndefined();
  });

  it("refuses an override that ends before it starts, or for a schedule that does not exist", async () => {
    const schedule = await getScheduleByName(models(), "T1", "Primary");
    const backwards = { userId: C, from: d("2026-01-08T00:00:00Z"), to: d("2026-01-07T00:00:00Z") };
    expect(await addOverride(models(), schedule?.id ?? "", backwards)).toEqual({
      ok: false,
      reason: "invalid",
      error: "An override must end after it starts.",
    });
    const fine = { userId: C, from: d("2026-01-07T00:00:00Z"), to: d("2026-01-08T00:00:00Z") };
    expect(await addOverride(models(), "0123456789abcdef01234567", fine)).toMatchObject({
      ok: false,
      reason: "not_found",
    });
    expect(await addOverride(models(), "nope", fine)).toMatchObject({ ok: false, reason: "not_found" });
  });

  it("marks a hand-off announced exactly once under 10 concurrent callers", async () => {
    const shiftStart = d("2026-01-12T09:00:00Z");
    const results = await Promise.all(
      Array.from({ length: 10 }, () => markHandoffAnnounced(models(), "s-race", shiftStart)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await markHandoffAnnounced(models(), "s-race", shiftStart)).toBe(false);
    expect(await markHandoffAnnounced(models(), "s-race", d("2026-01-19T09:00:00Z"))).toBe(true);
    expect(await markHandoffAnnounced(models(), "s-other", shiftStart)).toBe(true);
    const claim = await models().claims.findById(`handoff:s-race:${shiftStart.getTime()}`).lean();
    expect(claim).not.toBeNull();
  });

  it("lets a released announcement be claimed again", async () => {
    const shiftStart = d("2026-02-02T09:00:00Z");
    expect(await markHandoffAnnounced(models(), "s-retry", shiftStart)).toBe(true);
    expect(await releaseHandoffAnnouncement(models(), "s-retry", shiftStart)).toBe(true);
    expect(await markHandoffAnnounced(models(), "s-retry", shiftStart)).toBe(true);
  });
});
