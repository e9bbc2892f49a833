import { beforeAll, describe, expect, it } from "vitest";
import type { Incident, Severity, Status } from "../../src/domain/incident.ts";
import { claimOnce } from "../../src/store/claims.ts";
import { isDuplicateKeyError } from "../../src/store/errors.ts";
import {
  createIncident,
  getIncidentByChannel,
  getIncidentById,
  getIncidentByNumber,
  importIncidents,
  type NewIncident,
  updateIncident,
} from "../../src/store/incidents.ts";
import {
  countOpenIncidents,
  findIncidentsDueForArchive,
  listOpenIncidents,
  recentOpenEntries,
} from "../../src/store/live-incident-queries.ts";
import { useTestDatabase } from "../support/database.ts";
import { minutesAfter, newIncident } from "./fixtures.ts";

describe("incidents", () => {
  const db = useTestDatabase();
  const models = () => db.store().models;
  let ferretDb = false;

  beforeAll(async () => {
    const info = await db.store().connection.db?.admin().command({ buildInfo: 1 });
    ferretDb = Object.keys(info ?? {}).some((key) => key.toLowerCase().startsWith("ferretdb"));
  });

  const declare = async (workspaceId: string, overrides: Partial<NewIncident> = {}) =>
    (await createIncident(models(), newIncident(workspaceId, overrides))).incident;

  describe("createIncident", () => {
    it("numbers incidents 1, 2, 3 per workspace, independently across workspaces", async () => {
      const numbers = [];
      for (const workspaceId of ["TA", "TA", "TB", "TA", "TB"])
        numbers.push((await declare(workspaceId)).number);
      expect(numbers).toEqual([1, 2, 1, 3, 2]);
    });

    it("stores the declaration and returns it as a plain domain incident", async () => {
      const input = newIncident("TROUND", {
        description: "5xx from the payment provider",
        severity: "sev1",
        affectedServices: ["checkout", "payments"],
        roles: { commander: "U1", comms: "U2" },
        isPrivate: true,
        linkedNumbers: [4],
      });
      const { incident, created } = await createIncident(models(), input);
      expect(created).toBe(true);
      const { declareKey: _declareKey, ...expected } = input;
      expect(incident).toStrictEqual({
        ...expected,
        id: expect.any(String),
        number: 1,
        status: "investigating",
      });
      expect(Object.getPrototypeOf(incident)).toBe(Object.prototype);
      expect(await getIncidentById(models(), incident.id)).toEqual(incident);
    });

    it("returns the first incident to all 10 concurrent declares with one key, created once", async () => {
      const input = newIncident("TSAME");
      const results = await Promise.all(Array.from({ length: 10 }, () => createIncident(models(), input)));
      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(new Set(results.map((result) => result.incident.id)).size).toBe(1);
      expect(results.every((result) => result.incident.number === 1)).toBe(true);
      expect(await models().incidents.countDocuments({ workspaceId: "TSAME" })).toBe(1);
      // The losers used up no number.
      expect((await declare("TSAME")).number).toBe(2);
    });

    it("gives 20 concurrent declares with different keys the numbers 1 to 20, each once", async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, () => createIncident(models(), newIncident("TMANY"))),
      );
      expect(results.every((result) => result.created)).toBe(true);
      const numbers = results.map((result) => result.incident.number).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it("scopes declare keys to their workspace", async () => {
      const first = await createIncident(models(), newIncident("TKEY1", { declareKey: "shared" }));
      const second = await createIncident(models(), newIncident("TKEY2", { declareKey: "shared" }));
      expect([first.created, second.created]).toEqual([true, true]);
      expect(first.incident.id).not.toBe(second.incident.id);
    });

    it("releases the claim when the insert fails, so a retry of the same declare succeeds", async () => {
      const bad = newIncident("TRETRY", { severity: "sev9" as Severity });
      await expect(createIncident(models(), bad)).rejects.toThrow(/severity/);
      const { incident, created } = await createIncident(models(), { ...bad, severity: "sev3" });
      expect(created).toBe(true);
      expect(incident.severity).toBe("sev3");
    });

    it("fails loudly when a declare was claimed but its incident never appears", async () => {
      const input = newIncident("TSTUCK");
      expect(await claimOnce(models(), `declare:TSTUCK:${input.declareKey}`)).toBe(true);
      const started = Date.now();
      await expect(createIncident(models(), input)).rejects.toThrow(/no incident appeared/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
      expect(await models().incidents.countDocuments({ workspaceId: "TSTUCK" })).toBe(0);
    });
  });

  describe("lookups", () => {
    it("finds an incident by number, channel and id, and nothing for unknown ones", async () => {
      const first = await declare("TLOOK");
      const second = await declare("TLOOK");
      await updateIncident(models(), second.id, { channelId: "C2", channelName: "inc-2-checkout" });
      expect((await getIncidentByNumber(models(), "TLOOK", 1))?.id).toBe(first.id);
      expect(await getIncidentByNumber(models(), "TOTHER", 1)).toBeUndefined();
      expect(await getIncidentByChannel(models(), "C2")).toMatchObject({ id: second.id, channelId: "C2" });
      expect(await getIncidentByChannel(models(), "C404")).toBeUndefined();
      expect((await getIncidentById(models(), first.id))?.number).toBe(1);
      expect(await getIncidentById(models(), "65f000000000000000000000")).toBeUndefined();
      expect(await getIncidentById(models(), "not-an-id")).toBeUndefined();
    });
  });

  describe("listing open incidents", () => {
    const workspaceId = "TLIST";
    let expected: number[];

    beforeAll(async () => {
      // 200 incidents; pairs share a declaredAt (the number breaks the tie); every 7th is resolved.
      const statuses: Status[] = ["investigating", "identified", "monitoring"];
      const docs = Array.from({ length: 200 }, (_, i) => ({
        ...newIncident(workspaceId, { declaredAt: minutesAfter(Math.floor(i / 2)) }),
        linkedNumbers: [],
        number: i + 1,
        status: (i % 7 === 0 ? "resolved" : statuses[i % 3]) as Status,
      }));
      await importIncidents(models(), docs);
      await declare("TLIST-OTHER");
      expected = docs
        .filter((doc) => doc.status !== "resolved")
        .map((doc) => doc.number)
        .reverse();
    });

    it("lists open incidents newest first, in pages", async () => {
      const pages: Incident[][] = [];
      for (let skip = 0; skip < 200; skip += 50)
        pages.push(await listOpenIncidents(models(), workspaceId, { skip, limit: 50 }));
      expect(pages.map((page) => page.length)).toEqual([50, 50, 50, 21]);
      expect(pages.flat().map((incident) => incident.number)).toEqual(expected);
      expect(await countOpenIncidents(models(), workspaceId)).toBe(171);
    });

    it("returns open incidents declared since a time, newest first", async () => {
      const recent = await recentOpenEntries(models(), workspaceId, minutesAfter(95));
      // Declared at minute 95 to 99: numbers 191 to 200, without the resolved 197.
      expect(recent.map((incident) => incident.number)).toEqual([
        200, 199, 198, 196, 195, 194, 193, 192, 191,
      ]);
      expect(await recentOpenEntries(models(), workspaceId, minutesAfter(100))).toEqual([]);
    });

    it("compares titles and services from the live set, reading the incident only for an entry without them", async () => {
      const before = await recentOpenEntries(models(), workspaceId, minutesAfter(99));
      const [newest] = before;
      expect(newest).toMatchObject({
        number: 200,
        title: expect.any(String),
        affectedServices: expect.any(Array),
      });
      // An entry written before the live set kept them.
      await models().liveIncidents.updateOne(
        { _id: newest?.id },
        { $unset: { title: 1, affectedServices: 1 } },
      );
      expect(await recentOpenEntries(models(), workspaceId, minutesAfter(99))).toEqual(before);
    });
  });

  describe("updateIncident", () => {
    it("sets and unsets just the patched fields and returns the updated incident", async () => {
      const incident = await declare("TUPD");
      const acknowledged = await updateIncident(models(), incident.id, {
        acknowledgedAt: minutesAfter(1),
        acknowledgedBy: "U2",
        roles: { commander: "U2", scribe: "U3" },
        announcement: { channelId: "C1", ts: "1714564800.000100" },
      });
      expect(acknowledged).toEqual({
        ...incident,
        acknowledgedAt: minutesAfter(1),
        acknowledgedBy: "U2",
        roles: { commander: "U2", scribe: "U3" },
        announcement: { channelId: "C1", ts: "1714564800.000100" },
      });
      const reverted = await updateIncident(models(), incident.id, {
        status: "identified",
        acknowledgedAt: undefined,
        acknowledgedBy: undefined,
        announcement: undefined,
      });
      const {
        acknowledgedAt: _at,
        acknowledgedBy: _by,
        announcement: _announcement,
        ...rest
      } = acknowledged ?? incident;
      expect(reverted).toStrictEqual({ ...rest, status: "identified" });
      const stored = await models().incidents.findById(incident.id).lean();
      expect(stored).not.toHaveProperty("acknowledgedAt");
      expect(stored).not.toHaveProperty("announcement");
      expect(await getIncidentById(models(), incident.id)).toEqual(reverted);
      expect(await updateIncident(models(), incident.id, {})).toEqual(reverted);
    });

    it("validates what it sets, refuses to unset required fields, and ignores unknown incidents", async () => {
      const incident = await declare("TUPD");
      await expect(updateIncident(models(), incident.id, { status: "gone" as Status })).rejects.toThrow(
        /status/,
      );
      await expect(updateIncident(models(), incident.id, { title: undefined })).rejects.toThrow(/title/);
      expect(await getIncidentById(models(), incident.id)).toEqual(incident);
      expect(await updateIncident(models(), "65f000000000000000000000", { title: "x" })).toBeUndefined();
      expect(await updateIncident(models(), "not-an-id", { title: "x" })).toBeUndefined();
    });
  });

  // The channelId index is unique but sparse: it relies on both servers leaving incidents without a channel
  // out of it. FerretDB v1.24.2 drops the `sparse` option yet still ignores absent fields (but not nulls).
  describe("channelId uniqueness", () => {
    it("lets any number of incidents have no channel", async () => {
      await Promise.all(Array.from({ length: 5 }, () => declare("TCHAN")));
      expect(
        await models().incidents.countDocuments({ workspaceId: "TCHAN", channelId: { $exists: false } }),
      ).toBe(5);
      const indexes = await models().incidents.collection.indexes();
      const channelIndex = indexes.find((index) => index.name === "channelId_1");
      expect(channelIndex).toMatchObject({ unique: true });
      expect(channelIndex?.sparse).toBe(ferretDb ? undefined : true);
      // So on FerretDB, `syncIndexes` (openStore's "sync") sees that index as changed and rebuilds it.
      const diff = await models().incidents.diffIndexes();
      expect(diff.toDrop).toEqual(ferretDb ? ["channelId_1"] : []);
    });

    it("gives a channel to exactly one of 10 incidents that take it concurrently", async () => {
      const incidents = await Promise.all(Array.from({ length: 10 }, () => declare("TCHAN2")));
      const results = await Promise.allSettled(
        incidents.map((incident) => updateIncident(models(), incident.id, { channelId: "CRACE" })),
      );
      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
      expect(await models().incidents.countDocuments({ channelId: "CRACE" })).toBe(1);
    });

    it("rejects a channel another incident has, until that one lets it go", async () => {
      const [first, second] = [await declare("TCHAN3"), await declare("TCHAN3")];
      await updateIncident(models(), first.id, { channelId: "CTAKEN" });
      const error = await updateIncident(models(), second.id, { channelId: "CTAKEN" }).catch(
        (e: unknown) => e,
      );
      // FerretDB reports a unique violation found by an update as an InternalError (code 1), not 11000;
      // isDuplicateKeyError recognises both.
      expect(isDuplicateKeyError(error)).toBe(true);
      if (ferretDb)
        expect(error).toMatchObject({ code: 1, message: expect.stringMatching(/UNIQUE constraint/) });
      await updateIncident(models(), first.id, { channelId: undefined });
      expect(await updateIncident(models(), second.id, { channelId: "CTAKEN" })).toMatchObject({
        channelId: "CTAKEN",
      });
    });
  });

  describe("findIncidentsDueForArchive", () => {
    it("returns only resolved, unarchived incidents whose archive time has come, oldest due first", async () => {
      const now = minutesAfter(60);
      const make = async (name: string, patch: Parameters<typeof updateIncident>[2]) => {
        const incident = await declare("TARCH", { title: name });
        await updateIncident(models(), incident.id, patch);
        return name;
      };
      const resolved = { status: "resolved", resolvedAt: minutesAfter(0) } as const;
      await make("open, due", { archiveDueAt: minutesAfter(10) });
      await make("due later", { ...resolved, archiveDueAt: minutesAfter(61) });
      await make("due now", { ...resolved, archiveDueAt: now });
      await make("overdue", { ...resolved, archiveDueAt: minutesAfter(5) });
      await make("archived", { ...resolved, archiveDueAt: minutesAfter(1), archivedAt: minutesAfter(2) });
      await make("no schedule", resolved);
      const due = await findIncidentsDueForArchive(models(), now, 10);
      expect(due.map((incident) => incident.title)).toEqual(["overdue", "due now"]);
      expect(await findIncidentsDueForArchive(models(), now, 1)).toHaveLength(1);
    });
  });
});
