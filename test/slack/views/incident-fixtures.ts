import { expect } from "vitest";
import { type Incident, ROLES } from "../../../src/domain/incident.ts";
import type { SlackMessage } from "../../../src/slack/views/blocks.ts";
import { assertValidSurface, type Surface } from "../../support/fake-slack/block-kit.ts";
import type { StateValue } from "../../support/slack-payloads.ts";

/** Shared inputs for the incident view tests: incidents of every shape, and user text that must be escaped. */

export const DECLARED_AT = new Date("2026-11-23T09:00:00.000Z");
/** 1 h 12 min after DECLARED_AT. */
export const NOW = new Date("2026-11-23T10:12:00.000Z");

/** User text that would ping everyone, disguise a link and break an entity if not escaped. */
export const EVIL = "<!channel> see <https://evil.example|your bank> & co";
export const EVIL_RAW_PARTS = ["<!channel>", "<https://evil.example|your bank>", "& co"] as const;
export const EVIL_ESCAPED = "&lt;!channel&gt; see &lt;https://evil.example|your bank&gt; &amp; co";

/** 150 characters that all grow when escaped. */
export const LONG_TITLE = "<&>".repeat(50);
export const LONG_DESCRIPTION = `${EVIL} ${"<&> long words ".repeat(200)}`.slice(0, 3000);
export const MANY_SERVICES = Array.from({ length: 50 }, (_, i) =>
  `${"service-&-".repeat(7)}${i}`.slice(0, 80),
);

export function makeIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: "65f0c0ffee0000000000002a",
    workspaceId: "T1",
    number: 42,
    title: "Checkout fails with 502",
    description: "Customers cannot pay.",
    severity: "sev2",
    status: "investigating",
    affectedServices: ["checkout", "payments-api"],
    roles: { commander: "UCOMMANDER" },
    reporterId: "UREPORTER",
    isPrivate: false,
    declaredAt: DECLARED_AT,
    channelId: "CINC42",
    channelName: "inc-42-checkout-fails",
    linkedNumbers: [],
    ...overrides,
  };
}

const allRoles = { commander: "UCOMMANDER", comms: "UCOMMS", scribe: "USCRIBE" };

/** Typical and extreme incidents: every role or none, open or resolved, acknowledged or not, huge texts. */
export function incidentShapes(): Array<[string, Incident]> {
  const resolved = {
    status: "resolved" as const,
    resolvedAt: NOW,
    resolution: EVIL,
    rootCause: LONG_DESCRIPTION,
  };
  const acknowledged = { acknowledgedAt: new Date(DECLARED_AT.getTime() + 120_000), acknowledgedBy: "UACK" };
  return [
    ["typical", makeIncident()],
    [
      "no roles, no channel, no services",
      makeIncident({ roles: {}, channelId: undefined, affectedServices: [] }),
    ],
    ["all roles, acknowledged", makeIncident({ roles: allRoles, ...acknowledged })],
    ["resolved", makeIncident({ ...resolved, ...acknowledged })],
    ["resolved, never acknowledged", makeIncident({ ...resolved, roles: {} })],
    ["sev4 (no cadence)", makeIncident({ severity: "sev4" })],
    [
      "extreme texts",
      makeIncident({
        title: LONG_TITLE,
        description: LONG_DESCRIPTION,
        affectedServices: MANY_SERVICES,
        roles: allRoles,
        number: 123_456_789,
      }),
    ],
    [
      "extreme texts, resolved",
      makeIncident({
        title: LONG_TITLE,
        description: LONG_DESCRIPTION,
        affectedServices: MANY_SERVICES,
        ...resolved,
        resolution: LONG_DESCRIPTION,
      }),
    ],
    [
      "evil user text",
      makeIncident({
        title: EVIL,
        description: EVIL,
        affectedServices: [EVIL, "a&b"],
        resolution: EVIL,
        rootCause: EVIL,
      }),
    ],
  ];
}

export const ROLE_COUNT = ROLES.length;

export function expectValidMessage(message: SlackMessage): void {
  assertValidSurface({ kind: "message", ...message });
  expect(message.text.length).toBeGreaterThan(0);
}

export function expectValidModal(view: object): void {
  assertValidSurface({ kind: "modal", ...(view as Omit<Surface, "kind">) });
}

/** No raw form of the evil text anywhere; the escaped form is there when `expectEscaped`. */
export function expectNoRawEvil(surface: unknown, expectEscaped = true): void {
  const json = JSON.stringify(surface);
  for (const raw of EVIL_RAW_PARTS) expect(json).not.toContain(raw);
  if (expectEscaped) expect(json).toContain("&lt;!channel&gt;");
}

/** Every mrkdwn/plain text of a message's blocks, in order. */
export function blockTexts(message: SlackMessage): string[] {
  return message.blocks.flatMap((block) => {
    if (block.type === "header") return [block.text.text];
    if (block.type === "section") return [block.text?.text ?? "", ...(block.fields ?? []).map((f) => f.text)];
    if (block.type === "context") return block.elements.flatMap((e) => ("text" in e ? [e.text] : []));
    return [];
  });
}

/** Every button of a surface's blocks (accessories and actions blocks). */
export function buttons(
  blocks: readonly unknown[],
): Array<{ action_id: string; value: string; text: string; style?: string }> {
  const found: Array<{ action_id: string; value: string; text: string; style?: string }> = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === "object") {
      const obj = node as Record<string, unknown>;
      if (obj.type === "button") {
        found.push({
          action_id: String(obj.action_id),
          value: String(obj.value),
          text: String((obj.text as { text: string }).text),
          ...(obj.style ? { style: String(obj.style) } : {}),
        });
      }
      Object.values(obj).forEach(visit);
    }
  };
  visit(blocks);
  return found;
}

// ——— view.state.values as Slack sends them (each element's action id is its block id) ———

export type StateValues = Record<string, Record<string, StateValue>>;

export const textState = (blockId: string, value: string | null): StateValues => ({
  [blockId]: { [blockId]: { type: "plain_text_input", value } },
});
export const selectState = (blockId: string, value: string | null): StateValues => ({
  [blockId]: {
    [blockId]: { type: "static_select", selected_option: value === null ? null : { value } },
  },
});
export const userState = (blockId: string, user: string | null): StateValues => ({
  [blockId]: { [blockId]: { type: "users_select", selected_user: user } },
});
export const checkboxState = (blockId: string, values: string[]): StateValues => ({
  [blockId]: { [blockId]: { type: "checkboxes", selected_options: values.map((value) => ({ value })) } },
});
