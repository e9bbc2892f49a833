import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listFollowUps } from "../../src/store/follow-ups.ts";
import { getPostmortem } from "../../src/store/postmortems.ts";
import { TestClock } from "../support/clock.ts";
import { IncidentDriver } from "../support/incident-driver.ts";
import { alice, waitForChannelOf, waitForIncident } from "../support/incident-e2e.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

// Follow-up due dates as people type them, read in REPORT_TIMEZONE; follow-up and postmortem commands
// that name their incident from another channel; and a drill, which gets no postmortem. Over the real
// receiver and database, on the test clock.

/** Tuesday 10 November 2026, 09:00 in New York (14:00 UTC). */
const TUESDAY_9AM_NEW_YORK = "2026-11-10T14:00:00Z";
const bob = { id: "U0BOB", name: "bob" };

describe("follow-up due dates and incidents named from elsewhere", () => {
  let t: TestApp;
  let drive: IncidentDriver;
  let channel = "";
  let incidentId = "";
  beforeAll(async () => {
    t = await startTestApp({
      clock: new TestClock(TUESDAY_9AM_NEW_YORK),
      env: { REPORT_TIMEZONE: "America/New_York", REPORT_CRON: "off", REPORT_WEEKLY_CRON: "off" },
    });
    t.slack.addUser(alice);
    t.slack.addUser(bob);
    drive = new IncidentDriver(t);
    const { responseId } = await drive.incident(alice, "declare sev2 Checkout is failing");
    await drive.answer(responseId, /declared/);
    channel = await waitForChannelOf(t, 1);
    incidentId = (await waitForIncident(t, 1)).id;
  });
  afterAll(() => t.stop());

  const command = async (line: string, where = channel) => {
    const { responseId } = await drive.incident(alice, line, where);
    return (await drive.answer(responseId)).text;
  };
  const dueOf = async (id: string) =>
    (await listFollowUps(t.firebreak.store.models, incidentId))
      .find((f) => f.id === id)
      ?.dueAt?.toISOString();

  it("reads relative due dates in the report time zone, due at 17:00 there unless a time is given", async () => {
    expect(await command(`followup add Add a canary <@${bob.id}|bob> in 3d`)).toContain("*F1* Add a canary");
    expect(await command("followup add Write the runbook tomorrow")).toContain("*F2* Write the runbook");
    expect(await command("followup add Review alerts friday 10:30")).toContain("*F3* Review alerts");
    expect(await command("followup add Rotate the key in 4h")).toContain("*F4* Rotate the key");
    expect(await command("followup add Tidy dashboards 2026-12-01")).toContain("*F5* Tidy dashboards");
    // 17:00 in New York is 22:00 UTC in November (EST, UTC-5).
    expect(await dueOf("F1")).toBe("2026-11-13T22:00:00.000Z");
    expect(await dueOf("F2")).toBe("2026-11-11T22:00:00.000Z");
    expect(await dueOf("F3")).toBe("2026-11-13T15:30:00.000Z");
    expect(await dueOf("F4")).toBe("2026-11-10T18:00:00.000Z");
    expect(await dueOf("F5")).toBe("2026-12-01T22:00:00.000Z");
    expect((await listFollowUps(t.firebreak.store.models, incidentId))[0]?.ownerId).toBe(bob.id);
  });

  it("refuses a due date in the past, saying when that was and what time it is there now", async () => {
    const before = (await listFollowUps(t.firebreak.store.models, incidentId)).length;
    expect(await command("followup add Backfill the metrics 2026-11-09")).toBe(
      "That due date, 2026-11-09 17:00 (America/New_York), has already passed: it is 2026-11-10 09:00 there now. Give one still to come, like tomorrow, friday or in 3d.",
    );
    expect(await command("followup add Backfill the metrics today 08:30")).toContain("has already passed");
    expect(await listFollowUps(t.firebreak.store.models, incidentId)).toHaveLength(before);
  });

  it("lets follow-up and postmortem commands name the incident from another channel", async () => {
    const elsewhere = "C0GENERAL";
    expect(await command("followup list", elsewhere)).toContain("not an incident channel");
    expect(await command("followup INC-1 add Page less often 2d", elsewhere)).toContain(
      "Added to INC-1: :white_square: *F6* Page less often",
    );
    expect(await command("followup done #1 F6", elsewhere)).toBe(":white_check_mark: F6 of INC-1 is done.");
    expect(await command("followup #1 list", elsewhere)).toContain("*Follow-ups of INC-1* (5 open of 6)");
    expect(await command("followup INC-9 list", elsewhere)).toBe("There is no INC-9.");
    expect(await command("postmortem INC-1", elsewhere)).toContain(
      "Postmortem draft 1 of INC-1 is on its way",
    );
    expect(await command("postmortem #1 done https://docs.example.com/pm/1", elsewhere)).toBe(
      ":white_check_mark: The postmortem of INC-1 is recorded: https://docs.example.com/pm/1",
    );
    expect(await getPostmortem(t.firebreak.store.models, incidentId)).toMatchObject({
      link: "https://docs.example.com/pm/1",
    });
  });

  it("gives a drill no postmortem, and says why", async () => {
    const { responseId } = await drive.incident(alice, "declare --drill sev1 Practice: payments down");
    await drive.answer(responseId, /declared/);
    const drillChannel = await waitForChannelOf(t, 2);
    const drill = await waitForIncident(t, 2);
    const refusal =
      "INC-2 is a drill, so it gets no postmortem: drills stay out of reports and owe nothing afterwards.";
    expect(await command("postmortem", drillChannel)).toBe(refusal);
    expect(await command("postmortem done https://docs.example.com/pm/2", drillChannel)).toBe(refusal);
    expect(await command("postmortem INC-2")).toBe(refusal);
    expect(await getPostmortem(t.firebreak.store.models, drill.id)).toBeUndefined();
  });
});
