import { describe, expect, it } from "vitest";
import * as args from "../../src/domain/command-args.ts";
import { COMMAND_USAGE, parseIncidentRef, parseRole } from "../../src/domain/command-args.ts";
import { commandText } from "../../src/slack/command-text.ts";
import { escapeMrkdwn } from "../../src/slack/mrkdwn.ts";

/** The cases are written as Slack sends command text; the edge's `commandText` hands them over. */
const parseDeclareArgs = (text: string) => args.parseDeclareArgs(commandText(text));
const parseSeverityArgs = (text: string) => args.parseSeverityArgs(commandText(text));
const parseRoleArgs = (text: string) => args.parseRoleArgs(commandText(text));
const parseNoteArgs = (text: string) => args.parseNoteArgs(commandText(text));

/** A refusal as the person reads it in Slack: the edge escapes the plain error. */
const asShown = <T>(result: { ok: true; value: T } | { ok: false; error: string }) =>
  result.ok ? result : { ok: false, error: escapeMrkdwn(result.error) };

const usage = (sub: keyof typeof COMMAND_USAGE) =>
  `Usage: \`${COMMAND_USAGE[sub].replace(/</g, "&lt;").replace(/>/g, "&gt;")}\``;
const failure = (sub: keyof typeof COMMAND_USAGE, ...problems: string[]) => ({
  ok: false,
  error: `${problems.join("\n")}\n${usage(sub)}`,
});

describe("parseIncidentRef", () => {
  it.each([
    ["INC-42", 42],
    ["inc-42", 42],
    ["Inc-7", 7],
    ["42", 42],
    ["#42", 42],
    [" 42 ", 42],
    ["007", 7],
    ["INC-0", undefined],
    ["0", undefined],
    ["-3", undefined],
    ["INC42", undefined],
    ["INC-", undefined],
    ["4.2", undefined],
    ["inc-1234567890", undefined],
    ["sev1", undefined],
    ["", undefined],
  ])("%j → %s", (text, expected) => {
    expect(parseIncidentRef(text)).toBe(expected);
  });
});

describe("parseRole", () => {
  it.each([
    ["commander", "commander"],
    ["IC", "commander"],
    ["lead", "commander"],
    ["comms", "comms"],
    ["Comms-Lead", "comms"],
    ["scribe", "scribe"],
    ["boss", undefined],
    ["constructor", undefined],
    ["", undefined],
  ])("role %j → %s", (text, expected) => {
    expect(parseRole(text)).toBe(expected);
  });
});

describe("parseDeclareArgs", () => {
  it.each([
    ["", {}],
    ["   ", {}],
    ["sev2", { severity: "sev2" }],
    ["SEV1 Checkout is failing", { severity: "sev1", title: "Checkout is failing" }],
    ["  Sev3   Checkout \n  slow  ", { severity: "sev3", title: "Checkout slow" }],
    ["Checkout is failing", { title: "Checkout is failing" }],
    ["2 regions down", { title: "2 regions down" }],
    ["severe latency", { title: "severe latency" }],
    ["sev4 Cart &lt;EU&gt; &amp; US", { severity: "sev4", title: "Cart <EU> & US" }],
    [`sev2 ${"x".repeat(150)}`, { severity: "sev2", title: "x".repeat(150) }],
    ["🔥".repeat(150), { title: "🔥".repeat(150) }],
    ["--drill", { drill: true }],
    ["--drill sev2 Checkout down", { drill: true, severity: "sev2", title: "Checkout down" }],
    ["SEV3 --DRILL Checkout down", { drill: true, severity: "sev3", title: "Checkout down" }],
    ["\u2014drill Checkout down", { drill: true, title: "Checkout down" }],
    ["Checkout --drill down", { title: "Checkout --drill down" }],
    ["--drill --drill x", { drill: true, title: "--drill x" }],
    ["--type database sev1 DB down", { type: "database", severity: "sev1", title: "DB down" }],
    ["sev2 --TYPE=High-Traffic Spike", { type: "high-traffic", severity: "sev2", title: "Spike" }],
    ["\u2014type database --drill", { type: "database", drill: true }],
    ["DB --type database", { title: "DB --type database" }],
  ])("%j → %j", (text, value) => {
    expect(parseDeclareArgs(text)).toEqual({ ok: true, value });
  });

  it.each([
    ["sev5 Checkout down", failure("declare", '"sev5" is not a severity; use sev1, sev2, sev3 or sev4.')],
    [
      "x".repeat(151),
      failure("declare", "The title is 151 characters; keep it to 150 and put details in the description."),
    ],
    [
      `sev0 ${"y".repeat(200)}`,
      failure(
        "declare",
        '"sev0" is not a severity; use sev1, sev2, sev3 or sev4.',
        "The title is 200 characters; keep it to 150 and put details in the description.",
      ),
    ],
    ["--drill sev5 x", failure("declare", '"sev5" is not a severity; use sev1, sev2, sev3 or sev4.')],
    ["--type", failure("declare", "Which type? Write it after --type, like `--type database`.")],
    ["--type data.base x", failure("declare", "An incident type is one word of letters, digits, - or _.")],
  ])("%j is refused", (text, expected) => {
    expect(asShown(parseDeclareArgs(text))).toEqual(expected);
  });
});

describe("parseSeverityArgs", () => {
  it.each([
    ["sev1", { severity: "sev1" }],
    ["1", { severity: "sev1" }],
    ["INC-42 sev1", { incident: 42, severity: "sev1" }],
    ["inc-42 SEV4", { incident: 42, severity: "sev4" }],
    ["#42 2", { incident: 42, severity: "sev2" }],
    ["42 sev3", { incident: 42, severity: "sev3" }],
    ["sev1 INC-42", { incident: 42, severity: "sev1" }],
    ["2 3", { incident: 2, severity: "sev3" }],
  ])("%j → %j", (text, value) => {
    expect(parseSeverityArgs(text)).toEqual({ ok: true, value });
  });

  it.each([
    ["", failure("severity", "Which severity? Give one of sev1, sev2, sev3 or sev4.")],
    ["sev9", failure("severity", '"sev9" is not a severity; use sev1, sev2, sev3 or sev4.')],
    ["critical", failure("severity", '"critical" is not a severity; use sev1, sev2, sev3 or sev4.')],
    ["foo sev1", failure("severity", '"foo" is not an incident; name one like INC-42.')],
    [
      "foo bar",
      failure(
        "severity",
        '"foo" is not an incident; name one like INC-42.',
        '"bar" is not a severity; use sev1, sev2, sev3 or sev4.',
      ),
    ],
    ["INC-42 sev1 now", failure("severity", 'Too many words after `severity`: "INC-42 sev1 now".')],
    [
      "<!channel>",
      failure("severity", '"&lt;!channel&gt;" is not a severity; use sev1, sev2, sev3 or sev4.'),
    ],
  ])("%j is refused", (text, expected) => {
    expect(asShown(parseSeverityArgs(text))).toEqual(expected);
  });
});

describe("parseRoleArgs", () => {
  it.each([
    ["commander <@U123>", { role: "commander", userId: "U123" }],
    ["ic <@U123|alice>", { role: "commander", userId: "U123" }],
    ["LEAD <@U1>", { role: "commander", userId: "U1" }],
    ["comms-lead <@W9>", { role: "comms", userId: "W9" }],
    ["scribe   <@U1>", { role: "scribe", userId: "U1" }],
    ["<@U1> comms", { role: "comms", userId: "U1" }],
    ["INC-42 commander <@U1>", { incident: 42, role: "commander", userId: "U1" }],
    ["#7 <@U1|al ice> scribe", { incident: 7, role: "scribe", userId: "U1" }],
  ])("%j → %j", (text, value) => {
    expect(parseRoleArgs(text)).toEqual({ ok: true, value });
  });

  const tellMe = "Tell me the role and the person, like `/incident role commander @alice`.";
  it.each([
    ["", failure("role", tellMe)],
    ["commander", failure("role", tellMe)],
    [
      "commander @bob",
      failure(
        "role",
        `"@bob" came through as plain text; pick the person from Slack's @-suggestions so it becomes a mention.`,
      ),
    ],
    [
      "boss <@U1>",
      failure("role", '"boss" is not a role; use commander (or ic, lead), comms (or comms-lead) or scribe.'),
    ],
    ["commander bob", failure("role", '"bob" is not a person; mention one, like @alice.')],
    [
      "commander <#C1|general>",
      failure("role", '"&lt;#C1|general&gt;" is not a person; mention one, like @alice.'),
    ],
    ["foo commander <@U1>", failure("role", '"foo" is not an incident; name one like INC-42.')],
    [
      "INC-1 commander <@U1> <@U2>",
      failure("role", 'Too many words after `role`: "INC-1 commander &lt;@U1&gt; &lt;@U2&gt;".'),
    ],
  ])("%j is refused", (text, expected) => {
    expect(asShown(parseRoleArgs(text))).toEqual(expected);
  });
});

describe("parseNoteArgs", () => {
  it.each([
    ["db is back", { text: "db is back" }],
    ["INC-42 db is back", { incident: 42, text: "db is back" }],
    ["inc-42   db is back  ", { incident: 42, text: "db is back" }],
    ["42 servers rebooted", { text: "42 servers rebooted" }],
    ["#1 priority: the db", { text: "#1 priority: the db" }],
    ["line one\nline two\n\n- three", { text: "line one\nline two\n\n- three" }],
    ["INC-3\nfirst\nsecond", { incident: 3, text: "first\nsecond" }],
    ["a &lt;b&gt; &amp;&amp; c", { text: "a <b> && c" }],
    ["n".repeat(3000), { text: "n".repeat(3000) }],
  ])("%j → %j", (text, value) => {
    expect(parseNoteArgs(text)).toEqual({ ok: true, value });
  });

  it.each([
    ["", failure("note", "What should the note say?")],
    ["   \n ", failure("note", "What should the note say?")],
    ["INC-42", failure("note", "What should the note say?")],
    ["INC-0 hello", failure("note", '"INC-0" is not an incident; name one like INC-42.')],
    ["n".repeat(3001), failure("note", "The note is 3001 characters; keep it to 3000.")],
  ])("%j is refused", (text, expected) => {
    expect(asShown(parseNoteArgs(text))).toEqual(expected);
  });
});

describe("usage", () => {
  it.each(Object.keys(COMMAND_USAGE) as (keyof typeof COMMAND_USAGE)[])(
    "%s usage starts with /incident %s",
    (sub) => {
      expect(COMMAND_USAGE[sub].startsWith(`/incident ${sub}`)).toBe(true);
    },
  );
});
