import { describe, expect, it } from "vitest";
import { followUpHolder, homeSummary, roleHolders } from "../../src/domain/home.ts";
import { makeIncident, NOW } from "../slack/views/incident-fixtures.ts";

const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

describe("what one person's Home holds", () => {
  const incidents = [
    makeIncident({ id: "a", number: 1, severity: "sev3", declaredAt: at(-30), roles: { comms: "UME" } }),
    makeIncident({
      id: "b",
      number: 2,
      severity: "sev1",
      declaredAt: at(-20),
      roles: { commander: "UME", scribe: "UME" },
    }),
    makeIncident({ id: "c", number: 3, severity: "sev1", declaredAt: at(-10), roles: {} }),
    makeIncident({
      id: "d",
      number: 4,
      severity: "sev2",
      declaredAt: at(-5),
      drill: true,
      roles: { commander: "UME" },
    }),
    makeIncident({ id: "e", number: 5, severity: "sev2", status: "resolved", roles: { commander: "UME" } }),
  ];
  const followUps = [
    { incidentId: "e", number: 5, seq: 2, text: "later", ownerId: "UME", createdBy: "UX", dueAt: at(60) },
    { incidentId: "e", number: 5, seq: 1, text: "undated", createdBy: "UME" },
    { incidentId: "a", number: 1, seq: 1, text: "late", ownerId: "UME", createdBy: "UX", dueAt: at(-1) },
    { incidentId: "a", number: 1, seq: 2, text: "due now", ownerId: "UME", createdBy: "UX", dueAt: NOW },
    { incidentId: "a", number: 1, seq: 3, text: "not mine", ownerId: "UX", createdBy: "UME", dueAt: at(-9) },
  ];
  const home = homeSummary({
    viewerId: "UME",
    now: NOW,
    incidents,
    followUps,
    channels: new Map([["a", "CA"]]),
    onCall: [
      { level: 1, entries: [{ kind: "user", userId: "UX" }], uncovered: [] },
      {
        level: 2,
        entries: [
          { kind: "usergroup", groupId: "SME" },
          { kind: "user", userId: "UME" },
        ],
        uncovered: [],
      },
    ],
  });

  it("groups open incidents by severity, most severe and newest first, drills and resolved ones left out", () => {
    expect(home.open.map((g) => [g.severity, g.incidents.map((i) => i.number)])).toEqual([
      ["sev1", [3, 2]],
      ["sev3", [1]],
    ]);
    expect(home.drills.map((i) => i.number)).toEqual([4]);
  });

  it("lists the open incidents and drills where the viewer holds a role, with every role held", () => {
    expect(home.mine.map((m) => [m.incident.number, m.roles])).toEqual([
      [2, ["commander", "scribe"]],
      [4, ["commander"]],
      [1, ["comms"]],
    ]);
  });

  it("splits the viewer's follow-ups (owned, or added without an owner) into overdue and open", () => {
    expect(home.overdueFollowUps.map((f) => `${f.number} ${f.id} ${f.channelId ?? "-"}`)).toEqual([
      "1 F1 CA",
      "1 F2 CA",
    ]);
    expect(home.openFollowUps.map((f) => `${f.number} ${f.id}`)).toEqual(["5 F2", "5 F1"]);
  });

  it("says at which levels the viewer is on call", () => {
    expect(home.viewerOnCallAt).toEqual([2]);
  });

  it("names whose Home a change concerns", () => {
    expect(roleHolders(makeIncident({ roles: { commander: "U1", scribe: "U2" } }))).toEqual(["U1", "U2"]);
    expect(followUpHolder({ ownerId: "U1", createdBy: "U2" })).toBe("U1");
    expect(followUpHolder({ createdBy: "U2" })).toBe("U2");
  });
});
