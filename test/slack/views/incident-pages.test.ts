import { describe, expect, it } from "vitest";
import { type Incident, SEVERITIES, STATUSES } from "../../../src/domain/incident.ts";
import { DEFAULT_SEVERITY_POLICY } from "../../../src/domain/severity.ts";
import { SYSTEM_ACTOR, type TimelineEvent } from "../../../src/domain/timeline.ts";
import { paginate, type TimelineEntry, timelineView } from "../../../src/domain/timeline-view.ts";
import { slackDateToken } from "../../../src/slack/mrkdwn.ts";
import { incidentLine, incidentListMessage } from "../../../src/slack/views/incident-list.ts";
import { timelineLine, timelineMessage } from "../../../src/slack/views/timeline-message.ts";
import {
  blockTexts,
  DECLARED_AT,
  EVIL,
  expectNoRawEvil,
  expectValidMessage,
  LONG_TITLE,
  makeIncident,
  NOW,
} from "./incident-fixtures.ts";

const policies = DEFAULT_SEVERITY_POLICY;
const at = (minutes: number) => new Date(DECLARED_AT.getTime() + minutes * 60_000);

describe("incidentListMessage", () => {
  it("shows one line per incident, newest first, with severity, status, age and channel", () => {
    const older = makeIncident({
      id: "a",
      number: 41,
      title: "Search slow",
      severity: "sev3",
      declaredAt: at(-60),
    });
    const newer = makeIncident({ id: "b", number: 42, status: "identified" });
    const message = incidentListMessage([older, newer], {
      page: 1,
      pageCount: 1,
      total: 2,
      now: NOW,
      policies,
    });
    expectValidMessage(message);
    expect(blockTexts(message)).toEqual([
      "*Incidents* (2), newest first",
      [
        ":large_orange_circle: *INC-42* Checkout fails with 502 — SEV2 · Identified · 1 h 12 min · <#CINC42>",
        ":large_yellow_circle: *INC-41* Search slow — SEV3 · Investigating · 2 h 12 min · <#CINC42>",
      ].join("\n"),
    ]);
  });

  it("says how long a resolved incident lasted and leaves out a missing channel", () => {
    const resolved = makeIncident({ status: "resolved", resolvedAt: at(30), channelId: undefined });
    expect(incidentLine(resolved, policies, NOW)).toBe(
      ":large_orange_circle: *INC-42* Checkout fails with 502 — SEV2 · Resolved · resolved after 30 min",
    );
  });

  it("has an empty state", () => {
    const message = incidentListMessage([], { page: 1, pageCount: 1, total: 0, now: NOW, policies });
    expectValidMessage(message);
    expect(blockTexts(message)).toEqual(["No incidents to show. :sunny:"]);
  });

  it("escapes titles", () => {
    const message = incidentListMessage([makeIncident({ title: EVIL })], {
      page: 1,
      pageCount: 1,
      total: 1,
      now: NOW,
      policies,
    });
    expectNoRawEvil(message);
  });

  it("200 incidents with 150-character titles, 20 a page: every page valid, well within 50 blocks", () => {
    const incidents: Incident[] = Array.from({ length: 200 }, (_, i) =>
      makeIncident({
        id: `id-${i}`,
        number: 100_000 + i,
        title: i % 2 === 0 ? LONG_TITLE : EVIL,
        severity: SEVERITIES[i % 4],
        status: STATUSES[i % 4],
        declaredAt: at(i),
        resolvedAt: i % 4 === 3 ? at(i + 90) : undefined,
        channelId: i % 5 === 0 ? undefined : `C${i}`,
      }),
    );
    const newestFirst = [...incidents].reverse();
    const seen = new Set<string>();
    for (let page = 1; page <= 10; page++) {
      const slice = paginate(newestFirst, page, 20);
      expect(slice.pageCount).toBe(10);
      const message = incidentListMessage(slice.items, {
        page: slice.page,
        pageCount: slice.pageCount,
        total: incidents.length,
        now: NOW,
        policies,
      });
      expectValidMessage(message);
      expectNoRawEvil(message);
      expect(message.blocks.length).toBeLessThanOrEqual(10);
      const texts = blockTexts(message);
      const lines = texts.slice(1, -1).join("\n").split("\n");
      expect(lines).toHaveLength(20);
      const numbers = lines.map((line) => Number(/\*INC-(\d+)\*/.exec(line)?.[1]));
      expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
      for (const n of numbers) seen.add(String(n));
      expect(texts.at(-1)).toBe(
        page < 10 ? `Page ${page} of 10 — \`/incident list ${page + 1}\` for more` : "Page 10 of 10",
      );
    }
    expect(seen.size).toBe(200);
  });
});

function pinned(i: number, text: string): TimelineEvent<"message_pinned"> {
  return {
    id: `pin-${i}`,
    incidentId: "inc",
    type: "message_pinned",
    at: at(i),
    actorId: `UPIN${i % 3}`,
    payload: {
      channelId: "CINC42",
      ts: `1700000000.${String(i).padStart(6, "0")}`,
      authorId: `UAUTHOR${i % 7}`,
      text,
      permalink: `https://example.slack.com/archives/CINC42/p${i}`,
      postedAt: at(i),
    },
  };
}

/** 500 events of every kind, user text long and hostile: pinned messages of 5000 characters among them. */
function manyEvents(): TimelineEvent[] {
  const long = `${EVIL} ${"<&> ".repeat(1500)}`;
  const events: TimelineEvent[] = [
    {
      id: "e0",
      incidentId: "inc",
      type: "declared",
      at: at(0),
      actorId: "UREPORTER",
      payload: { severity: "sev2", title: LONG_TITLE },
    },
  ];
  for (let i = 1; i < 500; i++) {
    const base = { id: `e${i}`, incidentId: "inc", at: at(i), actorId: `U${i % 11}` };
    switch (i % 8) {
      case 0:
        events.push(pinned(i, long));
        break;
      case 1:
        events.push({ ...base, type: "note", payload: { text: long } });
        break;
      case 2:
        events.push({
          ...base,
          type: "status_changed",
          payload: { from: "investigating", to: "identified", message: long },
        });
        break;
      case 3:
        events.push({
          ...base,
          type: "members_invited",
          payload: { userIds: Array.from({ length: 40 }, (_, j) => `UMEMBER${j}`) },
        });
        break;
      case 4:
        events.push({
          ...base,
          actorId: SYSTEM_ACTOR,
          type: "slack_error",
          payload: { step: long, error: long },
        });
        break;
      case 5:
        events.push({
          ...base,
          type: "role_assigned",
          payload: { role: "scribe", userId: "USCRIBE", previousUserId: "UOLD" },
        });
        break;
      case 6:
        events.push({ ...base, type: "resolved", payload: { resolution: long, rootCause: long } });
        break;
      default:
        events.push({ ...base, type: "linked", payload: { otherNumber: i, reason: long } });
    }
  }
  return events;
}

describe("timelineMessage", () => {
  const incident = makeIncident({ title: LONG_TITLE });

  it("formats entries as `<date> — <summary> (<actor>)`, the system actor as Firebreak", () => {
    const entries = timelineView([
      { id: "1", incidentId: "inc", type: "acknowledged", at: at(2), actorId: "UALICE", payload: {} },
      {
        id: "2",
        incidentId: "inc",
        type: "channel_archived",
        at: at(3),
        actorId: SYSTEM_ACTOR,
        payload: { channelId: "C1" },
      },
    ]);
    const message = timelineMessage(makeIncident(), entries, { page: 1, pageCount: 1 });
    expectValidMessage(message);
    expect(blockTexts(message)).toEqual([
      "Timeline of INC-42",
      "Checkout fails with 502",
      `${slackDateToken(at(2))} — Acknowledged (<@UALICE>)\n${slackDateToken(at(3))} — Channel archived (Firebreak)`,
    ]);
  });

  it("links a pinned message to its permalink", () => {
    const [entry] = timelineView([pinned(8, "the graph")]);
    if (!entry) throw new Error("no entry");
    expect(timelineLine(entry)).toBe(
      `${slackDateToken(at(8))} — :pushpin: <@UAUTHOR1>: the graph <https://example.slack.com/archives/CINC42/p8|view> (<@UAUTHOR1>)`,
    );
  });

  it("has an empty state and a time zone note", () => {
    const message = timelineMessage(makeIncident(), [], {
      page: 1,
      pageCount: 1,
      timeZoneNote: "Times are in your time zone.",
    });
    expectValidMessage(message);
    expect(blockTexts(message).slice(2)).toEqual([
      "_Nothing on the timeline yet._",
      "Times are in your time zone.",
    ]);
  });

  it("500 events paged by 25: every page valid, within 50 blocks, user text escaped, paging hint", () => {
    const entries: TimelineEntry[] = timelineView(manyEvents());
    expect(entries.length).toBe(500);
    const first = paginate(entries, 1, 25);
    expect(first.pageCount).toBe(20);
    for (let page = 1; page <= first.pageCount; page++) {
      const slice = paginate(entries, page, 25);
      const message = timelineMessage(incident, slice.items, {
        page: slice.page,
        pageCount: slice.pageCount,
        timeZoneNote: "Times are in your time zone.",
      });
      expectValidMessage(message);
      expectNoRawEvil(message, false);
      expect(message.blocks.length).toBeLessThanOrEqual(15);
      const texts = blockTexts(message);
      const lines = texts.slice(2, -2).join("\n").split("\n");
      expect(lines).toHaveLength(25);
      for (const line of lines) expect(line).toMatch(/^<!date\^\d+\^.*\((<@[A-Z0-9]+>|Firebreak)\)$/);
      expect(texts.at(-2)).toBe(
        page < 20
          ? `Page ${page} of 20 — \`/incident timeline INC-42 ${page + 1}\` for more`
          : "Page 20 of 20",
      );
      expect(texts.at(-1)).toBe("Times are in your time zone.");
    }
  });

  it("stays valid even with summaries far longer than the domain produces", () => {
    const huge: TimelineEntry[] = Array.from({ length: 25 }, (_, i) => ({
      id: `x${i}`,
      type: "note",
      at: at(i),
      actorId: "UALICE",
      summary: [{ text: `Note: ${"&".repeat(2000)} ` }, { user: "U1" }],
    }));
    const message = timelineMessage(incident, huge, { page: 1, pageCount: 1 });
    expectValidMessage(message);
    expect(message.blocks.length).toBeLessThanOrEqual(10);
  });
});
