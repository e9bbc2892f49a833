import { describe, expect, it } from "vitest";
import { alertChangeText } from "../../../src/slack/views/alert-change.ts";
import { changeResultText, permissionRefusalText } from "../../../src/slack/views/incident-change.ts";
import { makeIncident } from "./incident-fixtures.ts";

const incident = makeIncident();

const NOW = new Date("2026-11-24T12:00:00Z");
const minutesAgo = (n: number) => new Date(NOW.getTime() - n * 60_000);

describe("the answer to an incident change", () => {
  it("says what was done, with the people as mentions", () => {
    const done = (result: Parameters<typeof changeResultText>[0]) => changeResultText(result, NOW);
    expect(
      done({ ok: true, incident, done: { kind: "role_assigned", number: 4, role: "comms", userId: "U1" } }),
    ).toBe("<@U1> is now the comms lead of INC-4.");
    expect(
      done({ ok: true, incident, done: { kind: "acknowledged", number: 4, escalatedTo: ["L2 <b>"] } }),
    ).toBe("You acknowledged INC-4. It had already escalated to L2 &lt;b&gt;.");
    expect(
      done({ ok: true, incident, done: { kind: "resolved", number: 4, archiveAfterMinutes: null } }),
    ).toBe("INC-4 is resolved.");
    expect(
      done({ ok: true, incident, done: { kind: "resolved", number: 4, archiveAfterMinutes: 60 } }),
    ).toMatch(/^INC-4 is resolved\. Its channel will be archived in /);
  });

  it("says why not: who acknowledged first and when, or someone else when that is not known", () => {
    expect(
      changeResultText(
        { ok: false, refusal: { kind: "already_acknowledged", number: 4, by: "U2", at: minutesAgo(3) } },
        NOW,
      ),
    ).toBe("INC-4 was already acknowledged by <@U2> 3 min ago.");
    expect(changeResultText({ ok: false, refusal: { kind: "already_acknowledged", number: 4 } }, NOW)).toBe(
      "INC-4 was already acknowledged by someone else.",
    );
    expect(
      changeResultText({ ok: false, refusal: { kind: "not_allowed", reason: "INC-4 <is> shut" } }, NOW),
    ).toBe("INC-4 &lt;is&gt; shut.");
  });

  it("names the group or channel a permission needs", () => {
    expect(permissionRefusalText({ kind: "not_in_admin_group", groupId: "S1" })).toBe(
      "Only members of <!subteam^S1> may do this.",
    );
    expect(permissionRefusalText({ kind: "not_in_incident" })).toBe(
      "Only people in the incident may do this: join its channel first.",
    );
    expect(
      permissionRefusalText({ kind: "membership_unknown", of: { channelId: "C1" }, ref: "7KQ2M9" }),
    ).toBe(
      "I could not check who is in <#C1>, so I did not do this. Please try again in a minute (ref 7KQ2M9).",
    );
  });
});

describe("the answer to an alert's buttons", () => {
  it("says who acknowledged first, or someone else, and never a broken mention", () => {
    expect(
      alertChangeText(
        { ok: false, refusal: { kind: "already_acknowledged", by: "U3", at: minutesAgo(1) } },
        NOW,
      ),
    ).toBe("Already acknowledged by <@U3> 1 min ago.");
    expect(alertChangeText({ ok: false, refusal: { kind: "already_acknowledged" } }, NOW)).toBe(
      "Already acknowledged by someone else.",
    );
  });

  it("says what was done", () => {
    expect(alertChangeText({ ok: true, done: { kind: "acknowledged", escalatedTo: ["L2"] } }, NOW)).toBe(
      "You acknowledged the alert (it had already escalated to L2 as you clicked). Escalation is stopped.",
    );
    expect(alertChangeText({ ok: false, refusal: { kind: "not_open", state: "resolved" } }, NOW)).toBe(
      "This alert is resolved: there is nothing to escalate.",
    );
  });
});
