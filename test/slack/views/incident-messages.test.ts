import { describe, expect, it } from "vitest";
import { incidentKey } from "../../../src/domain/incident.ts";
import { DEFAULT_SEVERITY_POLICY } from "../../../src/domain/severity.ts";
import { INCIDENT_ACTIONS } from "../../../src/slack/ids.ts";
import { slackDateToken } from "../../../src/slack/mrkdwn.ts";
import { announcementMessage } from "../../../src/slack/views/announcement.ts";
import { escapedWithin, splitMrkdwn, truncateMrkdwn } from "../../../src/slack/views/blocks.ts";
import { kickoffMessage } from "../../../src/slack/views/kickoff.ts";
import {
  incidentStatusSummary,
  resolvedMessage,
  statusUpdateMessage,
} from "../../../src/slack/views/status-updates.ts";
import {
  blockTexts,
  buttons,
  DECLARED_AT,
  EVIL,
  EVIL_ESCAPED,
  expectNoRawEvil,
  expectValidMessage,
  incidentShapes,
  LONG_DESCRIPTION,
  makeIncident,
  NOW,
} from "./incident-fixtures.ts";

const policyOf = (severity: keyof typeof DEFAULT_SEVERITY_POLICY) => DEFAULT_SEVERITY_POLICY[severity];
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

describe("shared mrkdwn helpers", () => {
  it("escapedWithin cuts the raw text so the escaped form fits, never splitting an entity", () => {
    const text = "a&b".repeat(100);
    const out = escapedWithin(text, 50);
    expect(out.length).toBeLessThanOrEqual(50);
    expect(out.endsWith("…")).toBe(true);
    expect(out.replace(/&amp;/g, "")).not.toContain("&");
    expect(escapedWithin("short & sweet", 50)).toBe("short &amp; sweet");
  });

  it("truncateMrkdwn never ends inside a mention or an entity", () => {
    const text = `${"x".repeat(10)} <@U12345678> &amp; more`;
    for (let max = 2; max < text.length; max++) {
      const out = truncateMrkdwn(text, max);
      expect(out.length).toBeLessThanOrEqual(max);
      const body = out.slice(0, -1);
      expect(body.lastIndexOf("<") <= body.lastIndexOf(">")).toBe(true);
      expect(/&[a-z]*$/.test(body)).toBe(false);
    }
  });

  it("splitMrkdwn keeps chunks within the limit, at line breaks, without splitting tokens or entities", () => {
    const token = slackDateToken(NOW);
    const lines = Array.from({ length: 200 }, (_, i) => `${token} — line ${i} &amp; <@U${i}>`);
    const chunks = splitMrkdwn(lines.join("\n"), 3000);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(3000);
    expect(chunks.join("\n")).toBe(lines.join("\n"));

    const oneHugeLine = `${"&amp;".repeat(1000)} ${"<@U1> ".repeat(600)}`;
    const pieces = splitMrkdwn(oneHugeLine, 3000);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(3000);
      expect(/&[a-z]*$/.test(piece)).toBe(false);
      expect(piece.lastIndexOf("<") <= piece.lastIndexOf(">")).toBe(true);
    }
    expect(pieces.join("").replace(/\s/g, "")).toBe(oneHugeLine.replace(/\s/g, ""));
  });
});

describe("kickoffMessage", () => {
  it.each(incidentShapes())("is a valid message for %s", (_, incident) => {
    const message = kickoffMessage(incident, policyOf(incident.severity), NOW);
    expectValidMessage(message);
    const header = message.blocks[0];
    expect(header?.type).toBe("header");
    if (header?.type === "header") {
      expect(
        header.text.text.startsWith(`${policyOf(incident.severity).emoji} ${incidentKey(incident.number)}: `),
      ).toBe(true);
    }
    for (const text of blockTexts(message)) expect(message.text).toContain(text);
  });

  it("shows the initial template, the roles, the reporter, the services and the policy", () => {
    const incident = makeIncident({ roles: { commander: "UCOMMANDER", scribe: "USCRIBE" } });
    const message = kickoffMessage(incident, policyOf("sev2"), NOW);
    const text = blockTexts(message).join("\n");
    expect(text).toContain("*[INCIDENT] SEV2: Checkout fails with 502*");
    expect(text).toContain("*Impact:* Customers cannot pay.");
    expect(text).toContain(`*Started:* ${slackDateToken(DECLARED_AT)}`);
    expect(text).toContain("*Severity*\n:large_orange_circle: SEV2");
    expect(text).toContain("*Status*\n:mag: Investigating");
    expect(text).toContain("*Commander*\n<@UCOMMANDER>");
    expect(text).toContain("*Comms lead*\n_unassigned_");
    expect(text).toContain("*Scribe*\n<@USCRIBE>");
    expect(text).toContain("*Reporter*\n<@UREPORTER>");
    expect(text).toContain("*Services*\ncheckout, payments-api");
    expect(text).toContain(
      "SEV2 policy: respond within 15 min · updates every 30 minutes · postmortem required",
    );
    expect(text).toContain(`Updated ${slackDateToken(NOW)}`);
  });

  it("says 'unassigned' for every role when none is set", () => {
    const text = blockTexts(kickoffMessage(makeIncident({ roles: {} }), policyOf("sev2"), NOW)).join("\n");
    expect(text).toContain("*Commander*\n_unassigned_");
    expect(text).toContain("*Comms lead*\n_unassigned_");
    expect(text).toContain("*Scribe*\n_unassigned_");
  });

  it("describes a severity without scheduled updates or postmortem", () => {
    const text = blockTexts(kickoffMessage(makeIncident({ severity: "sev4" }), policyOf("sev4"), NOW)).join(
      "\n",
    );
    expect(text).toContain("SEV4 policy: respond within 4 h · no scheduled updates · no postmortem required");
  });

  it("offers Acknowledge (primary) until acknowledged, then hides it; every button carries the incident id", () => {
    const open = makeIncident();
    const before = buttons(kickoffMessage(open, policyOf("sev2"), NOW).blocks);
    expect(before.map((b) => b.action_id)).toEqual([
      INCIDENT_ACTIONS.acknowledge,
      INCIDENT_ACTIONS.postUpdate,
      INCIDENT_ACTIONS.changeSeverity,
      INCIDENT_ACTIONS.assignRole,
      INCIDENT_ACTIONS.resolve,
    ]);
    expect(before.map((b) => b.text)).toEqual([
      "Acknowledge",
      "Post update",
      "Change severity",
      "Assign role",
      "Resolve",
    ]);
    expect(before[0]?.style).toBe("primary");
    expect(before.at(-1)?.style).toBe("danger");
    expect(new Set(before.map((b) => b.value))).toEqual(new Set([open.id]));

    const acked = makeIncident({ acknowledgedAt: minutes(-60), acknowledgedBy: "UACK" });
    const message = kickoffMessage(acked, policyOf("sev2"), NOW);
    const after = buttons(message.blocks);
    expect(after.map((b) => b.action_id)).not.toContain(INCIDENT_ACTIONS.acknowledge);
    expect(after).toHaveLength(4);
    expect(blockTexts(message)).toContain(
      `:white_check_mark: Acknowledged by <@UACK> at ${slackDateToken(minutes(-60))}`,
    );
    expect(blockTexts(kickoffMessage(open, policyOf("sev2"), NOW)).join("\n")).not.toContain("Acknowledged");
  });

  it("shows only Reopen once resolved, with the resolution time and duration", () => {
    const resolved = makeIncident({ status: "resolved", resolvedAt: NOW, acknowledgedAt: minutes(-70) });
    const message = kickoffMessage(resolved, policyOf("sev2"), NOW);
    expect(buttons(message.blocks)).toEqual([
      { action_id: INCIDENT_ACTIONS.reopen, value: resolved.id, text: "Reopen" },
    ]);
    const text = blockTexts(message).join("\n");
    expect(text).toContain("*Status*\n:white_check_mark: Resolved");
    expect(text).toContain(`Resolved at ${slackDateToken(NOW)} after 1 h 12 min`);
    for (const open of ["investigating", "identified", "monitoring"] as const) {
      const actions = buttons(kickoffMessage(makeIncident({ status: open }), policyOf("sev2"), NOW).blocks);
      expect(actions.map((b) => b.action_id)).not.toContain(INCIDENT_ACTIONS.reopen);
    }
  });

  it("escapes user text everywhere, the fallback text and header included", () => {
    const incident = makeIncident({ title: EVIL, description: EVIL, affectedServices: [EVIL] });
    const message = kickoffMessage(incident, policyOf("sev2"), NOW);
    expectNoRawEvil(message);
    expect(message.text).toContain(EVIL_ESCAPED);
  });

  it("keeps a 150-character title within the header's 150 characters", () => {
    const message = kickoffMessage(makeIncident({ title: "<&>".repeat(50) }), policyOf("sev1"), NOW);
    const header = message.blocks[0];
    if (header?.type !== "header") throw new Error("no header");
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    expect(header.text.text.endsWith("…")).toBe(true);
    expect(header.text.text).toContain(":red_circle: INC-42: &lt;&amp;&gt;&lt;&amp;&gt;");
  });

  it("splits a 3000-character description over several sections rather than cutting it", () => {
    const description = "&".repeat(3000);
    const message = kickoffMessage(makeIncident({ description }), policyOf("sev2"), NOW);
    expectValidMessage(message);
    expect(blockTexts(message).join("").match(/&amp;/g)?.length).toBeGreaterThanOrEqual(3000);
  });
});

describe("announcementMessage", () => {
  it.each(incidentShapes())("is a valid message of at most 3 blocks for %s", (_, incident) => {
    const message = announcementMessage(incident, policyOf(incident.severity), NOW);
    expectValidMessage(message);
    expect(message.blocks.length).toBeLessThanOrEqual(3);
  });

  it("names the incident, severity, status, commander and channel, with declared and updated times", () => {
    const message = announcementMessage(makeIncident(), policyOf("sev2"), NOW);
    expect(blockTexts(message)).toEqual([
      ":large_orange_circle: *INC-42* Checkout fails with 502\nSEV2 · Investigating · Commander <@UCOMMANDER> · <#CINC42>",
      `Declared ${slackDateToken(DECLARED_AT)} · updated ${slackDateToken(NOW)}`,
    ]);
  });

  it("links the channel only when there is one, and says when the commander is missing", () => {
    const [first] = blockTexts(
      announcementMessage(makeIncident({ channelId: undefined, roles: {} }), policyOf("sev2"), NOW),
    );
    expect(first).toContain("SEV2 · Investigating · Commander _unassigned_");
    expect(first).not.toContain("<#");
  });

  it("says how long a resolved incident lasted", () => {
    const incident = makeIncident({ status: "resolved", resolvedAt: NOW });
    const texts = blockTexts(announcementMessage(incident, policyOf("sev2"), minutes(30)));
    expect(texts[0]).toContain("SEV2 · Resolved");
    expect(texts[1]).toBe(
      `Declared ${slackDateToken(DECLARED_AT)} · updated ${slackDateToken(minutes(30))} · Resolved after 1 h 12 min`,
    );
  });

  it("escapes the title", () => {
    const message = announcementMessage(makeIncident({ title: EVIL }), policyOf("sev2"), NOW);
    expectNoRawEvil(message);
  });
});

describe("statusUpdateMessage", () => {
  const input = { message: "Rolled back the deploy.", actorId: "UALICE", now: NOW, policy: policyOf("sev2") };

  it("renders the update template with duration and the next update due after the cadence", () => {
    const message = statusUpdateMessage(makeIncident({ status: "identified" }), input);
    expectValidMessage(message);
    const text = blockTexts(message).join("\n");
    expect(text).toContain("*[UPDATE] SEV2: Checkout fails with 502*");
    expect(text).toContain("*Update:* Rolled back the deploy.");
    expect(text).toContain("*Current status:* Identified");
    expect(text).toContain("*Duration:* 1 h 12 min");
    expect(text).toContain(`*Next update:* ${slackDateToken(minutes(30))}`);
    expect(text).toContain("Updates every 30 minutes until resolved.");
    expect(text).toContain(`Posted by <@UALICE> · ${slackDateToken(NOW)}`);
    expect(text).not.toContain("Status changed");
  });

  it("says when the status changed", () => {
    const message = statusUpdateMessage(makeIncident({ status: "monitoring" }), {
      ...input,
      from: "identified",
    });
    expect(blockTexts(message)[0]).toBe("Status changed: :dart: Identified → :eyes: Monitoring");
  });

  it("has no next update time without a cadence", () => {
    const message = statusUpdateMessage(makeIncident({ severity: "sev4" }), {
      ...input,
      policy: policyOf("sev4"),
    });
    expect(blockTexts(message).join("\n")).toContain("*Next update:* not yet known");
  });

  it("escapes the message and stays valid with 3000 characters of it", () => {
    const evil = statusUpdateMessage(makeIncident(), { ...input, message: EVIL });
    expectNoRawEvil(evil);
    for (const message of [LONG_DESCRIPTION, "&".repeat(3000), "<".repeat(3000)]) {
      expectValidMessage(
        statusUpdateMessage(makeIncident({ title: "<&>".repeat(50) }), { ...input, message }),
      );
    }
  });
});

describe("resolvedMessage", () => {
  it("renders the resolved template with the total duration and the postmortem requirement", () => {
    const incident = makeIncident({
      status: "resolved",
      resolvedAt: NOW,
      resolution: "Rolled back.",
      rootCause: "A bad config push.",
    });
    const message = resolvedMessage(incident, minutes(5), policyOf("sev2"));
    expectValidMessage(message);
    const text = blockTexts(message).join("\n");
    expect(text).toContain("*[RESOLVED] SEV2: Checkout fails with 502*");
    expect(text).toContain("*Resolution:* Rolled back.");
    expect(text).toContain("*Root cause:* A bad config push.");
    expect(text).toContain(`*Resolved:* ${slackDateToken(NOW)}`);
    expect(text).toContain("*Total duration:* 1 h 12 min");
    expect(text).toContain(":memo: SEV2 incidents need a postmortem.");
    const sev3 = resolvedMessage({ ...incident, severity: "sev3" }, NOW, policyOf("sev3"));
    expect(blockTexts(sev3).join("\n")).toContain("No postmortem required for SEV3.");
  });

  it("says the root cause is not yet known when missing, and escapes user text", () => {
    const incident = makeIncident({ status: "resolved", resolvedAt: NOW, resolution: EVIL });
    const message = resolvedMessage(incident, NOW, policyOf("sev2"));
    expect(blockTexts(message).join("\n")).toContain("*Root cause:* not yet known");
    expectNoRawEvil(message);
  });

  it.each(incidentShapes())("is a valid message for %s", (_, incident) => {
    expectValidMessage(resolvedMessage(incident, NOW, policyOf(incident.severity)));
  });
});

describe("incidentStatusSummary", () => {
  it.each(incidentShapes())("is a valid message for %s", (_, incident) => {
    expectValidMessage(incidentStatusSummary(incident, policyOf(incident.severity), NOW));
  });

  it("shows severity, status, age, roles, acknowledgement and channel", () => {
    const incident = makeIncident({ acknowledgedAt: minutes(-65), acknowledgedBy: "UACK" });
    const text = blockTexts(incidentStatusSummary(incident, policyOf("sev2"), NOW)).join("\n");
    expect(text).toContain(":large_orange_circle: *INC-42* Checkout fails with 502");
    expect(text).toContain("*Status*\n:mag: Investigating");
    expect(text).toContain("*Age*\nOpen for 1 h 12 min");
    expect(text).toContain(
      `*Acknowledged*\n:white_check_mark: Yes by <@UACK>, ${slackDateToken(minutes(-65))}`,
    );
    expect(text).toContain("*Commander*\n<@UCOMMANDER>");
    expect(text).toContain("*Comms lead*\n_unassigned_");
    expect(text).toContain("*Channel*\n<#CINC42>");
  });

  it("flags an overdue acknowledgement, and says how long a resolved incident lasted", () => {
    const late = blockTexts(incidentStatusSummary(makeIncident(), policyOf("sev2"), NOW)).join("\n");
    expect(late).toContain("*Acknowledged*\n:warning: Not yet: 57 min past the 15 min response time");
    const early = blockTexts(
      incidentStatusSummary(makeIncident({ declaredAt: minutes(-5) }), policyOf("sev2"), NOW),
    );
    expect(early.join("\n")).toContain("*Acknowledged*\nNot yet (respond within 15 min)");
    const resolved = makeIncident({ status: "resolved", resolvedAt: minutes(-12), channelId: undefined });
    const text = blockTexts(incidentStatusSummary(resolved, policyOf("sev2"), NOW)).join("\n");
    expect(text).toContain("*Age*\nResolved after 1 h");
    expect(text).toContain("*Channel*\n_none yet_");
  });

  it("escapes the title", () => {
    expectNoRawEvil(incidentStatusSummary(makeIncident({ title: EVIL }), policyOf("sev2"), NOW));
  });
});
