import type { InputBlock, ModalView } from "@slack/types";
import { describe, expect, it } from "vitest";
import type { DuplicateMatch } from "../../../src/domain/duplicates.ts";
import { DEFAULT_SEVERITY_POLICY, parseSeverityOverrides } from "../../../src/domain/severity.ts";
import { INCIDENT_ACTIONS, INCIDENT_VIEWS } from "../../../src/slack/ids.ts";
import {
  DECLARE_BLOCKS,
  DRILL_OPTION_VALUE,
  declareModal,
  PRIVATE_OPTION_VALUE,
  parseDeclareSubmission,
  splitServices,
} from "../../../src/slack/views/declare-modal.ts";
import {
  duplicateWarningMessage,
  duplicateWarningModal,
} from "../../../src/slack/views/duplicate-warning.ts";
import {
  parseResolveSubmission,
  RESOLVE_BLOCKS,
  resolveModal,
} from "../../../src/slack/views/resolve-modal.ts";
import { parseRoleSubmission, ROLE_BLOCKS, roleModal } from "../../../src/slack/views/role-modal.ts";
import {
  parseSeveritySubmission,
  SEVERITY_BLOCKS,
  severityModal,
} from "../../../src/slack/views/severity-modal.ts";
import {
  PUBLISH_UPDATE_VALUE,
  parseUpdateSubmission,
  UPDATE_BLOCKS,
  updateModal,
} from "../../../src/slack/views/update-modal.ts";
import {
  blockTexts,
  buttons,
  checkboxState,
  EVIL,
  expectNoRawEvil,
  expectValidMessage,
  expectValidModal,
  incidentShapes,
  LONG_DESCRIPTION,
  LONG_TITLE,
  MANY_SERVICES,
  makeIncident,
  selectState,
  textState,
  userState,
} from "./incident-fixtures.ts";

const inputs = (view: ModalView) => view.blocks.filter((b): b is InputBlock => b.type === "input");
const input = (view: ModalView, blockId: string) => {
  const block = inputs(view).find((b) => b.block_id === blockId);
  if (!block) throw new Error(`no input ${blockId}`);
  return block;
};
/** Every input element's action id is its block id: what the parsers read. */
const expectActionIdsMatchBlockIds = (view: ModalView) => {
  for (const block of inputs(view)) expect(block.element.action_id).toBe(block.block_id);
};

describe("declareModal", () => {
  const policies = DEFAULT_SEVERITY_POLICY;

  it("is a valid modal, empty or fully prefilled with extreme values", () => {
    const empty = declareModal({ privateMetadata: "" }, policies);
    expectValidModal(empty);
    expect(empty.callback_id).toBe(INCIDENT_VIEWS.declare);
    // The Type menu shows only when runbooks name incident types.
    const { type: _type, ...withoutType } = DECLARE_BLOCKS;
    expect(inputs(empty).map((b) => b.block_id)).toEqual(Object.values(withoutType));
    expectActionIdsMatchBlockIds(empty);

    const full = declareModal(
      {
        title: `${LONG_TITLE} and more`,
        severity: "sev1",
        description: `${LONG_DESCRIPTION} and more`,
        services: MANY_SERVICES,
        commanderId: "UCOMMANDER",
        isPrivate: true,
        type: "database",
        types: Array.from({ length: 120 }, (_, i) => (i === 0 ? "database" : `type-${i}-${"x".repeat(80)}`)),
        privateMetadata: JSON.stringify({ channelId: "C1" }),
      },
      policies,
    );
    expectValidModal(full);
    expect(inputs(full).map((b) => b.block_id)).toEqual(Object.values(DECLARE_BLOCKS));
    expectActionIdsMatchBlockIds(full);
    expect(full.private_metadata).toBe('{"channelId":"C1"}');
  });

  it("has the inputs the brief asks for, with limits and prefills", () => {
    const view = declareModal(
      {
        title: "Checkout down",
        severity: "sev2",
        description: "Customers cannot pay",
        services: ["checkout", "payments"],
        commanderId: "UCOMMANDER",
        privateMetadata: "meta",
      },
      policies,
    );
    expect(view.title.text).toBe("Declare an incident");
    expect(view.submit?.text).toBe("Declare");
    const title = input(view, DECLARE_BLOCKS.title);
    expect(title.optional).toBeUndefined();
    expect(title.element).toMatchObject({
      type: "plain_text_input",
      max_length: 150,
      initial_value: "Checkout down",
    });
    const severity = input(view, DECLARE_BLOCKS.severity).element;
    expect(severity.type).toBe("static_select");
    if (severity.type !== "static_select") return;
    expect(severity.options?.map((o) => [o.value, o.text.text, o.description?.text])).toEqual([
      ["sev1", ":red_circle: SEV1", "Complete service outage affecting all users"],
      ["sev2", ":large_orange_circle: SEV2", "Major feature unavailable or severely degraded"],
      ["sev3", ":large_yellow_circle: SEV3", "Minor feature impact or workaround available"],
      ["sev4", ":large_blue_circle: SEV4", "Minimal user impact, cosmetic issues"],
    ]);
    expect(severity.initial_option).toEqual(severity.options?.[1]);
    expect(input(view, DECLARE_BLOCKS.description)).toMatchObject({
      optional: true,
      element: {
        type: "plain_text_input",
        multiline: true,
        max_length: 3000,
        initial_value: "Customers cannot pay",
      },
    });
    expect(input(view, DECLARE_BLOCKS.services)).toMatchObject({
      optional: true,
      hint: { text: expect.stringContaining("Comma-separated") },
      element: { initial_value: "checkout, payments" },
    });
    expect(input(view, DECLARE_BLOCKS.commander).element).toEqual({
      type: "users_select",
      action_id: DECLARE_BLOCKS.commander,
      placeholder: expect.anything(),
      initial_user: "UCOMMANDER",
    });
    const privacy = input(view, DECLARE_BLOCKS.private);
    expect(privacy.optional).toBe(true);
    expect(JSON.stringify(privacy)).toContain("Private incident (private channel)");
    expect(privacy.element).not.toHaveProperty("initial_options");
  });

  it("takes the severity descriptions from the configured policy table, cut to Slack's 75 characters", () => {
    const overridden = parseSeverityOverrides(
      JSON.stringify({ sev3: { description: `Custom ${"x".repeat(200)}` } }),
    );
    if (!overridden.ok) throw new Error(overridden.error);
    const view = declareModal({ privateMetadata: "" }, overridden.value);
    expectValidModal(view);
    const severity = input(view, DECLARE_BLOCKS.severity).element;
    if (severity.type !== "static_select") throw new Error("not a select");
    const sev3 = severity.options?.find((o) => o.value === "sev3");
    expect(sev3?.description?.text.startsWith("Custom xxx")).toBe(true);
    expect(sev3?.description?.text.length).toBe(75);
  });

  it("keeps prefilled text as typed (it is an input value, not mrkdwn) within the inputs' limits", () => {
    const view = declareModal({ title: EVIL, description: EVIL, privateMetadata: "" }, policies);
    expect(input(view, DECLARE_BLOCKS.title).element).toMatchObject({ initial_value: EVIL });
    const long = declareModal(
      { title: "x".repeat(400), services: MANY_SERVICES, privateMetadata: "" },
      policies,
    );
    expect(input(long, DECLARE_BLOCKS.title).element).toMatchObject({
      initial_value: expect.stringMatching(/^x{149}…$/),
    });
    const services = input(long, DECLARE_BLOCKS.services).element;
    const value = services.type === "plain_text_input" ? (services.initial_value ?? "") : "";
    expect(value.length).toBeLessThanOrEqual(3000);
    expect(value.split(", ").every((name) => MANY_SERVICES.includes(name))).toBe(true);
  });

  it("preselects Private when asked", () => {
    const privacy = input(
      declareModal({ isPrivate: true, privateMetadata: "" }, policies),
      DECLARE_BLOCKS.private,
    );
    expect(privacy.element).toMatchObject({ initial_options: [{ value: PRIVATE_OPTION_VALUE }] });
  });

  it("preselects Drill for `/incident declare --drill`, and leaves it clear otherwise", () => {
    const drill = (prefill: { drill?: boolean }) =>
      input(declareModal({ ...prefill, privateMetadata: "" }, policies), DECLARE_BLOCKS.drill).element;
    expect(drill({ drill: true })).toMatchObject({ initial_options: [{ value: DRILL_OPTION_VALUE }] });
    expect(drill({})).not.toHaveProperty("initial_options");
  });
});

describe("parseDeclareSubmission", () => {
  const good = {
    ...textState(DECLARE_BLOCKS.title, "  Checkout down  "),
    ...selectState(DECLARE_BLOCKS.severity, "sev2"),
    ...textState(DECLARE_BLOCKS.description, " Customers cannot pay. \n"),
    ...textState(DECLARE_BLOCKS.services, "checkout, Payments-API\npayments-api,, checkout ,\n search "),
    ...userState(DECLARE_BLOCKS.commander, "UCOMMANDER"),
    ...checkboxState(DECLARE_BLOCKS.private, [PRIVATE_OPTION_VALUE]),
    ...checkboxState(DECLARE_BLOCKS.drill, [DRILL_OPTION_VALUE]),
    ...selectState(DECLARE_BLOCKS.type, "database"),
  };

  it("reads a full submission: trimmed, services split, deduplicated and cleaned", () => {
    expect(parseDeclareSubmission(good)).toEqual({
      ok: true,
      value: {
        title: "Checkout down",
        severity: "sev2",
        description: "Customers cannot pay.",
        services: ["checkout", "Payments-API", "search"],
        commanderId: "UCOMMANDER",
        isPrivate: true,
        drill: true,
        type: "database",
        publish: false,
      },
    });
  });

  it("reads a minimal submission: optional inputs empty as Slack sends them", () => {
    const minimal = {
      ...textState(DECLARE_BLOCKS.title, "Search slow"),
      ...selectState(DECLARE_BLOCKS.severity, "sev4"),
      ...textState(DECLARE_BLOCKS.description, null),
      ...textState(DECLARE_BLOCKS.services, null),
      ...userState(DECLARE_BLOCKS.commander, null),
      ...checkboxState(DECLARE_BLOCKS.private, []),
      ...checkboxState(DECLARE_BLOCKS.drill, []),
    };
    const result = parseDeclareSubmission(minimal);
    expect(result).toEqual({
      ok: true,
      value: {
        title: "Search slow",
        severity: "sev4",
        description: "",
        services: [],
        isPrivate: false,
        drill: false,
        publish: false,
      },
    });
    if (result.ok) expect(result.value).not.toHaveProperty("commanderId");
  });

  it("keeps user text as typed (escaping happens when it is shown)", () => {
    const result = parseDeclareSubmission({ ...good, ...textState(DECLARE_BLOCKS.title, EVIL) });
    expect(result.ok && result.value.title).toBe(EVIL);
  });

  it("returns friendly errors by block id for a missing title and severity", () => {
    const result = parseDeclareSubmission({
      ...good,
      ...textState(DECLARE_BLOCKS.title, "   "),
      ...selectState(DECLARE_BLOCKS.severity, null),
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        [DECLARE_BLOCKS.title]: "Give the incident a short title.",
        [DECLARE_BLOCKS.severity]: "Choose a severity.",
      },
    });
  });

  it("rejects over-long text, unknown severities, long service names and too many services", () => {
    const tooLong = parseDeclareSubmission({
      ...good,
      ...textState(DECLARE_BLOCKS.title, "x".repeat(151)),
      ...selectState(DECLARE_BLOCKS.severity, "sev9"),
      ...textState(DECLARE_BLOCKS.description, "y".repeat(3001)),
      ...textState(DECLARE_BLOCKS.services, `ok, ${"z".repeat(81)}`),
    });
    expect(tooLong.ok).toBe(false);
    if (tooLong.ok) return;
    expect(tooLong.errors).toEqual({
      [DECLARE_BLOCKS.title]: "Keep the title to 150 characters; put details in the description.",
      [DECLARE_BLOCKS.severity]: "Choose a severity.",
      [DECLARE_BLOCKS.description]: "Keep the description to 3000 characters.",
      [DECLARE_BLOCKS.services]: expect.stringContaining("Service names are at most 80 characters"),
    });
    const many = Array.from({ length: 51 }, (_, i) => `s${i}`).join(",");
    const tooMany = parseDeclareSubmission({ ...good, ...textState(DECLARE_BLOCKS.services, many) });
    expect(tooMany).toEqual({
      ok: false,
      errors: { [DECLARE_BLOCKS.services]: "List at most 50 services (there are 51)." },
    });
    const fifty = Array.from({ length: 50 }, (_, i) => `s${i}`).join(",");
    expect(parseDeclareSubmission({ ...good, ...textState(DECLARE_BLOCKS.services, fifty) }).ok).toBe(true);
  });

  it("treats missing or malformed state as empty, never throwing", () => {
    for (const values of [undefined, null, "nope", 42, {}, { [DECLARE_BLOCKS.title]: "x" }]) {
      const result = parseDeclareSubmission(values);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.errors[DECLARE_BLOCKS.title]).toBe("Give the incident a short title.");
        expect(result.errors[DECLARE_BLOCKS.severity]).toBe("Choose a severity.");
      }
    }
    const wrongShape = {
      ...good,
      [DECLARE_BLOCKS.title]: { [DECLARE_BLOCKS.title]: { type: "plain_text_input", value: 5 } },
    };
    expect(parseDeclareSubmission(wrongShape)).toEqual({
      ok: false,
      errors: { [DECLARE_BLOCKS.title]: "Give the incident a short title." },
    });
  });

  it("splitServices splits on commas and line breaks, keeps the first spelling of a repeat", () => {
    expect(splitServices(" a ,b\n\nA, c  d ,")).toEqual(["a", "b", "c d"]);
    expect(splitServices("")).toEqual([]);
  });
});

const match = (number: number, overrides: Partial<DuplicateMatch> = {}): DuplicateMatch => ({
  incident: makeIncident({ id: `id-${number}`, number, channelId: `C${number}` }),
  reasons: ["shared service: checkout", "similar title (67%)"],
  titleSimilarity: 0.67,
  score: 1.67,
  ...overrides,
});

describe("duplicate warnings", () => {
  it("the modal lists up to 5 matches with Join buttons and declares anyway on submit", () => {
    const matches = Array.from({ length: 7 }, (_, i) => match(41 - i));
    const view = duplicateWarningModal(matches, '{"title":"Checkout down"}');
    expectValidModal(view);
    expect(view.callback_id).toBe(INCIDENT_VIEWS.duplicateWarning);
    expect(view.submit?.text).toBe("Declare anyway");
    expect(view.close?.text).toBe("Back");
    expect(view.private_metadata).toBe('{"title":"Checkout down"}');
    expect(buttons(view.blocks)).toEqual(
      [41, 40, 39, 38, 37].map((n) => ({
        action_id: INCIDENT_ACTIONS.joinExisting,
        value: `id-${n}`,
        text: `Join INC-${n}`,
      })),
    );
    const text = JSON.stringify(view.blocks);
    expect(text).toContain(
      "*INC-41* Checkout fails with 502\\n_shared service: checkout · similar title (67%)_",
    );
    expect(text).toContain("<#C41>");
    expect(text).toContain("and 2 more");
  });

  it("the ephemeral message has the same list and one Declare anyway button carrying the pending value", () => {
    const pending = "x".repeat(2000);
    const message = duplicateWarningMessage(
      [match(41), match(40, { incident: makeIncident({ id: "id-40", number: 40, channelId: undefined }) })],
      pending,
    );
    expectValidMessage(message);
    expect(buttons(message.blocks)).toEqual([
      { action_id: INCIDENT_ACTIONS.joinExisting, value: "id-41", text: "Join INC-41" },
      { action_id: INCIDENT_ACTIONS.joinExisting, value: "id-40", text: "Join INC-40" },
      { action_id: INCIDENT_ACTIONS.declareAnyway, value: pending, text: "Declare anyway" },
    ]);
    const texts = blockTexts(message).join("\n");
    expect(texts).toContain("<#C41>");
    expect(texts).not.toContain("<#C40>");
    for (const text of blockTexts(message)) expect(message.text).toContain(text);
  });

  it("escapes titles and reasons (service names are user text)", () => {
    const evil = match(41, {
      incident: makeIncident({ title: EVIL, number: 41 }),
      reasons: [`shared service: ${EVIL}`],
    });
    expectNoRawEvil(duplicateWarningModal([evil], "{}"));
    expectNoRawEvil(duplicateWarningMessage([evil], "v"));
  });

  it("stays valid with long titles and many reasons", () => {
    const big = Array.from({ length: 20 }, (_, i) =>
      match(i + 1, {
        incident: makeIncident({ id: `id-${i}`, number: 100_000_000 + i, title: LONG_TITLE }),
        reasons: MANY_SERVICES.map((s) => `shared service: ${s}` as const),
      }),
    );
    expectValidModal(duplicateWarningModal(big, "{}"));
    expectValidMessage(duplicateWarningMessage(big, "v"));
  });
});

describe("updateModal and parseUpdateSubmission", () => {
  it.each(incidentShapes())("is a valid modal for %s", (_, incident) => {
    const view = updateModal(incident, "meta");
    expectValidModal(view);
    expectNoRawEvil(view, incident.title === EVIL);
    expectActionIdsMatchBlockIds(view);
  });

  it("offers only the open statuses, the current one preselected, and a required message", () => {
    const view = updateModal(makeIncident({ status: "identified" }), "meta");
    expect(view.callback_id).toBe(INCIDENT_VIEWS.update);
    expect(view.private_metadata).toBe("meta");
    const status = input(view, UPDATE_BLOCKS.status).element;
    if (status.type !== "static_select") throw new Error("not a select");
    expect(status.options?.map((o) => o.value)).toEqual(["investigating", "identified", "monitoring"]);
    expect(status.initial_option?.value).toBe("identified");
    expect(input(view, UPDATE_BLOCKS.message)).toMatchObject({
      element: { type: "plain_text_input", multiline: true, max_length: 3000 },
    });
    expect(input(view, UPDATE_BLOCKS.message).optional).toBeUndefined();
    const resolved = input(
      updateModal(makeIncident({ status: "resolved" }), ""),
      UPDATE_BLOCKS.status,
    ).element;
    expect(resolved).not.toHaveProperty("initial_option");
  });

  it("parses a good submission and reports friendly errors", () => {
    const good = {
      ...selectState(UPDATE_BLOCKS.status, "monitoring"),
      ...textState(UPDATE_BLOCKS.message, " Fix deployed. "),
    };
    expect(parseUpdateSubmission(good)).toEqual({
      ok: true,
      // A form without the status page's box (opened before it existed) leaves the page as it is.
      value: { status: "monitoring", message: "Fix deployed.", publish: undefined, publicText: "" },
    });
    expect(
      parseUpdateSubmission({
        ...good,
        ...checkboxState(UPDATE_BLOCKS.publish, []),
        ...textState(UPDATE_BLOCKS.publicText, " We are on it. "),
      }),
    ).toMatchObject({ ok: true, value: { publish: false, publicText: "We are on it." } });
    expect(
      parseUpdateSubmission({ ...good, ...checkboxState(UPDATE_BLOCKS.publish, [PUBLISH_UPDATE_VALUE]) }),
    ).toMatchObject({ ok: true, value: { publish: true } });
    expect(
      parseUpdateSubmission({
        ...selectState(UPDATE_BLOCKS.status, "resolved"),
        ...textState(UPDATE_BLOCKS.message, ""),
      }),
    ).toEqual({
      ok: false,
      errors: {
        [UPDATE_BLOCKS.status]: "Choose the incident's current status.",
        [UPDATE_BLOCKS.message]: "Write the update, even if it is only “still investigating”.",
      },
    });
    expect(parseUpdateSubmission({ ...good, ...textState(UPDATE_BLOCKS.message, "m".repeat(3001)) })).toEqual(
      {
        ok: false,
        errors: { [UPDATE_BLOCKS.message]: "Keep the update to 3000 characters." },
      },
    );
  });
});

describe("resolveModal and parseResolveSubmission", () => {
  it.each(incidentShapes())("is a valid modal for %s", (_, incident) => {
    const view = resolveModal(incident, "meta");
    expectValidModal(view);
    expectNoRawEvil(view, incident.title === EVIL);
  });

  it("asks for a required resolution and an optional root cause", () => {
    const view = resolveModal(makeIncident(), "meta");
    expect(view.callback_id).toBe(INCIDENT_VIEWS.resolve);
    expect(inputs(view).map((b) => [b.block_id, b.optional ?? false])).toEqual([
      [RESOLVE_BLOCKS.resolution, false],
      [RESOLVE_BLOCKS.rootCause, true],
    ]);
    for (const block of inputs(view))
      expect(block.element).toMatchObject({ multiline: true, max_length: 3000 });
    expectActionIdsMatchBlockIds(view);
  });

  it("parses with and without a root cause, and reports friendly errors", () => {
    const resolution = textState(RESOLVE_BLOCKS.resolution, " Rolled back. ");
    expect(
      parseResolveSubmission({ ...resolution, ...textState(RESOLVE_BLOCKS.rootCause, " Bad config ") }),
    ).toEqual({
      ok: true,
      value: { resolution: "Rolled back.", rootCause: "Bad config" },
    });
    const without = parseResolveSubmission({ ...resolution, ...textState(RESOLVE_BLOCKS.rootCause, null) });
    expect(without).toEqual({ ok: true, value: { resolution: "Rolled back." } });
    expect(
      parseResolveSubmission({
        ...textState(RESOLVE_BLOCKS.resolution, null),
        ...textState(RESOLVE_BLOCKS.rootCause, "c".repeat(3001)),
      }),
    ).toEqual({
      ok: false,
      errors: {
        [RESOLVE_BLOCKS.resolution]: "Describe how the incident was resolved.",
        [RESOLVE_BLOCKS.rootCause]: "Keep the root cause to 3000 characters.",
      },
    });
  });
});

describe("severityModal and parseSeveritySubmission", () => {
  it.each(incidentShapes())("is a valid modal for %s", (_, incident) => {
    const view = severityModal(incident, "meta", DEFAULT_SEVERITY_POLICY);
    expectValidModal(view);
    expectNoRawEvil(view, incident.title === EVIL);
  });

  it("preselects the current severity and parses the chosen one", () => {
    const view = severityModal(makeIncident({ severity: "sev3" }), "meta", DEFAULT_SEVERITY_POLICY);
    expect(view.callback_id).toBe(INCIDENT_VIEWS.severity);
    expect(view.private_metadata).toBe("meta");
    const select = input(view, SEVERITY_BLOCKS.severity).element;
    if (select.type !== "static_select") throw new Error("not a select");
    expect(select.initial_option?.value).toBe("sev3");
    expect(select.options).toHaveLength(4);
    expectActionIdsMatchBlockIds(view);
    expect(parseSeveritySubmission(selectState(SEVERITY_BLOCKS.severity, "sev1"))).toEqual({
      ok: true,
      value: { severity: "sev1" },
    });
    expect(parseSeveritySubmission(selectState(SEVERITY_BLOCKS.severity, null))).toEqual({
      ok: false,
      errors: { [SEVERITY_BLOCKS.severity]: "Choose a severity." },
    });
  });
});

describe("roleModal and parseRoleSubmission", () => {
  it.each(incidentShapes())("is a valid modal for %s", (_, incident) => {
    const view = roleModal(incident, "meta");
    expectValidModal(view);
    expectNoRawEvil(view, incident.title === EVIL);
  });

  it("offers the three roles, shows who holds them, and preselects a role when asked", () => {
    const view = roleModal(makeIncident({ roles: { commander: "UCOMMANDER" } }), "meta", "scribe");
    expect(view.callback_id).toBe(INCIDENT_VIEWS.role);
    const role = input(view, ROLE_BLOCKS.role).element;
    if (role.type !== "static_select") throw new Error("not a select");
    expect(role.options?.map((o) => [o.value, o.text.text])).toEqual([
      ["commander", "Commander"],
      ["comms", "Comms lead"],
      ["scribe", "Scribe"],
    ]);
    expect(role.initial_option?.value).toBe("scribe");
    expect(input(view, ROLE_BLOCKS.user).element.type).toBe("users_select");
    expect(JSON.stringify(view.blocks)).toContain(
      "Commander: <@UCOMMANDER> · Comms lead: _unassigned_ · Scribe: _unassigned_",
    );
    expect(input(roleModal(makeIncident(), ""), ROLE_BLOCKS.role).element).not.toHaveProperty(
      "initial_option",
    );
    expectActionIdsMatchBlockIds(view);
  });

  it("parses the role and person, and reports friendly errors", () => {
    expect(
      parseRoleSubmission({
        ...selectState(ROLE_BLOCKS.role, "comms"),
        ...userState(ROLE_BLOCKS.user, "UALICE"),
      }),
    ).toEqual({ ok: true, value: { role: "comms", userId: "UALICE" } });
    expect(
      parseRoleSubmission({
        ...selectState(ROLE_BLOCKS.role, "janitor"),
        ...userState(ROLE_BLOCKS.user, null),
      }),
    ).toEqual({
      ok: false,
      errors: { [ROLE_BLOCKS.role]: "Choose a role.", [ROLE_BLOCKS.user]: "Choose who takes the role." },
    });
  });
});
