import { describe, expect, it } from "vitest";
import {
  cadenceText,
  formatPlainTime,
  NOT_YET_KNOWN,
  PLACEHOLDER_NAMES,
  plainMarkup,
  renderTemplate,
  TEMPLATE_KINDS,
  type TemplateValues,
  templatePlaceholders,
} from "../../src/domain/templates.ts";
import { MRKDWN_TEMPLATE, slackDateToken } from "../../src/slack/mrkdwn.ts";

const START = new Date("2026-11-23T09:00:00Z");
const FULL: Required<TemplateValues> = {
  incidentTitle: "Checkout failing",
  severity: "sev2",
  affectedServices: ["checkout", "payments"],
  impactDescription: "Card payments fail for EU customers",
  startTime: START,
  currentStatus: "identified",
  updateDescription: "Rolled back the payments deploy",
  nextUpdateTime: new Date("2026-11-23T10:00:00Z"),
  incidentDuration: 72 * 60_000,
  resolutionDescription: "Rollback completed",
  resolutionTime: new Date("2026-11-23T11:30:00Z"),
  rootCause: "A bad config flag",
  totalDuration: 150 * 60_000,
  updateCadenceMinutes: 30,
};

const MARKUPS = { slack: MRKDWN_TEMPLATE, plain: plainMarkup() };
const FORMATS = ["slack", "plain"] as const;
const EVERY = TEMPLATE_KINDS.flatMap((kind) => FORMATS.map((format) => [kind, format] as const));
const withoutDateTokens = (text: string) =>
  text.replace(/<!date\^\d+\^\{date_short_pretty\} at \{time\}\|[^>]*>/g, "");

describe("renderTemplate", () => {
  it.each(EVERY)("%s in %s fills every placeholder", (kind, format) => {
    const text = renderTemplate(kind, FULL, MARKUPS[format]);
    expect(withoutDateTokens(text)).not.toContain("{");
    expect(text).not.toContain(NOT_YET_KNOWN);
    expect(text).toContain("SEV2");
    expect(text).toContain("Checkout failing");
  });

  it.each(EVERY)("%s in %s with no values says 'not yet known', never a raw placeholder", (kind, format) => {
    const text = renderTemplate(kind, {}, MARKUPS[format]);
    expect(withoutDateTokens(text)).not.toMatch(/\{[a-z_]+\}/);
    expect(text).toContain(NOT_YET_KNOWN);
  });

  it.each(TEMPLATE_KINDS.map((k) => [k] as const))("%s uses only known placeholders", (kind) => {
    for (const name of templatePlaceholders(kind)) expect(PLACEHOLDER_NAMES).toContain(name);
  });

  it("every placeholder is used by some template", () => {
    const used = new Set(TEMPLATE_KINDS.flatMap(templatePlaceholders));
    expect([...used].sort()).toEqual([...PLACEHOLDER_NAMES].sort());
  });

  it("renders the initial message in plain text", () => {
    expect(renderTemplate("initial", FULL, plainMarkup())).toBe(
      [
        "[INCIDENT] SEV2: Checkout failing",
        "We are aware of an issue and are currently investigating.",
        "",
        "Affected services: checkout, payments",
        "Impact: Card payments fail for EU customers",
        "Status: Investigating",
        "Started: Mon 23 Nov 2026, 09:00 UTC",
        "",
        "We are working to resolve this as quickly as possible and will provide updates every 30 minutes until it is resolved.",
      ].join("\n"),
    );
  });

  it("renders the update in Slack mrkdwn, times as date tokens", () => {
    expect(renderTemplate("update", FULL, MRKDWN_TEMPLATE)).toBe(
      [
        "*[UPDATE] SEV2: Checkout failing*",
        "*Update:* Rolled back the payments deploy",
        "",
        "*Current status:* Identified",
        "*Duration:* 1 h 12 min",
        "*Next update:* <!date^1795428000^{date_short_pretty} at {time}|Mon 23 Nov 2026, 10:00 UTC>",
        "",
        "Updates every 30 minutes until resolved.",
      ].join("\n"),
    );
  });

  it("renders the resolution with root cause, time and total duration", () => {
    const text = renderTemplate("resolved", FULL, plainMarkup("Europe/Paris"));
    expect(text).toContain("[RESOLVED] SEV2: Checkout failing");
    expect(text).toContain("Resolution: Rollback completed");
    expect(text).toContain("Root cause: A bad config flag");
    expect(text).toContain("Resolved: Mon 23 Nov 2026, 12:30 CET");
    expect(text).toContain("Total duration: 2 h 30 min");
  });

  const HOSTILE = ["<!channel>", "<https://x|y>", "a & b"];
  const TEXT_FIELDS = [
    "incidentTitle",
    "impactDescription",
    "updateDescription",
    "resolutionDescription",
    "rootCause",
  ] as const;

  it.each(TEXT_FIELDS.flatMap((field) => HOSTILE.map((value) => [field, value] as const)))(
    "escapes %s = %j in Slack output and leaves it as typed in plain",
    (field, value) => {
      const values: TemplateValues = { ...FULL, [field]: `see ${value} now` };
      const slack = TEMPLATE_KINDS.map((kind) => renderTemplate(kind, values, MRKDWN_TEMPLATE)).join("\n");
      const plain = TEMPLATE_KINDS.map((kind) => renderTemplate(kind, values, plainMarkup())).join("\n");
      const escaped = value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
      expect(slack).toContain(`see ${escaped} now`);
      expect(slack).not.toContain(value);
      expect(plain).toContain(`see ${value} now`);
    },
  );

  it.each(HOSTILE)("escapes each affected service (%j)", (value) => {
    const text = renderTemplate("initial", { ...FULL, affectedServices: ["api", value] }, MRKDWN_TEMPLATE);
    expect(text).not.toContain(value);
    expect(text).toContain(value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
    expect(withoutDateTokens(text)).not.toMatch(/<|>/);
  });

  it("never expands placeholders a user typed", () => {
    const text = renderTemplate(
      "resolved",
      { ...FULL, resolutionDescription: "see {root_cause} and {nope}" },
      plainMarkup(),
    );
    expect(text).toContain("Resolution: see {root_cause} and {nope}");
  });

  it.each([
    ["blank strings", { incidentTitle: "  ", affectedServices: [" ", ""] }],
    ["an invalid date and a negative duration", { startTime: new Date(Number.NaN), incidentDuration: -5 }],
  ])("treats %s as missing", (_, values) => {
    const text = TEMPLATE_KINDS.map((kind) =>
      renderTemplate(kind, values as TemplateValues, plainMarkup()),
    ).join("\n");
    expect(text).toContain(`[INCIDENT] ${NOT_YET_KNOWN}: ${NOT_YET_KNOWN}`);
    expect(text).toContain(`Affected services: ${NOT_YET_KNOWN}`);
    expect(text).toContain(`Started: ${NOT_YET_KNOWN}`);
    expect(text).toContain(`Duration: ${NOT_YET_KNOWN}`);
  });

  it("says there is no update schedule for a severity without one", () => {
    const text = renderTemplate("initial", { ...FULL, updateCadenceMinutes: null }, plainMarkup());
    expect(text).toContain(
      "will provide updates as more information becomes available until it is resolved.",
    );
  });
});

describe("cadenceText", () => {
  it.each([
    [1, "every minute"],
    [15, "every 15 minutes"],
    [30, "every 30 minutes"],
    [60, "every hour"],
    [90, "every 1 h 30 min"],
    [240, "every 4 hours"],
    [null, "as more information becomes available"],
    [undefined, "as more information becomes available"],
  ])("%s → %j", (minutes, expected) => {
    expect(cadenceText(minutes)).toBe(expected);
  });
});

describe("times", () => {
  it.each([
    ["UTC", "Mon 23 Nov 2026, 09:00 UTC"],
    ["Europe/Paris", "Mon 23 Nov 2026, 10:00 CET"],
    ["Asia/Kolkata", "Mon 23 Nov 2026, 14:30 GMT+5:30"],
    ["America/Los_Angeles", "Mon 23 Nov 2026, 01:00 GMT-8"],
    ["Pacific/Auckland", "Mon 23 Nov 2026, 22:00 GMT+13"],
  ])("plain in %s: %j", (timeZone, expected) => {
    expect(formatPlainTime(START, timeZone)).toBe(expected);
  });

  it("crosses the date line in the reader's zone", () => {
    expect(formatPlainTime(new Date("2026-11-23T23:30:00Z"), "Asia/Tokyo")).toBe(
      "Tue 24 Nov 2026, 08:30 GMT+9",
    );
  });

  it("defaults to UTC and refuses an unknown zone", () => {
    expect(formatPlainTime(START)).toBe("Mon 23 Nov 2026, 09:00 UTC");
    expect(() => formatPlainTime(START, "Mars/Olympus")).toThrow(RangeError);
  });

  it("gives Slack a date token with a UTC fallback", () => {
    expect(slackDateToken(new Date("2026-11-23T09:00:59.900Z"))).toBe(
      "<!date^1795424459^{date_short_pretty} at {time}|Mon 23 Nov 2026, 09:00 UTC>",
    );
  });
});
