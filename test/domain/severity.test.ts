import { describe, expect, it } from "vitest";
import { SEVERITIES, type Severity } from "../../src/domain/incident.ts";
import {
  compareSeverity,
  DEFAULT_SEVERITY_POLICY,
  parseSeverity,
  parseSeverityOverrides,
  severityLabel,
} from "../../src/domain/severity.ts";

describe("the default severity policy (seed 001, 4.1 Incident Classification)", () => {
  it.each([
    [
      "sev1",
      "SEV1",
      ":red_circle:",
      5,
      30,
      ["on-call", "manager", "director"],
      ["status-page", "email", "social-media"],
      true,
    ],
    ["sev2", "SEV2", ":large_orange_circle:", 15, 30, ["on-call", "manager"], ["status-page", "email"], true],
    ["sev3", "SEV3", ":large_yellow_circle:", 60, 60, ["on-call"], ["internal-slack"], false],
    ["sev4", "SEV4", ":large_blue_circle:", 240, null, [], ["internal-slack"], false],
  ] as const)(
    "%s: %s %s, respond in %i min, updates every %s min",
    (severity, label, emoji, response, cadence, escalation, communication, postmortem) => {
      const policy = DEFAULT_SEVERITY_POLICY[severity];
      expect(policy).toMatchObject({
        severity,
        label,
        emoji,
        responseMinutes: response,
        updateCadenceMinutes: cadence,
        escalation,
        communication,
        postmortemRequired: postmortem,
      });
      expect(severityLabel(severity)).toBe(label);
      expect(policy.description.length).toBeGreaterThan(0);
      expect(policy.examples).toHaveLength(4);
    },
  );

  it("covers every severity, most severe responding fastest", () => {
    expect(Object.keys(DEFAULT_SEVERITY_POLICY)).toEqual([...SEVERITIES]);
    const response = SEVERITIES.map((s) => DEFAULT_SEVERITY_POLICY[s].responseMinutes);
    expect(response).toEqual([...response].sort((a, b) => a - b));
  });

  it("sorts most severe first", () => {
    const sorted: Severity[] = ["sev3", "sev1", "sev4", "sev2"].sort((a, b) =>
      compareSeverity(a as Severity, b as Severity),
    ) as Severity[];
    expect(sorted).toEqual(["sev1", "sev2", "sev3", "sev4"]);
  });
});

describe("parseSeverity", () => {
  it.each([
    ["sev1", "sev1"],
    ["SEV2", "sev2"],
    ["Sev3", "sev3"],
    ["4", "sev4"],
    [" sev2 ", "sev2"],
    ["sev0", undefined],
    ["sev5", undefined],
    ["5", undefined],
    ["s2", undefined],
    ["sev 2", undefined],
    ["sev12", undefined],
    ["critical", undefined],
    ["", undefined],
  ])("%j → %s", (text, expected) => {
    expect(parseSeverity(text)).toBe(expected);
  });
});

describe("parseSeverityOverrides", () => {
  it.each([undefined, "", "   "])("%j keeps the defaults", (json) => {
    expect(parseSeverityOverrides(json)).toEqual({ ok: true, value: DEFAULT_SEVERITY_POLICY });
  });

  it("merges a subset of settings into the defaults, leaving everything else alone", () => {
    const result = parseSeverityOverrides(
      JSON.stringify({
        sev1: { responseMinutes: 2, description: "  Everything is down  " },
        sev3: { updateCadenceMinutes: null, postmortemRequired: true },
        sev4: { updateCadenceMinutes: 1440 },
      }),
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.value.sev1).toEqual({
      ...DEFAULT_SEVERITY_POLICY.sev1,
      responseMinutes: 2,
      description: "Everything is down",
    });
    expect(result.value.sev2).toEqual(DEFAULT_SEVERITY_POLICY.sev2);
    expect(result.value.sev3).toEqual({
      ...DEFAULT_SEVERITY_POLICY.sev3,
      updateCadenceMinutes: null,
      postmortemRequired: true,
    });
    expect(result.value.sev4.updateCadenceMinutes).toBe(1440);
    expect(DEFAULT_SEVERITY_POLICY.sev1.responseMinutes).toBe(5);
  });

  it.each([
    ["{not json", "(top level): not valid JSON"],
    ["[1,2]", "(top level): must be a JSON object keyed by severity (sev1 to sev4)"],
    ["42", "(top level): must be a JSON object keyed by severity (sev1 to sev4)"],
    ['{"sev5":{}}', "sev5: unknown setting (allowed: sev1, sev2, sev3, sev4)"],
    [
      '{"sev1":3}',
      "sev1: must be an object with any of responseMinutes, updateCadenceMinutes, postmortemRequired, description",
    ],
    [
      '{"sev1":{"escalation":[]}}',
      "sev1.escalation: unknown setting (allowed: responseMinutes, updateCadenceMinutes, postmortemRequired, description)",
    ],
    [
      '{"sev1":{"responseMinutes":0}}',
      "sev1.responseMinutes: must be a whole number of minutes from 1 to 10080 (one week)",
    ],
    ['{"sev1":{"responseMinutes":2.5}}', "sev1.responseMinutes: must be a whole number of minutes"],
    ['{"sev1":{"responseMinutes":"5"}}', "sev1.responseMinutes: must be a whole number of minutes"],
    [
      '{"sev2":{"updateCadenceMinutes":"often"}}',
      "sev2.updateCadenceMinutes: must be a whole number of minutes from 1 to 10080 (one week), or null",
    ],
    [
      '{"sev2":{"updateCadenceMinutes":99999}}',
      "sev2.updateCadenceMinutes: must be a whole number of minutes",
    ],
    ['{"sev3":{"postmortemRequired":"yes"}}', "sev3.postmortemRequired: must be true or false"],
    ['{"sev4":{"description":"   "}}', "sev4.description: must not be empty"],
    [`{"sev4":{"description":"${"x".repeat(301)}"}}`, "sev4.description: must be at most 300 characters"],
  ])("%s is refused: %s", (json, problem) => {
    const result = parseSeverityOverrides(json);
    if (result.ok) throw new Error("expected a failure");
    expect(result.problems.some((p) => p.startsWith(problem))).toBe(true);
    expect(result.error).toContain(problem);
    expect(result.error).toMatch(/^The severity policy overrides are not valid:\n- /);
  });

  it("lists every problem at once", () => {
    const result = parseSeverityOverrides(
      '{"sev1":{"responseMinutes":-1},"sev2":{"postmortemRequired":1},"sev9":{},"sev3":{"colour":"red"}}',
    );
    if (result.ok) throw new Error("expected a failure");
    expect(result.problems).toHaveLength(4);
    expect(result.problems.map((p) => p.split(":")[0]).sort()).toEqual([
      "sev1.responseMinutes",
      "sev2.postmortemRequired",
      "sev3.colour",
      "sev9",
    ]);
  });
});
