import { describe, expect, it } from "vitest";
import {
  DEFAULT_CHANNEL_NAME_TEMPLATE,
  incidentChannelName,
  MAX_CHANNEL_NAME_LENGTH,
  slugify,
  validateChannelNameTemplate,
  withCollisionSuffix,
} from "../../src/domain/channel-name.ts";

const AT = new Date("2026-11-23T23:30:00Z");
const name = (title: string, number = 42, template = DEFAULT_CHANNEL_NAME_TEMPLATE) =>
  incidentChannelName(template, { number, title, declaredAt: AT, severity: "sev2" });
const VALID = /^[a-z0-9_-]+$/;

describe("incidentChannelName", () => {
  it.each([
    ["Checkout is failing", "inc-42-checkout-is-failing"],
    ["  Checkout: 500s in EU!!  ", "inc-42-checkout-500s-in-eu"],
    ["🔥 Database on fire 🔥", "inc-42-database-on-fire"],
    ["Café Größe naïve Łódź", "inc-42-cafe-grosse-naive-lodz"],
    ["ÉCHEC DE PAIEMENT", "inc-42-echec-de-paiement"],
    ["snake_case_title", "inc-42-snake_case_title"],
    ["a -- b __ c", "inc-42-a-b-__-c"],
    ["", "inc-42"],
    ["🔥🔥🔥", "inc-42"],
    ["日本語のタイトル", "inc-42"],
    ["---", "inc-42"],
  ])("%j → %j", (title, expected) => {
    expect(name(title)).toBe(expected);
  });

  it.each([
    ["{date}-inc-{number}-{slug}", "20261123-inc-42-db-down"],
    ["{severity}-{number}-{slug}", "sev2-42-db-down"],
    ["Incident_{number}", "incident_42"],
    ["{slug}-{number}", "db-down-42"],
    ["  inc {number} {slug}  ", "inc-42-db-down"],
  ])("template %j → %j", (template, expected) => {
    expect(name("DB down", 42, template)).toBe(expected);
  });

  it("leaves {severity} empty when no severity is given", () => {
    expect(incidentChannelName("{severity}-{number}", { number: 3, title: "x", declaredAt: AT })).toBe("3");
  });

  it.each([
    ["a long title", "word ".repeat(40)],
    ["one endless word", "x".repeat(200)],
    ["accents", "é".repeat(200)],
    ["emoji and words", "🔥 checkout ".repeat(30)],
  ])("cuts %s to 80 characters, keeping the number", (_, title) => {
    const result = name(title, 123456);
    expect(result.length).toBeLessThanOrEqual(MAX_CHANNEL_NAME_LENGTH);
    expect(result).toMatch(VALID);
    expect(result.startsWith("inc-123456-")).toBe(true);
    expect(result).not.toMatch(/-$/);
  });

  it("cuts at a word boundary when there is one", () => {
    const result = name(`${"alpha ".repeat(12)}omega`);
    expect(result).toBe(`inc-42-${Array(12).fill("alpha").join("-")}`);
    expect(result.length).toBeLessThanOrEqual(80);
  });

  it("never cuts a number at the end of the template", () => {
    const result = name("z".repeat(120), 98765, "{slug}-{number}");
    expect(result).toMatch(/-98765$/);
    expect(result.length).toBe(80);
  });

  it.each([2, 3, 10, 99])("adds a collision suffix for attempt %i and stays within 80", (attempt) => {
    const short = incidentChannelName(
      DEFAULT_CHANNEL_NAME_TEMPLATE,
      { number: 7, title: "db", declaredAt: AT },
      attempt,
    );
    expect(short).toBe(`inc-7-db-${attempt}`);
    const long = incidentChannelName(
      "{slug}-{number}",
      { number: 7, title: "y".repeat(100), declaredAt: AT },
      attempt,
    );
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long).toMatch(new RegExp(`-7-${attempt}$`));
  });

  it("starts a drill's channel with drill-, cutting the slug to stay within 80", () => {
    const drill = (title: string, attempt = 1) =>
      incidentChannelName(
        DEFAULT_CHANNEL_NAME_TEMPLATE,
        { number: 7, title, declaredAt: AT, drill: true },
        attempt,
      );
    expect(drill("Checkout down")).toBe("drill-inc-7-checkout-down");
    expect(drill("Checkout down", 2)).toBe("drill-inc-7-checkout-down-2");
    const long = drill("z".repeat(200), 3);
    expect(long).toMatch(/^drill-inc-7-z+-3$/);
    expect(long.length).toBe(MAX_CHANNEL_NAME_LENGTH);
  });

  it.each([
    ["no {number}", "inc-{slug}", "must contain {number}"],
    ["an unknown placeholder", "inc-{number}-{title}", "has unknown placeholders {title}"],
    ["a stray brace", "inc-{number}-{slug", "has a { or } that is not part of a placeholder"],
    ["nothing", "  ", "is empty"],
    ["too much fixed text", `${"x".repeat(60)}-{number}-{slug}`, "leaves too little room for the title"],
  ])("refuses a template with %s", (_, template, problem) => {
    const result = validateChannelNameTemplate(template);
    expect(result).toEqual({ ok: false, error: expect.stringContaining(problem) });
    if (!result.ok) expect(result.error).toContain("Example: inc-{number}-{slug}");
    expect(() => name("x", 1, template)).toThrow(problem);
  });

  it("accepts the default and trims a template", () => {
    expect(validateChannelNameTemplate(DEFAULT_CHANNEL_NAME_TEMPLATE)).toEqual({
      ok: true,
      value: DEFAULT_CHANNEL_NAME_TEMPLATE,
    });
    expect(validateChannelNameTemplate(" inc-{number} ")).toEqual({ ok: true, value: "inc-{number}" });
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses incident number %d", (number) => {
    expect(() => name("x", number)).toThrow(RangeError);
  });
});

describe("slugify", () => {
  it.each([
    ["Hello, World", "hello-world"],
    ["--x--", "x"],
    ["İstanbul", "istanbul"],
  ])("%j → %j", (title, expected) => {
    expect(slugify(title)).toBe(expected);
  });
});

describe("withCollisionSuffix", () => {
  it.each([
    ["inc-42-db", 1, "inc-42-db"],
    ["inc-42-db", 2, "inc-42-db-2"],
    ["inc-42-db", 3, "inc-42-db-3"],
    ["inc-42-db", 100, "inc-42-db-100"],
    [`inc-1-${"a".repeat(74)}`, 2, `inc-1-${"a".repeat(72)}-2`],
    [`inc-1-${"a".repeat(71)}-b`, 12, `inc-1-${"a".repeat(71)}-12`],
  ])("%j attempt %i → %j", (base, attempt, expected) => {
    const result = withCollisionSuffix(base, attempt);
    expect(result).toBe(expected);
    expect(result.length).toBeLessThanOrEqual(80);
  });

  it.each([0, -1, 2.5])("refuses attempt %d", (attempt) => {
    expect(() => withCollisionSuffix("inc-1", attempt)).toThrow(RangeError);
  });
});
