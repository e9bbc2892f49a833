/**
 * Block Kit limits checker for the fake Slack Web API (test support, not shipped).
 *
 * Limits follow Slack's Block Kit reference (https://docs.slack.dev/reference/block-kit). The checker must never
 * be stricter than Slack: a false rejection would fail a test for a payload Slack takes. So where the reference
 * is vague, or a rule is not listed here, the payload is accepted.
 *
 * Each problem reads like Slack's `response_metadata.messages`:
 *   `[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]`
 * Pointers are relative to the surface (Slack prefixes a view's with `/view`). Problems that Slack reports with
 * another error code than `invalid_blocks` start with that code and a colon:
 *   `msg_too_long: …` for message text over 40,000 characters, `no_text: …` for a message with neither text
 *   nor blocks. The fake server answers with that code when any problem carries one.
 */

export type SurfaceKind = "message" | "modal" | "home";

export interface Surface {
  kind: SurfaceKind;
  blocks?: unknown;
  text?: unknown;
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  callback_id?: unknown;
  private_metadata?: unknown;
}

type Obj = Record<string, unknown>;
type ElementCheck = (out: string[], element: Obj, path: string) => void;
/** `element` checks a nested element, sharing the block's action_id uniqueness. */
type BlockCheck = (
  out: string[],
  block: Obj,
  path: string,
  element: (value: unknown, path: string) => void,
) => void;

const MAX_BLOCKS: Record<SurfaceKind, number> = { message: 50, modal: 100, home: 100 };
const MAX_MESSAGE_TEXT = 40_000;

const isObj = (value: unknown): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const problem = (path: string, message: string) => `[ERROR] ${message} [json-pointer:${path || "/"}]`;

// Own properties only, so a type like "constructor" is not mistaken for a known one.
const lookup = <T>(table: Record<string, T>, key: string): T | undefined =>
  Object.hasOwn(table, key) ? table[key] : undefined;

// Code points, not UTF-16 units: an emoji counts once, which can only make us more lenient than Slack.
const length = (text: string) => [...text].length;

function checkString(out: string[], value: unknown, path: string, max: number, min = 0): void {
  if (typeof value !== "string") out.push(problem(path, "must be a string"));
  else if (length(value) > max) out.push(problem(path, `must be less than ${max + 1} characters`));
  else if (length(value) < min) out.push(problem(path, `must be more than ${min - 1} characters`));
}

function checkInteger(out: string[], value: unknown, path: string, min: number, max: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    out.push(problem(path, `must be an integer between ${min} and ${max}`));
  }
}

/** Checks a text object; `plain` where Slack only takes `plain_text`. Every text holds 1 to 3000 characters. */
function checkText(out: string[], value: unknown, path: string, max = 3000, plain = false): void {
  if (!isObj(value)) {
    out.push(problem(path, "must provide an object"));
    return;
  }
  const types = plain ? ["plain_text"] : ["plain_text", "mrkdwn"];
  if (!types.includes(value.type as string)) {
    out.push(problem(`${path}/type`, `must be one of: ${types.join(", ")}`));
  }
  checkString(out, value.text, `${path}/text`, max, 1);
}

/** Runs `check` on `node[key]` when present; reports it missing when required. */
function checkField(
  out: string[],
  node: Obj,
  key: string,
  path: string,
  required: boolean,
  check: (value: unknown, path: string) => void,
): void {
  if (node[key] !== undefined) check(node[key], `${path}/${key}`);
  else if (required) out.push(problem(path, `missing required field: ${key}`));
}

interface TextRule {
  max: number;
  plain?: boolean;
  required?: boolean;
}

const textField = (out: string[], node: Obj, key: string, path: string, rule: TextRule) =>
  checkField(out, node, key, path, rule.required ?? false, (value, p) =>
    checkText(out, value, p, rule.max, rule.plain),
  );

const stringField = (out: string[], node: Obj, key: string, path: string, max: number, required = false) =>
  checkField(out, node, key, path, required, (value, p) => checkString(out, value, p, max));

/** Checks the array `node[key]`: required, at most `max` items, each passed to `each`. */
function checkArray(
  out: string[],
  node: Obj,
  key: string,
  path: string,
  max: number,
  each: (item: unknown, path: string) => void,
): void {
  checkField(out, node, key, path, true, (items, p) => {
    if (!Array.isArray(items)) {
      out.push(problem(p, "must provide an array"));
      return;
    }
    if (items.length > max) out.push(problem(p, `no more than ${max} items allowed`));
    for (const [i, item] of items.entries()) each(item, `${p}/${i}`);
  });
}

function checkOption(out: string[], option: unknown, path: string, plain: boolean): void {
  if (!isObj(option)) {
    out.push(problem(path, "must provide an object"));
    return;
  }
  textField(out, option, "text", path, { max: 75, plain, required: true });
  stringField(out, option, "value", path, 150);
  textField(out, option, "description", path, { max: 75 });
  stringField(out, option, "url", path, 3000);
}

/** Options of a menu; select menus may group theirs in `option_groups` instead (100 groups of 100). */
function menuOptions(max: number, plain: boolean): ElementCheck {
  return (out, element, path) => {
    const each = (option: unknown, p: string) => checkOption(out, option, p, plain);
    if (element.option_groups === undefined) {
      // External and dynamic menus have no options, so they are not required here.
      if (element.options !== undefined) checkArray(out, element, "options", path, max, each);
      return;
    }
    checkArray(out, element, "option_groups", path, 100, (group, p) => {
      if (!isObj(group)) out.push(problem(p, "must provide an object"));
      else {
        textField(out, group, "label", p, { max: 75, plain: true, required: true });
        checkArray(out, group, "options", p, 100, each);
      }
    });
  };
}

function checkImage(out: string[], image: Obj, path: string): void {
  if (image.image_url === undefined && image.slack_file === undefined) {
    out.push(problem(path, "must provide image_url or slack_file"));
  }
  stringField(out, image, "image_url", path, 3000);
  stringField(out, image, "alt_text", path, 2000, true);
}

const none = () => {};

const ELEMENT_CHECKS: Record<string, ElementCheck> = {
  button: (out, button, path) => {
    textField(out, button, "text", path, { max: 75, plain: true, required: true });
    stringField(out, button, "value", path, 2000);
    stringField(out, button, "url", path, 3000);
    if (button.style !== undefined && button.style !== "primary" && button.style !== "danger") {
      out.push(problem(`${path}/style`, "must be one of: primary, danger"));
    }
  },
  channels_select: none,
  checkboxes: menuOptions(10, false),
  conversations_select: none,
  datepicker: none,
  datetimepicker: none,
  email_text_input: none,
  external_select: none,
  file_input: none,
  image: checkImage,
  multi_channels_select: none,
  multi_conversations_select: none,
  multi_external_select: none,
  multi_static_select: menuOptions(100, true),
  multi_users_select: none,
  number_input: none,
  overflow: menuOptions(5, true),
  plain_text_input: (out, input, path) => {
    const { min_length: min, max_length: max } = input;
    if (min !== undefined) checkInteger(out, min, `${path}/min_length`, 0, 3000);
    if (max !== undefined) checkInteger(out, max, `${path}/max_length`, 1, 3000);
    if (typeof min === "number" && typeof max === "number" && min > max) {
      out.push(problem(`${path}/min_length`, "must not be greater than max_length"));
    }
  },
  radio_buttons: menuOptions(10, false),
  rich_text_input: none,
  static_select: menuOptions(100, true),
  timepicker: none,
  url_text_input: none,
  users_select: none,
  workflow_button: (out, button, path) =>
    textField(out, button, "text", path, { max: 75, plain: true, required: true }),
};

function checkElement(out: string[], element: unknown, path: string, actionIds: Set<string>): void {
  if (!isObj(element) || typeof element.type !== "string") {
    out.push(problem(path, "must provide an object with a string type"));
    return;
  }
  const check = lookup(ELEMENT_CHECKS, element.type);
  if (!check) {
    out.push(problem(`${path}/type`, `unsupported type: ${element.type}`));
    return;
  }
  const actionId = element.action_id;
  if (actionId !== undefined) checkString(out, actionId, `${path}/action_id`, 255);
  if (typeof actionId === "string") {
    if (actionIds.has(actionId)) out.push(problem(`${path}/action_id`, `duplicate action_id: ${actionId}`));
    actionIds.add(actionId);
  }
  check(out, element, path);
}

const BLOCK_CHECKS: Record<string, BlockCheck> = {
  section: (out, section, path, element) => {
    if (section.text === undefined && section.fields === undefined) {
      out.push(problem(path, "must provide text or fields"));
    }
    textField(out, section, "text", path, { max: 3000 });
    if (section.fields !== undefined) {
      checkArray(out, section, "fields", path, 10, (field, p) => checkText(out, field, p, 2000));
    }
    if (section.accessory !== undefined) element(section.accessory, `${path}/accessory`);
  },
  divider: none,
  image: (out, image, path) => {
    checkImage(out, image, path);
    textField(out, image, "title", path, { max: 2000, plain: true });
  },
  actions: (out, actions, path, element) => checkArray(out, actions, "elements", path, 25, element),
  context: (out, context, path) =>
    checkArray(out, context, "elements", path, 10, (item, p) => {
      if (isObj(item) && item.type === "image") checkImage(out, item, p);
      else checkText(out, item, p);
    }),
  // Allowed on every surface: newer references list messages too, and when in doubt we accept.
  input: (out, input, path, element) => {
    textField(out, input, "label", path, { max: 2000, plain: true, required: true });
    textField(out, input, "hint", path, { max: 2000, plain: true });
    if (input.element === undefined) out.push(problem(path, "missing required field: element"));
    else element(input.element, `${path}/element`);
  },
  header: (out, header, path) =>
    textField(out, header, "text", path, { max: 150, plain: true, required: true }),
  rich_text: none,
  video: none,
  file: none,
  markdown: none,
  // Newer blocks in Slack's reference, accepted unchecked so the fake never rejects what Slack takes.
  context_actions: none,
  plan: none,
  table: none,
};

function checkBlocks(out: string[], blocks: unknown, kind: SurfaceKind): void {
  if (!Array.isArray(blocks)) {
    out.push(problem("/blocks", "must provide an array"));
    return;
  }
  if (blocks.length > MAX_BLOCKS[kind]) {
    out.push(problem("/blocks", `no more than ${MAX_BLOCKS[kind]} items allowed`));
  }
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => {
    const path = `/blocks/${i}`;
    if (!isObj(block) || typeof block.type !== "string") {
      out.push(problem(path, "must provide an object with a string type"));
      return;
    }
    const check = lookup(BLOCK_CHECKS, block.type);
    if (!check) {
      out.push(problem(`${path}/type`, `unsupported type: ${block.type}`));
      return;
    }
    const blockId = block.block_id;
    if (blockId !== undefined) checkString(out, blockId, `${path}/block_id`, 255);
    if (typeof blockId === "string") {
      if (blockIds.has(blockId)) out.push(problem(`${path}/block_id`, `duplicate block_id: ${blockId}`));
      blockIds.add(blockId);
    }
    const actionIds = new Set<string>();
    check(out, block, path, (element, p) => checkElement(out, element, p, actionIds));
  });
}

function checkMessage(out: string[], message: Surface): void {
  const text = message.text ?? "";
  const hasBlocks = Array.isArray(message.blocks) && message.blocks.length > 0;
  if (text === "" && !hasBlocks) out.push(`no_text: ${problem("/text", "must provide text or blocks")}`);
  else if (typeof text !== "string") out.push(problem("/text", "must be a string"));
  else if (length(text) > MAX_MESSAGE_TEXT) {
    out.push(`msg_too_long: ${problem("/text", `must be less than ${MAX_MESSAGE_TEXT + 1} characters`)}`);
  }
  if (message.blocks !== undefined) checkBlocks(out, message.blocks, "message");
}

function checkView(out: string[], view: Surface): void {
  const root: Obj = { ...view };
  if (view.kind === "modal") {
    textField(out, root, "title", "", { max: 24, plain: true, required: true });
    textField(out, root, "submit", "", { max: 24, plain: true });
    textField(out, root, "close", "", { max: 24, plain: true });
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === "input");
    if (hasInput && view.submit === undefined) {
      out.push(problem("", "missing required field: submit (required with input blocks)"));
    }
  }
  stringField(out, root, "callback_id", "", 255);
  stringField(out, root, "private_metadata", "", 3000);
  checkBlocks(out, view.blocks, view.kind);
}

/** Returns every reason Slack would reject this surface with `invalid_blocks` (or `msg_too_long` for text); empty when Slack accepts it. */
export function checkSurface(surface: Surface): string[] {
  const out: string[] = [];
  if (surface.kind === "message") checkMessage(out, surface);
  else checkView(out, surface);
  return out;
}

/** Convenience for unit tests of Block Kit builders: throws an Error listing every problem. */
export function assertValidSurface(surface: Surface): void {
  const problems = checkSurface(surface);
  if (problems.length > 0) {
    throw new Error(`Slack would reject this ${surface.kind}:\n${problems.join("\n")}`);
  }
}
