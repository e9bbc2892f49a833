import { randomBytes } from "node:crypto";
import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { submittedChange } from "../../src/domain/change.ts";
import { buildHome } from "../../src/home/home.ts";
import { onCallLookup } from "../../src/oncall/lookup.ts";
import { readStatusSnapshot } from "../../src/status-page/snapshot.ts";
import { findIncidentEscalation, recordFiring } from "../../src/store/alert-firings.ts";
import { importAlerts } from "../../src/store/alert-import.ts";
import { appendFiredStep, readDueAlerts, updateAlert } from "../../src/store/alerts.ts";
import { findDueTimers } from "../../src/store/armed-alerts.ts";
import {
  addLinkedIncident,
  createChange,
  implementingChanges,
  openChanges,
  stepChange,
} from "../../src/store/changes.ts";
import {
  createChecklists,
  getChecklists,
  noteChecklistMessage,
  setItemDone,
} from "../../src/store/checklists.ts";
import { addFollowUp } from "../../src/store/follow-ups.ts";
import {
  addLinkedNumber,
  createIncident,
  getIncidentByChannel,
  getIncidentByNumber,
  updateIncident,
} from "../../src/store/incidents.ts";
import {
  countOpenIncidents,
  findIncidentsDueForArchive,
  findIncidentsDueForUpdate,
  listOpenIncidents,
  recentOpenEntries,
} from "../../src/store/live-incident-queries.ts";
import { maintenanceCalendar } from "../../src/store/maintenance.ts";
import { savePublicIncident } from "../../src/store/status-page.ts";
import { openStore, type Store } from "../../src/store/store.ts";
import { appendEvent, countEvents, listEvents, wasMessagePinned } from "../../src/store/timeline.ts";
import { TestClock } from "../support/clock.ts";
import { filtersOf, isIdLookup } from "../support/command-filters.ts";
import { firing, minutesAfter, newIncident, POLICY, T0 } from "./fixtures.ts";

/**
 * Scale without timing: on FerretDB v1 only `_id` equality is answered in constant time, so every query a
 * hot path sends to a collection that grows with history must select by `_id` alone. The commands are
 * recorded as the driver sends them (command monitoring). The live sets (`live_incidents`,
 * `armed_alerts`, `status_page_open`) hold only what has work ahead, so scanning them is the point.
 */
const LIVE_SETS = new Set(["live_incidents", "armed_alerts", "status_page_open"]);

interface Sent {
  name: string;
  collection: string;
  filters: Record<string, unknown>[];
}

describe("every hot path reads the growing collections by _id only", () => {
  const dbName = `test_hot_${randomBytes(6).toString("hex")}`;
  let connection: mongoose.Connection;
  let store: Store;
  let sent: Sent[] = [];
  const models = () => store.models;

  beforeAll(async () => {
    connection = mongoose.createConnection(inject("mongoUri"), {
      dbName,
      autoIndex: true,
      monitorCommands: true,
    });
    await connection.asPromise();
    store = await openStore(connection, "ensure");
    connection.getClient().on("commandStarted", (event) => {
      const command = event.command as Record<string, unknown>;
      const collection = command[event.commandName];
      if (typeof collection !== "string") return;
      sent.push({ name: event.commandName, collection, filters: filtersOf(event.commandName, command) });
    });
  });
  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  /** Runs `work` and returns the scans it sent to collections that grow with history. */
  async function scansOf(work: () => Promise<unknown>): Promise<Sent[]> {
    sent = [];
    await work();
    const recorded = sent;
    expect(recorded.length).toBeGreaterThan(0);
    return recorded.filter(
      (command) =>
        !LIVE_SETS.has(command.collection) && command.filters.some((filter) => !isIdLookup(filter)),
    );
  }

  it("alert intake: a new alert, its repeats and its resolution", async () => {
    const context = { now: T0, paging: true, policy: POLICY };
    expect(await scansOf(() => recordFiring(models(), firing("hot"), context))).toEqual([]);
    expect(await scansOf(() => recordFiring(models(), firing("hot"), context))).toEqual([]);
    expect(await scansOf(() => recordFiring(models(), firing("hot", "resolved"), context))).toEqual([]);
    // Once per batch: the approved maintenance windows its services are checked against.
    expect(await scansOf(() => maintenanceCalendar(models()))).toEqual([]);
  });

  it("alert intake: a repeat of an alert another process opened (no hint in this process)", async () => {
    const opened = await recordFiring(models(), firing("elsewhere"), {
      now: T0,
      paging: true,
      policy: POLICY,
    });
    if (opened.kind !== "opened") throw new Error(`expected an opened alert, got ${opened.kind}`);
    const { id, ...alert } = opened.alert;
    const [imported] = await importAlerts(models(), [{ ...alert, fingerprint: "imported" }]);
    const repeat = await scansOf(async () => {
      const outcome = await recordFiring(models(), firing("imported"), {
        now: T0,
        paging: true,
        policy: POLICY,
      });
      expect(outcome).toMatchObject({ kind: "repeated", alert: { id: imported } });
    });
    expect(repeat).toEqual([]);
  });

  it("escalation: the due timers, a fired step, a change of an alert, an incident's escalation", async () => {
    const opened = await recordFiring(models(), firing("timer"), { now: T0, paging: true, policy: POLICY });
    if (opened.kind !== "opened") throw new Error(`expected an opened alert, got ${opened.kind}`);
    const id = opened.alert.id;
    expect(await scansOf(() => findDueTimers(models(), minutesAfter(1), 50))).toEqual([]);
    expect(await scansOf(() => readDueAlerts(models(), [id], minutesAfter(1)))).toEqual([]);
    const step = { step: 0, at: T0, paged: ["U1"] };
    const next = { nextStep: 1, nextDueAt: minutesAfter(5) };
    expect(await scansOf(() => appendFiredStep(models(), id, step, next))).toEqual([]);
    expect(
      await scansOf(() => updateAlert(models(), id, { message: { channelId: "C1", ts: "1.2" } })),
    ).toEqual([]);
    expect(await scansOf(() => findIncidentEscalation(models(), "some-incident"))).toEqual([]);
  });

  it("incidents: declare (and its retry), by channel and number, changes, lists and due work", async () => {
    const input = newIncident("THOT");
    await createIncident(models(), newIncident("THOT")); // the workspace's sequence exists from here on
    let id = "";
    expect(
      await scansOf(async () => {
        id = (await createIncident(models(), input)).incident.id;
      }),
    ).toEqual([]);
    expect(await scansOf(() => createIncident(models(), input))).toEqual([]);
    expect(
      await scansOf(() => updateIncident(models(), id, { channelId: "CHOT", severity: "sev1" })),
    ).toEqual([]);
    expect(await scansOf(() => addLinkedNumber(models(), id, 1))).toEqual([]);
    expect(await scansOf(() => getIncidentByChannel(models(), "CHOT"))).toEqual([]);
    expect(await scansOf(() => getIncidentByChannel(models(), "C-not-an-incident"))).toEqual([]);
    expect(await scansOf(() => getIncidentByNumber(models(), "THOT", 2))).toEqual([]);
    expect(await scansOf(() => listOpenIncidents(models(), "THOT", { skip: 0, limit: 25 }))).toEqual([]);
    expect(await scansOf(() => countOpenIncidents(models(), "THOT"))).toEqual([]);
    expect(await scansOf(() => recentOpenEntries(models(), "THOT", T0, "other"))).toEqual([]);
    expect(await scansOf(() => findIncidentsDueForUpdate(models(), minutesAfter(60), 50))).toEqual([]);
    expect(await scansOf(() => findIncidentsDueForArchive(models(), minutesAfter(60), 50))).toEqual([]);
  });

  it("timeline: appends with and without a key, a page, the count and the pinned check", async () => {
    const incidentId = (await createIncident(models(), newIncident("THOT"))).incident.id;
    const note = (text: string, key?: string) =>
      appendEvent(models(), { incidentId, type: "note", at: T0, actorId: "U1", payload: { text }, key });
    expect(await scansOf(() => note("first"))).toEqual([]);
    expect(await scansOf(() => note("keyed", "k1"))).toEqual([]);
    expect(await scansOf(() => note("keyed", "k1"))).toEqual([]);
    expect(await scansOf(() => listEvents(models(), incidentId, { skip: 0, limit: 25 }))).toEqual([]);
    expect(await scansOf(() => countEvents(models(), incidentId))).toEqual([]);
    expect(await scansOf(() => wasMessagePinned(models(), incidentId, "1.1"))).toEqual([]);
  });

  it("App Home: the open incidents, the viewer's follow-ups (of a resolved incident too) and who is on call", async () => {
    const parsed = parseConfig({
      SLACK_BOT_TOKEN: "xoxb-hot",
      SLACK_SIGNING_SECRET: "hot-paths-signing-secret",
      ESCALATION_POLICY: JSON.stringify({ levels: [{ afterMinutes: 0, targets: ["schedule:primary"] }] }),
    });
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    const open = (await createIncident(models(), newIncident("THOME"))).incident;
    const resolved = (await createIncident(models(), newIncident("THOME"))).incident;
    await updateIncident(models(), resolved.id, { status: "resolved", resolvedAt: T0 });
    for (const incident of [open, resolved])
      await addFollowUp(models(), {
        incidentId: incident.id,
        workspaceId: "THOME",
        number: incident.number,
        text: "Rotate the key",
        ownerId: "U1",
        createdBy: "U1",
        createdAt: T0,
      });
    const ctx = { config: parsed.config, store, clock: new TestClock(T0), onCall: onCallLookup(models()) };
    const scans = await scansOf(() => buildHome(ctx, "THOME", "U1"));
    // open_follow_ups is the live set of open follow-ups; schedules are a handful, and paging reads them too.
    expect(scans.filter((s) => !["open_follow_ups", "schedules"].includes(s.collection))).toEqual([]);
  });

  it("changes: a request (and its retry), a step, the live sets every declare and /change list read", async () => {
    const fields = {
      type: "emergency" as const,
      title: "Rotate the TLS certificates",
      description: "",
      risk: "low" as const,
      scheduledAt: T0,
      affectedServices: ["edge"],
      rollbackPlan: "Put the old ones back",
      testingPlan: "Checked on staging",
    };
    const create = () =>
      createChange(models(), { workspaceId: "THOT", requestKey: "V1" }, (ids) =>
        submittedChange({ ...ids, workspaceId: "THOT", requesterId: "U1", ...fields }, T0),
      );
    let id = "";
    expect(
      await scansOf(async () => {
        id = (await create())?.id ?? "";
      }),
    ).toEqual([]);
    expect(await scansOf(create)).toEqual([]);
    const schedule = (current: Parameters<Parameters<typeof stepChange>[2]>[0]) => ({
      ok: true as const,
      change: { ...current, status: "implementing" as const },
      stepKey: "status:implementing",
    });
    expect(await scansOf(() => stepChange(models(), id, schedule))).toEqual([]);
    expect(await scansOf(() => addLinkedIncident(models(), id, 7))).toEqual([]);
    expect(await scansOf(() => implementingChanges(models(), "THOT"))).toEqual([]);
    expect(await scansOf(() => openChanges(models(), "THOT"))).toEqual([]);
  });

  it("runbook checklists: created (and its retry), read, ticked, unticked, their message noted", async () => {
    const input = {
      incidentId: "inc-hot",
      workspaceId: "THOT",
      runbooks: [{ runbookId: "db", title: "DB", items: [{ id: "a", text: "A" }] }],
    };
    const item = { runbookId: "db", itemId: "a" };
    expect(await scansOf(() => createChecklists(models(), input, T0))).toEqual([]);
    expect(await scansOf(() => createChecklists(models(), input, T0))).toEqual([]);
    expect(await scansOf(() => getChecklists(models(), "inc-hot"))).toEqual([]);
    expect(await scansOf(() => setItemDone(models(), "inc-hot", item, { by: "U1", at: T0 }))).toEqual([]);
    expect(await scansOf(() => setItemDone(models(), "inc-hot", item, undefined))).toEqual([]);
    const message = { channelId: "C1", ts: "1.2" };
    expect(await scansOf(() => noteChecklistMessage(models(), "inc-hot", "db", message))).toEqual([]);
  });

  it("status page: publishing, a public update, resolving, and every read of the page", async () => {
    const incidentId = (await createIncident(models(), newIncident("THOT"))).incident.id;
    const fields = {
      number: 1,
      name: "Partial outage: checkout",
      services: ["checkout"],
      severity: "sev2" as const,
      status: "investigating" as const,
      published: true,
      declaredAt: T0,
    };
    const update = (key: string) => ({
      key,
      at: T0,
      status: "investigating" as const,
      body: "We are on it.",
    });
    expect(
      await scansOf(() => savePublicIncident(models(), incidentId, fields, T0, update("initial"))),
    ).toEqual([]);
    expect(await scansOf(() => savePublicIncident(models(), incidentId, fields, T0, update("u1")))).toEqual(
      [],
    );
    const resolved = { ...fields, status: "resolved" as const, resolvedAt: minutesAfter(60 * 30) };
    expect(await scansOf(() => savePublicIncident(models(), incidentId, resolved, T0))).toEqual([]);
    const clock = { now: () => minutesAfter(60 * 48) };
    const config = { statusPage: { title: "Status", services: ["search"], url: undefined } } as never;
    expect(await scansOf(() => readStatusSnapshot({ store, clock, config }))).toEqual([]);
  });

  it("sees a scan when there is one: the recorder is not blind", async () => {
    const scans = await scansOf(() => models().incidents.findOne({ channelId: "CHOT" }).lean());
    expect(scans).toHaveLength(1);
  });
});
