import { describe, expect, it } from "vitest";
import * as args from "../../src/domain/schedule-args.ts";
import { ONCALL_USAGE, parseLocalDateTime, parseTime, parseWeekday } from "../../src/domain/schedule-args.ts";
import { commandText } from "../../src/slack/command-text.ts";
import { escapeMrkdwn } from "../../src/slack/mrkdwn.ts";

/** The cases are written as Slack sends command text; the edge's `commandText` hands them over. */
const parseOnCallCommand = (text: string) => args.parseOnCallCommand(commandText(text));

const error = (text: string): string => {
  const parsed = parseOnCallCommand(text);
  if (parsed.ok) throw new Error(`expected an error for ${text}, got ${JSON.stringify(parsed.value)}`);
  // As the person reads it in Slack: the edge escapes the plain error.
  return escapeMrkdwn(parsed.error);
};

describe("parseOnCallCommand", () => {
  it("reads nothing as the overview, help as help, and anything else as a schedule's name", () => {
    expect(parseOnCallCommand("")).toEqual({ ok: true, value: { kind: "overview" } });
    expect(parseOnCallCommand("   ")).toEqual({ ok: true, value: { kind: "overview" } });
    expect(parseOnCallCommand("help")).toEqual({ ok: true, value: { kind: "help" } });
    expect(parseOnCallCommand("HELP")).toEqual({ ok: true, value: { kind: "help" } });
    expect(parseOnCallCommand("  Platform   on-call ")).toEqual({
      ok: true,
      value: { kind: "show", name: "Platform on-call" },
    });
    expect(parseOnCallCommand("R&amp;D")).toEqual({ ok: true, value: { kind: "show", name: "R&D" } });
  });

  it("reads schedule create with a one- or many-word name and mentions in both escaped forms", () => {
    expect(
      parseOnCallCommand("schedule create Primary monday 09:00 Europe/London <@U0ALICE> <@U0BOB|bob>"),
    ).toEqual({
      ok: true,
      value: {
        kind: "create",
        name: "Primary",
        weekday: 1,
        time: "09:00",
        timeZone: "Europe/London",
        members: ["U0ALICE", "U0BOB"],
      },
    });
    expect(
      parseOnCallCommand("Schedule CREATE Platform team Sun 9:30 America/New_York <@U0ALICE|Alice Smith>"),
    ).toEqual({
      ok: true,
      value: {
        kind: "create",
        name: "Platform team",
        weekday: 0,
        time: "09:30",
        timeZone: "America/New_York",
        members: ["U0ALICE"],
      },
    });
  });

  it("explains what is wrong with schedule create and shows its usage", () => {
    const usage = `Usage: \`${escapeMrkdwn(ONCALL_USAGE.create)}\``;
    expect(error("schedule create Primary someday 09:00 Europe/London <@U0A1>")).toBe(
      `"someday" is not a weekday; use one like monday or mon.\n${usage}`,
    );
    expect(error("schedule create Primary mon 25:00 Europe/London <@U0A1>")).toContain(
      '"25:00" is not a time; use 24-hour HH:MM, like 09:00.',
    );
    expect(error("schedule create Primary mon 09:00 Europe/Lundon <@U0A1>")).toContain(
      '"Europe/Lundon" is not a time zone',
    );
    expect(error("schedule create Primary mon 09:00 Europe/London")).toContain("Who is on the rotation?");
    expect(error("schedule create Primary mon 09:00 Europe/London @alice")).toContain(
      "came through as plain text",
    );
    expect(error("schedule create mon 09:00 Europe/London <@U0A1>")).toContain(
      "Give the schedule's name, hand-off weekday, time and time zone",
    );
    expect(error("schedule create help mon 09:00 Europe/London <@U0A1>")).toContain(
      'cannot start with "help"',
    );
    expect(error("schedule create <#C123|ops> mon 09:00 UTC <@U0A1>")).toContain(
      "cannot hold mentions, channels or links",
    );
    expect(error("schedule delete Primary")).toContain("I don't know `schedule delete`");
    expect(error("create Primary mon 09:00 UTC <@U0A1>")).toContain("start with `schedule create`");
    const crowd = Array.from({ length: 51 }, (_, i) => `<@U0P${i}>`).join(" ");
    expect(error(`schedule create Primary mon 09:00 UTC ${crowd}`)).toContain("at most 50 people");
  });

  it("escapes what the user typed inside errors", () => {
    const message = error("schedule create Primary <b>day 09:00 UTC <@U0A1>");
    expect(message).not.toMatch(/<b>/);
    expect(message).toContain("&lt;");
  });

  it("reads an override, with to or →", () => {
    const value = {
      kind: "override",
      name: "Primary",
      userId: "U0CAROL",
      coversUserId: "U0ALICE",
      from: { year: 2026, month: 11, day: 25, hour: 10, minute: 0 },
      to: { year: 2026, month: 11, day: 26, hour: 9, minute: 30 },
    };
    expect(
      parseOnCallCommand(
        "override Primary <@U0CAROL|carol> covers <@U0ALICE> 2026-11-25 10:00 to 2026-11-26 09:30",
      ),
    ).toEqual({ ok: true, value });
    expect(
      parseOnCallCommand("override Primary <@U0CAROL> covers <@U0ALICE> 2026-11-25 10:00 → 2026-11-26 09:30"),
    ).toEqual({ ok: true, value });
    expect(
      parseOnCallCommand("override Primary <@U0CAROL> covers <@U0ALICE> 2026-11-25 10:00→2026-11-26 9:30"),
    ).toEqual({ ok: true, value });
    expect(
      parseOnCallCommand(
        "override Platform team <@U0CAROL> covers <@U0ALICE> 2026-11-25 10:00 to 2026-11-26 09:30",
      ),
    ).toMatchObject({ ok: true, value: { name: "Platform team" } });
  });

  it("explains what is wrong with an override and shows its usage", () => {
    const usage = `Usage: \`${escapeMrkdwn(ONCALL_USAGE.override)}\``;
    expect(error("override Primary")).toBe(
      `Who covers for whom? Mention them, like \`@bob covers @alice\`.\n${usage}`,
    );
    expect(error("override Primary <@U0C1> for <@U0A1> 2026-11-25 10:00 to 2026-11-26 09:30")).toContain(
      "Say who covers for whom",
    );
    expect(error("override Primary <@U0C1> covers <@U0A1> 2026-11-25 10:00")).toContain(
      "Give the start and end as `YYYY-MM-DD HH:MM to YYYY-MM-DD HH:MM`.",
    );
    expect(error("override Primary <@U0C1> covers <@U0A1> 2026-02-30 10:00 to 2026-03-01 09:30")).toContain(
      '"2026-02-30 10:00" is not a start time',
    );
    expect(error("override Primary <@U0C1> covers <@U0A1> 2026-11-26 10:00 to 2026-11-25 09:30")).toContain(
      "The override must end after it starts.",
    );
    expect(error("override <@U0C1> covers <@U0A1> 2026-11-25 10:00 to 2026-11-26 09:30")).toContain(
      "Which schedule? Give its name.",
    );
    expect(error("override Primary <@U0C1> covers alice 2026-11-25 10:00 to 2026-11-26 09:30")).toContain(
      '"alice" is not a person',
    );
  });

  it("refuses a mention where a schedule's name should be", () => {
    expect(error("<@U0ALICE>")).toContain("Name a schedule");
  });
});

describe("token parsers", () => {
  it("read weekdays in full, abbreviated or plural, any case", () => {
    expect(["sunday", "Mon", "TUES", "wed", "thurs", "fridays", "sat"].map(parseWeekday)).toEqual([
      0, 1, 2, 3, 4, 5, 6,
    ]);
    expect(parseWeekday("someday")).toBeUndefined();
    expect(parseWeekday("1")).toBeUndefined();
  });

  it("read 24-hour times and real dates only", () => {
    expect(parseTime("9:05")).toBe("09:05");
    expect(parseTime("23:59")).toBe("23:59");
    expect(parseTime("24:00")).toBeUndefined();
    expect(parseTime("9am")).toBeUndefined();
    expect(parseLocalDateTime("2028-02-29", "00:00")).toEqual({
      year: 2028,
      month: 2,
      day: 29,
      hour: 0,
      minute: 0,
    });
    expect(parseLocalDateTime("2026-02-29", "00:00")).toBeUndefined();
    expect(parseLocalDateTime("2026-13-01", "00:00")).toBeUndefined();
  });
});
