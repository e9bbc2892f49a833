import { Types } from "mongoose";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { SYSTEM_ACTOR, type TimelinePayload } from "../../src/domain/timeline.ts";
import { appendEvent, countEvents, listEvents } from "../../src/store/timeline.ts";
import { useTestDatabase } from "../support/database.ts";

const T0 = new Date("2024-05-01T12:00:00.000Z");
const ms = (n: number) => new Date(T0.getTime() + n);
const newIncidentId = () => new Types.ObjectId().toString();

describe("timeline", () => {
  const db = useTestDatabase();
  const models = () => db.store().models;
  const note = (incidentId: string, text: string, at = T0, key?: string) =>
    appendEvent(models(), { incidentId, type: "note", at, actorId: "U1", payload: { text }, key });
  const texts = (events: { payload: unknown }[]) =>
    events.map((event) => (event.payload as { text: string }).text);

  it("validates the payload before writing: a bad one throws a ZodError and stores nothing", async () => {
    const incidentId = newIncidentId();
    const bad = { from: "investigating", to: "fixed" } as unknown as TimelinePayload<"status_changed">;
    const append = appendEvent(models(), {
      incidentId,
      type: "status_changed",
      at: T0,
      actorId: "U1",
      payload: bad,
    });
    await expect(append).rejects.toBeInstanceOf(ZodError);
    expect(await countEvents(models(), incidentId)).toBe(0);
  });

  it("round-trips events of several types as plain domain events", async () => {
    const incidentId = newIncidentId();
    const pinned = {
      channelId: "C1",
      ts: "1714564800.000100",
      authorId: "U2",
      text: "the *graph* 🔥",
      postedAt: ms(-5_000),
    };
    const appended = [
      await appendEvent(models(), {
        incidentId,
        type: "declared",
        at: T0,
        actorId: "U1",
        payload: { severity: "sev1", title: "Checkout down", fromMessage: pinned },
      }),
      await appendEvent(models(), {
        incidentId,
        type: "acknowledged",
        at: ms(1),
        actorId: "U2",
        payload: {},
      }),
      await appendEvent(models(), {
        incidentId,
        type: "message_pinned",
        at: ms(2),
        actorId: "U2",
        payload: pinned,
        key: `pin:${pinned.ts}`,
      }),
      await appendEvent(models(), {
        incidentId,
        type: "channel_archived",
        at: ms(3),
        actorId: SYSTEM_ACTOR,
        payload: { channelId: "C1" },
      }),
    ];
    expect(appended.every((result) => result.created)).toBe(true);
    const [declared, acknowledged, pin] = appended.map((result) => result.event);
    expect(declared).toStrictEqual({
      id: expect.any(String),
      incidentId,
      type: "declared",
      at: T0,
      actorId: "U1",
      payload: { severity: "sev1", title: "Checkout down", fromMessage: pinned },
    });
    expect(acknowledged?.payload).toEqual({});
    expect(pin?.key).toBe(`pin:${pinned.ts}`);
    const { events, invalid } = await listEvents(models(), incidentId);
    expect(invalid).toBe(0);
    expect(events).toStrictEqual(appended.map((result) => result.event));
  });

  it("appends an event with a key once, even when 10 callers send it concurrently", async () => {
    const incidentId = newIncidentId();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => note(incidentId, "once", T0, "ack:U1")),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.event.id)).size).toBe(1);
    expect(results.every((result) => result.event.key === "ack:U1")).toBe(true);
    expect(await countEvents(models(), incidentId)).toBe(1);
    // The same key on another incident is another event.
    expect((await note(newIncidentId(), "once", T0, "ack:U1")).created).toBe(true);
  });

  it("refuses a key used by an event of another type, and the reserved auto: keys", async () => {
    const incidentId = newIncidentId();
    await note(incidentId, "first", T0, "k1");
    const other = appendEvent(models(), {
      incidentId,
      type: "reopened",
      at: T0,
      actorId: "U1",
      payload: {},
      key: "k1",
    });
    await expect(other).rejects.toThrow(/already used by a note event/);
    await expect(note(incidentId, "x", T0, "auto:mine")).rejects.toThrow(/reserved/);
    expect(await countEvents(models(), incidentId)).toBe(1);
  });

  it("lists in time order, keeping insertion order for equal times", async () => {
    const incidentId = newIncidentId();
    for (const text of ["a", "b", "c", "d", "e"]) await note(incidentId, text, ms(10));
    await note(incidentId, "earlier", ms(5));
    await note(incidentId, "later", ms(11));
    const { events } = await listEvents(models(), incidentId);
    expect(texts(events)).toEqual(["earlier", "a", "b", "c", "d", "e", "later"]);
    expect(events.every((event) => event.key === undefined)).toBe(true);
  });

  it("pages through 500 events", async () => {
    const incidentId = newIncidentId();
    // Ten events per millisecond, appended ten at a time concurrently: ties are the norm.
    for (let batch = 0; batch < 50; batch++) {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => note(incidentId, String(batch * 10 + i), ms(batch))),
      );
    }
    await note(newIncidentId(), "elsewhere");
    expect(await countEvents(models(), incidentId)).toBe(500);
    const pages = [];
    for (let skip = 0; skip < 500; skip += 120)
      pages.push(await listEvents(models(), incidentId, { skip, limit: 120 }));
    expect(pages.map((page) => page.events.length)).toEqual([120, 120, 120, 120, 20]);
    const listed = pages.flatMap((page) => texts(page.events));
    expect(listed).toEqual(Array.from({ length: 500 }, (_, i) => String(i)));
  });

  it("leaves out stored events that no longer parse and counts them", async () => {
    const incidentId = newIncidentId();
    await note(incidentId, "fine", ms(1));
    // An untyped view of the collection: these documents are what the schema no longer accepts.
    const raw = db
      .store()
      .connection.db?.collection<{ _id: string; [field: string]: unknown }>("timeline_events");
    await raw?.insertMany([
      // Keyed as appendEvent keys them: the n-th event of an incident has the `_id` `<incidentId>:<n>`.
      {
        _id: `${incidentId}:2`,
        incidentId,
        type: "note",
        at: ms(2),
        actorId: "U1",
        payload: { body: "old shape" },
        key: "legacy:1",
      },
      {
        _id: `${incidentId}:3`,
        incidentId,
        type: "retired_type",
        at: ms(3),
        actorId: "U1",
        payload: {},
        key: "legacy:2",
      },
    ]);
    await note(incidentId, "also fine", ms(4));
    const { events, invalid } = await listEvents(models(), incidentId);
    expect(texts(events)).toEqual(["fine", "also fine"]);
    expect(invalid).toBe(2);
    expect(await countEvents(models(), incidentId)).toBe(4);
  });
});
