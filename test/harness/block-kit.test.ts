import { describe, expect, it } from "vitest";
import { assertValidSurface, checkSurface, type Surface } from "../support/fake-slack/block-kit.ts";

const str = (length: number) => "x".repeat(length);
const url = (length: number) => `https://e.co/${str(length - 13)}`;
const times = <T>(count: number, make: (i: number) => T) => Array.from({ length: count }, (_, i) => make(i));
const plain = (text: string) => ({ type: "plain_text", text });
const mrkdwn = (text: string) => ({ type: "mrkdwn", text });

const message = (...blocks: unknown[]): Surface => ({ kind: "message", text: "Fallback", blocks });
const modal = (...blocks: unknown[]): Surface => ({
  kind: "modal",
  title: plain("Declare incident"),
  submit: plain("Declare"),
  blocks,
});
const home = (...blocks: unknown[]): Surface => ({ kind: "home", blocks });

const divider = { type: "divider" };
const section = (text = "Hello") => ({ type: "section", text: mrkdwn(text) });
const withAccessory = (accessory: unknown) => ({ ...section(), accessory });
const actions = (...elements: unknown[]) => ({ type: "actions", elements });
const button = (actionId: string, extra: object = {}) => ({
  type: "button",
  text: plain("Acknowledge"),
  action_id: actionId,
  ...extra,
});
const input = (element: unknown, extra: object = {}) => ({
  type: "input",
  label: plain("Title"),
  element,
  ...extra,
});
const textInput = (extra: object = {}) => ({ type: "plain_text_input", action_id: "title", ...extra });
const image = (extra: object = {}) => ({
  type: "image",
  image_url: "https://e.co/a.png",
  alt_text: "Graph",
  ...extra,
});
const options = (count: number) => times(count, (i) => ({ text: plain(`Option ${i}`), value: `v${i}` }));
const menu = (type: string, extra: object) => ({ type, action_id: "menu", ...extra });
const staticSelect = (opts: unknown[]) => withAccessory(menu("static_select", { options: opts }));

interface Limit {
  name: string;
  max: number;
  path: string;
  build: (n: number) => Surface;
}

// Every limit: `build(max)` must pass and `build(max + 1)` must fail with exactly one problem at `path`.
const LIMITS: Limit[] = [
  {
    name: "blocks in a message",
    max: 50,
    path: "/blocks",
    build: (n) => message(...times(n, () => divider)),
  },
  { name: "blocks in a modal", max: 100, path: "/blocks", build: (n) => modal(...times(n, () => divider)) },
  { name: "blocks in a Home tab", max: 100, path: "/blocks", build: (n) => home(...times(n, () => divider)) },
  { name: "section text", max: 3000, path: "/blocks/0/text/text", build: (n) => message(section(str(n))) },
  {
    name: "section fields",
    max: 10,
    path: "/blocks/0/fields",
    build: (n) => message({ type: "section", fields: times(n, () => mrkdwn("*Severity*")) }),
  },
  {
    name: "section field text",
    max: 2000,
    path: "/blocks/0/fields/0/text",
    build: (n) => message({ type: "section", fields: [mrkdwn(str(n))] }),
  },
  {
    name: "header text",
    max: 150,
    path: "/blocks/0/text/text",
    build: (n) => message({ type: "header", text: plain(str(n)) }),
  },
  {
    name: "actions elements",
    max: 25,
    path: "/blocks/0/elements",
    build: (n) => message(actions(...times(n, (i) => button(`b${i}`)))),
  },
  {
    name: "context elements",
    max: 10,
    path: "/blocks/0/elements",
    build: (n) => message({ type: "context", elements: times(n, () => mrkdwn("ctx")) }),
  },
  {
    name: "button text",
    max: 75,
    path: "/blocks/0/elements/0/text/text",
    build: (n) => message(actions(button("b", { text: plain(str(n)) }))),
  },
  {
    name: "button value",
    max: 2000,
    path: "/blocks/0/elements/0/value",
    build: (n) => message(actions(button("b", { value: str(n) }))),
  },
  {
    name: "button url",
    max: 3000,
    path: "/blocks/0/elements/0/url",
    build: (n) => message(actions(button("b", { url: url(n) }))),
  },
  {
    name: "action_id",
    max: 255,
    path: "/blocks/0/elements/0/action_id",
    build: (n) => message(actions(button(str(n)))),
  },
  {
    name: "block_id",
    max: 255,
    path: "/blocks/0/block_id",
    build: (n) => message({ ...section(), block_id: str(n) }),
  },
  {
    name: "static_select options",
    max: 100,
    path: "/blocks/0/accessory/options",
    build: (n) => message(staticSelect(options(n))),
  },
  {
    name: "multi_static_select options",
    max: 100,
    path: "/blocks/0/accessory/options",
    build: (n) => message(withAccessory(menu("multi_static_select", { options: options(n) }))),
  },
  {
    name: "option_groups",
    max: 100,
    path: "/blocks/0/accessory/option_groups",
    build: (n) =>
      message(
        withAccessory(
          menu("static_select", {
            option_groups: times(n, (i) => ({ label: plain(`G${i}`), options: options(1) })),
          }),
        ),
      ),
  },
  {
    name: "options in an option group",
    max: 100,
    path: "/blocks/0/accessory/option_groups/0/options",
    build: (n) =>
      message(
        withAccessory(menu("static_select", { option_groups: [{ label: plain("G"), options: options(n) }] })),
      ),
  },
  {
    name: "overflow options",
    max: 5,
    path: "/blocks/0/accessory/options",
    build: (n) => message(withAccessory(menu("overflow", { options: options(n) }))),
  },
  {
    name: "checkboxes options",
    max: 10,
    path: "/blocks/0/accessory/options",
    build: (n) => message(withAccessory(menu("checkboxes", { options: options(n) }))),
  },
  {
    name: "radio_buttons options",
    max: 10,
    path: "/blocks/0/accessory/options",
    build: (n) => message(withAccessory(menu("radio_buttons", { options: options(n) }))),
  },
  {
    name: "option text",
    max: 75,
    path: "/blocks/0/accessory/options/0/text/text",
    build: (n) => message(staticSelect([{ text: plain(str(n)), value: "v" }])),
  },
  {
    name: "option value",
    max: 150,
    path: "/blocks/0/accessory/options/0/value",
    build: (n) => message(staticSelect([{ text: plain("SEV1"), value: str(n) }])),
  },
  { name: "modal title", max: 24, path: "/title/text", build: (n) => ({ ...modal(), title: plain(str(n)) }) },
  {
    name: "modal submit",
    max: 24,
    path: "/submit/text",
    build: (n) => ({ ...modal(), submit: plain(str(n)) }),
  },
  { name: "modal close", max: 24, path: "/close/text", build: (n) => ({ ...modal(), close: plain(str(n)) }) },
  {
    name: "callback_id",
    max: 255,
    path: "/callback_id",
    build: (n) => ({ ...modal(), callback_id: str(n) }),
  },
  {
    name: "private_metadata",
    max: 3000,
    path: "/private_metadata",
    build: (n) => ({ ...home(), private_metadata: str(n) }),
  },
  {
    name: "plain_text_input max_length",
    max: 3000,
    path: "/blocks/0/element/max_length",
    build: (n) => modal(input(textInput({ max_length: n }))),
  },
  {
    name: "plain_text_input min_length",
    max: 3000,
    path: "/blocks/0/element/min_length",
    build: (n) => modal(input(textInput({ min_length: n }))),
  },
  {
    name: "input label",
    max: 2000,
    path: "/blocks/0/label/text",
    build: (n) => modal(input(textInput(), { label: plain(str(n)) })),
  },
  {
    name: "input hint",
    max: 2000,
    path: "/blocks/0/hint/text",
    build: (n) => modal(input(textInput(), { hint: plain(str(n)) })),
  },
  {
    name: "image alt_text",
    max: 2000,
    path: "/blocks/0/alt_text",
    build: (n) => message(image({ alt_text: str(n) })),
  },
  {
    name: "image_url",
    max: 3000,
    path: "/blocks/0/image_url",
    build: (n) => message(image({ image_url: url(n) })),
  },
  {
    name: "image title",
    max: 2000,
    path: "/blocks/0/title/text",
    build: (n) => message(image({ title: plain(str(n)) })),
  },
  { name: "message text", max: 40_000, path: "/text", build: (n) => ({ kind: "message", text: str(n) }) },
];

describe.each(LIMITS)("$name (at most $max)", ({ max, path, build }) => {
  it("accepts a surface exactly at the limit", () => {
    expect(checkSurface(build(max))).toEqual([]);
  });

  it("rejects one just over it, naming the path", () => {
    expect(checkSurface(build(max + 1))).toEqual([expect.stringContaining(`[json-pointer:${path}]`)]);
  });
});

// [what, accepted at the bound, rejected just past it, path of the problem]
const LOWER_BOUNDS: [string, Surface, Surface, string][] = [
  ["text needs 1 character", message(section("x")), message(section("")), "/blocks/0/text/text"],
  [
    "plain_text_input max_length is at least 1",
    modal(input(textInput({ max_length: 1 }))),
    modal(input(textInput({ max_length: 0 }))),
    "/blocks/0/element/max_length",
  ],
  [
    "plain_text_input min_length is at most max_length",
    modal(input(textInput({ min_length: 10, max_length: 10 }))),
    modal(input(textInput({ min_length: 11, max_length: 10 }))),
    "/blocks/0/element/min_length",
  ],
];

describe.each(LOWER_BOUNDS)("%s", (_what, accepted, rejected, path) => {
  it("accepts the bound and rejects past it", () => {
    expect(checkSurface(accepted)).toEqual([]);
    expect(checkSurface(rejected)).toEqual([expect.stringContaining(`[json-pointer:${path}]`)]);
  });
});

const REJECTED: [string, Surface, string][] = [
  ["an unknown block type", message({ type: "sectoin", text: mrkdwn("typo") }), "/blocks/0/type"],
  [
    "an unknown element type",
    message(actions({ type: "slider", action_id: "s" })),
    "/blocks/0/elements/0/type",
  ],
  [
    "a duplicate block_id",
    message({ ...section(), block_id: "summary" }, { ...section(), block_id: "summary" }),
    "/blocks/1/block_id",
  ],
  [
    "a duplicate action_id in one block",
    message(actions(button("ack"), button("ack"))),
    "/blocks/0/elements/1/action_id",
  ],
  [
    "a button style other than primary or danger",
    message(actions(button("b", { style: "secondary" }))),
    "/blocks/0/elements/0/style",
  ],
  [
    "a text object of an unknown type",
    message({ type: "section", text: { type: "markdown", text: "x" } }),
    "/blocks/0/text/type",
  ],
  ["a mrkdwn header", message({ type: "header", text: mrkdwn("*Incident*") }), "/blocks/0/text/type"],
  [
    "a mrkdwn button text",
    message(actions(button("b", { text: mrkdwn("*Ack*") }))),
    "/blocks/0/elements/0/text/type",
  ],
  [
    "a mrkdwn option in a select",
    message(staticSelect([{ text: mrkdwn("*SEV1*"), value: "1" }])),
    "/blocks/0/accessory/options/0/text/type",
  ],
  ["a mrkdwn modal title", { ...modal(), title: mrkdwn("*Declare*") }, "/title/type"],
  ["a mrkdwn input label", modal(input(textInput(), { label: mrkdwn("*Title*") })), "/blocks/0/label/type"],
  ["a modal without a title", { kind: "modal", blocks: [section()] }, "/"],
  [
    "a modal with an input block but no submit",
    { kind: "modal", title: plain("Declare"), blocks: [input(textInput())] },
    "/",
  ],
  ["a view without blocks", { kind: "home" }, "/blocks"],
  ["a section with neither text nor fields", message({ type: "section" }), "/blocks/0"],
  ["an input block without a label", message({ type: "input", element: textInput() }), "/blocks/0"],
  ["an input block without an element", message({ type: "input", label: plain("Title") }), "/blocks/0"],
  ["an image without alt_text", message({ type: "image", image_url: "https://e.co/a.png" }), "/blocks/0"],
  ["an image without image_url or slack_file", message({ type: "image", alt_text: "Graph" }), "/blocks/0"],
  [
    "a context block holding a button",
    message({ type: "context", elements: [button("b")] }),
    "/blocks/0/elements/0/type",
  ],
  ["blocks that are not an array", { kind: "message", text: "x", blocks: { type: "divider" } }, "/blocks"],
  ["a block that is not an object", message("divider"), "/blocks/0"],
  ["a block without a string type", message({ text: mrkdwn("x") }), "/blocks/0"],
];

describe("rejects", () => {
  it.each(REJECTED)("%s", (_what, surface, path) => {
    expect(checkSurface(surface)).toContainEqual(expect.stringContaining(`[json-pointer:${path}]`));
  });

  it("message text over 40,000 characters as msg_too_long", () => {
    expect(checkSurface({ kind: "message", text: str(40_001) })).toEqual([
      expect.stringMatching(/^msg_too_long: \[ERROR\] .* \[json-pointer:\/text\]$/),
    ]);
  });

  it.each<[string, Surface]>([
    ["neither text nor blocks", { kind: "message" }],
    ["empty text and no blocks", { kind: "message", text: "", blocks: [] }],
  ])("a message with %s as no_text", (_what, surface) => {
    expect(checkSurface(surface)).toEqual([expect.stringMatching(/^no_text: /)]);
  });
});

const ACCEPTED: [string, Surface][] = [
  ["the same action_id in two different blocks", message(actions(button("ack")), actions(button("ack")))],
  [
    "primary and danger buttons",
    message(actions(button("a", { style: "primary" }), button("b", { style: "danger" }))),
  ],
  [
    "mrkdwn options in checkboxes",
    message(withAccessory(menu("checkboxes", { options: [{ text: mrkdwn("*a*"), value: "a" }] }))),
  ],
  [
    "a select whose options come from an external source",
    message(withAccessory(menu("external_select", {}))),
  ],
  ["an input block in a message", message(input(textInput()))],
  ["an input block in a Home tab, without submit", home(input(textInput(), { dispatch_action: true }))],
  ["a message with blocks and no text", { kind: "message", blocks: [section()] }],
  ["a message with text and no blocks", { kind: "message", text: "Incident #42 resolved" }],
  ["a section with fields only", message({ type: "section", fields: [mrkdwn("*Severity*\nSEV1")] })],
  ["an image from a Slack file", message({ type: "image", slack_file: { id: "F123" }, alt_text: "Graph" })],
  ["a newer block type Slack documents (table)", message({ type: "table", rows: [] })],
];

describe("accepts", () => {
  it.each(ACCEPTED)("%s", (_what, surface) => {
    expect(checkSurface(surface)).toEqual([]);
  });

  it("a realistic incident message: section, actions with 3 buttons and context", () => {
    const incident: Surface = {
      kind: "message",
      text: "Incident #42 declared: checkout API returns 500s",
      blocks: [
        {
          type: "section",
          block_id: "incident_summary",
          text: mrkdwn("*Incident #42*: checkout API returns 500s"),
          fields: [mrkdwn("*Severity*\nSEV1"), mrkdwn("*Commander*\n<@U123>")],
          accessory: menu("overflow", { options: options(3) }),
        },
        actions(
          button("incident_ack", { value: "42", style: "primary" }),
          button("incident_escalate", { value: "42", style: "danger" }),
          button("incident_open", { url: "https://status.example.com/incidents/42" }),
        ),
        { type: "context", elements: [image({ type: "image" }), mrkdwn("Declared by <@U123> in <#C456>")] },
      ],
    };
    expect(checkSurface(incident)).toEqual([]);
    expect(() => assertValidSurface(incident)).not.toThrow();
  });

  it("a declare-incident modal with inputs", () => {
    const declare: Surface = {
      kind: "modal",
      title: plain("Declare incident"),
      submit: plain("Declare"),
      close: plain("Cancel"),
      callback_id: "declare_incident",
      private_metadata: JSON.stringify({ channel: "C456" }),
      blocks: [
        input(textInput({ max_length: 150 }), { block_id: "title" }),
        input(menu("static_select", { action_id: "severity", options: options(4) }), {
          block_id: "severity",
          label: plain("Severity"),
        }),
        input(menu("users_select", { action_id: "commander" }), {
          block_id: "commander",
          label: plain("Commander"),
        }),
        input(textInput({ action_id: "summary", multiline: true }), {
          block_id: "summary",
          label: plain("Summary"),
          hint: plain("What is broken, for whom?"),
          optional: true,
        }),
      ],
    };
    expect(checkSurface(declare)).toEqual([]);
  });
});

describe("assertValidSurface", () => {
  it("throws an Error listing every problem", () => {
    const bad = message({ type: "header", text: plain(str(151)) }, actions(button("a"), button("a")));
    expect(() => assertValidSurface(bad)).toThrow(
      /json-pointer:\/blocks\/0\/text\/text[\s\S]*json-pointer:\/blocks\/1\/elements\/1\/action_id/,
    );
  });
});
