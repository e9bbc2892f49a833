import { describe, expect, it } from "vitest";
import type { Incident } from "../../src/domain/incident.ts";
import {
  type FollowUp,
  nextPostmortemReminder,
  parseFollowUpSeq,
  postmortemDraft,
  postmortemsDue,
} from "../../src/domain/postmortem.ts";
import * as args from "../../src/domain/postmortem-args.ts";
import type { TimelineEvent } from "../../src/domain/timeline.ts";
import { commandText } from "../../src/slack/command-text.ts";

const parsePostmortem = (text: string) => args.parsePostmortemArgs(commandText(text));
const parseFollowUp = (text: string) => args.parseFollowUpArgs(commandText(text));

const at = (hhmm: string) => new Date(`2026-11-08T${hhmm}:00Z`);

const incident: Incident = {
  id: "i1",
  workspaceId: "T1",
  number: 7,
  title: "Checkout | is failing",
  description: "",
  severity: "sev2",
  status: "resolved",
  affectedServices: ["checkout", "payments"],
  roles: { commander: "U0ALICE" },
  reporterId: "U0ALICE",
  isPrivate: false,
  declaredAt: at("14:30"),
  acknowledgedAt: at("14:35"),
  resolvedAt: at("16:45"),
  resolution: "Quota raised",
  rootCause: "API quota exhausted by a traffic surge",
  linkedNumbers: [],
};

const event = (n: number, hhmm: string, e: Pick<TimelineEvent, "type" | "payload">): TimelineEvent =>
  ({ id: `i1:${n}`, incidentId: "i1", at: at(hhmm), actorId: "U0ALICE", ...e }) as TimelineEvent;

const events: TimelineEvent[] = [
  event(1, "14:30", { type: "declared", payload: { severity: "sev2", title: "Checkout | is failing" } }),
  event(2, "14:35", { type: "acknowledged", payload: {} }),
  event(3, "14:45", {
    type: "message_pinned",
    payload: {
      channelId: "C1",
      ts: "1.1",
      authorId: "U0BOB",
      text: "Quota at 100%\nsee graph",
      postedAt: at("14:44"),
    },
  }),
  event(4, "14:50", {
    type: "pinned_message_edited",
    payload: { ts: "1.1", text: "Quota at 100% since 14:20" },
  }),
  event(5, "15:00", { type: "note", payload: { text: "Rate limiting **on**" } }),
  event(6, "16:45", { type: "resolved", payload: { resolution: "Quota raised" } }),
];

const followUp: FollowUp = {
  id: "F1",
  incidentId: "i1",
  workspaceId: "T1",
  number: 7,
  text: "Alert on quota at 80%",
  ownerId: "U0BOB",
  dueAt: new Date("2026-11-20T17:00:00Z"),
  createdBy: "U0ALICE",
  createdAt: at("16:50"),
};

describe("postmortemDraft", () => {
  const draft = postmortemDraft({
    incident,
    events,
    followUps: [followUp, { ...followUp, id: "F2", text: "Runbook", doneAt: at("17:00") }],
    postmortem: { ownerId: "U0ALICE", dueAt: new Date("2026-11-10T16:45:00Z"), draftVersion: 3 },
    now: at("17:00"),
  });

  it("lists every event with its time, pins and their edits included, one line each", () => {
    const timeline = draft.split("## Timeline\n\n")[1]?.split("\n\n")[0];
    expect(timeline?.split("\n")).toEqual([
      "- 2026-11-08 14:30 UTC: Declared SEV2: Checkout | is failing",
      "- 2026-11-08 14:35 UTC: Acknowledged",
      "- 2026-11-08 14:45 UTC: Pinned a message by @U0BOB: Quota at 100% see graph",
      "- 2026-11-08 14:50 UTC: Pinned message edited: Quota at 100% since 14:20",
      "- 2026-11-08 15:00 UTC: Note: Rate limiting **on**",
      "- 2026-11-08 16:45 UTC: Resolved: Quota raised",
    ]);
  });

  it("has the seeds' sections: facts, impact, root cause, resolution, follow-ups, and empty ones to fill in", () => {
    expect(draft.startsWith("# Postmortem: INC-7 Checkout | is failing\n")).toBe(true);
    expect(draft).toContain(
      "_Draft 3, generated 2026-11-08 17:00 UTC by Firebreak. Owner @U0ALICE, due 2026-11-10 16:45 UTC._",
    );
    expect(draft).toContain("- **Severity**: SEV2");
    expect(draft).toContain("- **Duration**: 2 h 15 min");
    expect(draft).toContain("- **Services affected**: checkout, payments");
    expect(draft).toContain("## Root cause\n\nAPI quota exhausted by a traffic surge\n");
    expect(draft).toContain("## Resolution\n\nQuota raised\n");
    expect(draft).toContain("## Contributing factors\n\n\n## Follow-up actions");
    expect(draft).toContain(
      "- [ ] **F1** Alert on quota at 80% (open, owner @U0BOB, due 2026-11-20 17:00 UTC)\n" +
        "- [x] **F2** Runbook (done 2026-11-08 17:00 UTC, owner @U0BOB, due 2026-11-20 17:00 UTC)",
    );
    expect(draft.endsWith("## Lessons learned\n\n")).toBe(true);
    expect(draft).not.toMatch(/<[@#!]/);
  });

  it("says what is missing on an incident still open with no cause recorded", () => {
    const open = postmortemDraft({
      incident: {
        ...incident,
        status: "monitoring",
        resolvedAt: undefined,
        rootCause: undefined,
        resolution: undefined,
      },
      events: [],
      followUps: [],
      postmortem: { ownerId: "U0ALICE", dueAt: at("18:00"), draftVersion: 1 },
      now: at("15:30"),
    });
    expect(open).toContain("- **Duration**: 1 h (still open)");
    expect(open).toContain("## Root cause\n\n_To fill in._");
    expect(open).toContain("_No events recorded._");
    expect(open).toContain("_None yet: add one with /incident followup add._");
  });
});

describe("postmortem reminders and the daily report's sections", () => {
  const due = new Date("2026-11-10T12:00:00Z");
  it("reminds a day before, then when overdue, then never again", () => {
    expect(nextPostmortemReminder(due, 24 * 3_600_000, undefined)).toEqual({
      stage: "due_soon",
      at: new Date("2026-11-09T12:00:00Z"),
    });
    expect(nextPostmortemReminder(due, 24 * 3_600_000, "due_soon")).toEqual({ stage: "overdue", at: due });
    expect(nextPostmortemReminder(due, 24 * 3_600_000, "overdue")).toBeUndefined();
  });

  it("lists open postmortems soonest first, flags the overdue, and keeps only follow-ups past due", () => {
    const now = new Date("2026-11-10T13:00:00Z");
    const sections = postmortemsDue(
      [
        { number: 2, ownerId: "U2", dueAt: new Date("2026-11-11T12:00:00Z") },
        { number: 1, ownerId: "U1", dueAt: due, channelId: "C1" },
      ],
      [
        { number: 1, seq: 2, text: "late", dueAt: new Date("2026-11-10T09:00:00Z"), ownerId: "U3" },
        { number: 1, seq: 3, text: "later", dueAt: new Date("2026-11-12T09:00:00Z") },
        { number: 2, seq: 1, text: "undated" },
      ],
      now,
    );
    expect(sections.postmortems.map((p) => [p.number, p.overdue])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(sections.overdueFollowUps).toEqual([
      { number: 1, id: "F2", text: "late", ownerId: "U3", dueAt: new Date("2026-11-10T09:00:00Z") },
    ]);
  });
});

describe("command parsers", () => {
  it("reads postmortem and postmortem done <link>, a pasted link included", () => {
    expect(parsePostmortem("")).toEqual({ ok: true, value: { kind: "regenerate" } });
    expect(parsePostmortem("done https://docs.example.com/pm/7")).toEqual({
      ok: true,
      value: { kind: "done", link: "https://docs.example.com/pm/7" },
    });
    expect(parsePostmortem("done <https://docs.example.com/pm/7|the doc>")).toMatchObject({
      ok: true,
      value: { link: "https://docs.example.com/pm/7" },
    });
  });

  it.each([
    ["done", "Give the link"],
    ["done javascript:alert(1)", "is not a link"],
    ["done ftp://example.com/pm", "is not a link"],
    ["done example.com", "is not a link"],
    ["finish https://example.com", "is not something postmortem does"],
  ])("refuses postmortem %s", (text, problem) => {
    const result = parsePostmortem(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toContain(problem);
      expect(result.error).toContain(`Usage: \`${args.POSTMORTEM_USAGE.postmortem}\``);
    }
  });

  it("reads followup add with an owner and a due date (and time), list and done", () => {
    expect(parseFollowUp("add Alert on quota <@U0BOB|bob> 2026-11-20")).toEqual({
      ok: true,
      value: {
        kind: "add",
        text: "Alert on quota",
        ownerId: "U0BOB",
        due: { kind: "date", at: { year: 2026, month: 11, day: 20, hour: 17, minute: 0 } },
      },
    });
    expect(parseFollowUp("add Write the runbook 2026-11-20 9:30")).toMatchObject({
      ok: true,
      value: { text: "Write the runbook", due: { at: { day: 20, hour: 9, minute: 30 } } },
    });
    expect(parseFollowUp("add Tidy up")).toEqual({ ok: true, value: { kind: "add", text: "Tidy up" } });
    expect(parseFollowUp("list")).toEqual({ ok: true, value: { kind: "list" } });
    expect(parseFollowUp("done F12")).toEqual({ ok: true, value: { kind: "done", seq: 12 } });
  });

  it.each([
    ["", "Say add, list or done."],
    ["add", "Say what needs doing."],
    ["add <@U0BOB|bob>", "Say what needs doing."],
    ["add Fix @bob", "came through as plain text"],
    ["add Fix 2026-02-30", "is not a real date"],
    ["add Fix 2026-02-03 25:00", "is not a real date and time"],
    ["add Fix friday 25:00", "is not a time"],
    ["add Fix in 400d", "within a year"],
    [`add ${"x".repeat(501)}`, "Keep it under 500 characters"],
    ["done", "Name one follow-up by its id"],
    ["done F0", "Name one follow-up by its id"],
    ["list all", "list takes nothing after it."],
    ["remove F1", "is not add, list or done."],
  ])("refuses followup %j", (text, problem) => {
    const result = parseFollowUp(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(problem);
  });

  it("reads relative due dates, before or after the owner, and only from plain words", () => {
    expect(parseFollowUp("add Alert on quota <@U0BOB|bob> in 3d")).toEqual({
      ok: true,
      value: { kind: "add", text: "Alert on quota", ownerId: "U0BOB", due: { kind: "days", days: 3 } },
    });
    expect(parseFollowUp("add Alert on quota tomorrow 09:30 <@U0BOB|bob>")).toEqual({
      ok: true,
      value: {
        kind: "add",
        text: "Alert on quota",
        ownerId: "U0BOB",
        due: { kind: "days", days: 1, time: { hour: 9, minute: 30 } },
      },
    });
    expect(parseFollowUp("add Tidy up Friday")).toMatchObject({
      value: { text: "Tidy up", due: { kind: "weekday", weekday: 5 } },
    });
    expect(parseFollowUp("add Tidy up in 2 weeks")).toMatchObject({
      value: { text: "Tidy up", due: { kind: "days", days: 14 } },
    });
    expect(parseFollowUp("add Page less 4h")).toMatchObject({
      value: { text: "Page less", due: { kind: "hours", hours: 4 } },
    });
    // Words that only look like the start of a date stay in the text.
    expect(parseFollowUp("add Fix the Friday report")).toEqual({
      ok: true,
      value: { kind: "add", text: "Fix the Friday report" },
    });
  });

  it("reads an incident named before or after the action, so it runs outside the incident channel", () => {
    expect(parseFollowUp("INC-42 list")).toEqual({ ok: true, value: { kind: "list", incident: 42 } });
    expect(parseFollowUp("done #42 F2")).toEqual({ ok: true, value: { kind: "done", seq: 2, incident: 42 } });
    expect(parseFollowUp("add inc-7 Write the runbook tomorrow")).toEqual({
      ok: true,
      value: { kind: "add", text: "Write the runbook", due: { kind: "days", days: 1 }, incident: 7 },
    });
    // A bare number is the follow-up's text, not an incident.
    expect(parseFollowUp("add 42 dashboards to tidy")).toEqual({
      ok: true,
      value: { kind: "add", text: "42 dashboards to tidy" },
    });
    expect(parsePostmortem("#42")).toEqual({ ok: true, value: { kind: "regenerate", incident: 42 } });
    expect(parsePostmortem("INC-42 done https://docs.example.com/pm/42")).toEqual({
      ok: true,
      value: { kind: "done", link: "https://docs.example.com/pm/42", incident: 42 },
    });
  });

  it("reads follow-up ids in any case, with or without the F", () => {
    expect([
      parseFollowUpSeq("F3"),
      parseFollowUpSeq("f3"),
      parseFollowUpSeq("3"),
      parseFollowUpSeq("G3"),
    ]).toEqual([3, 3, 3, undefined]);
  });
});
