/** views.* methods: modals opened and pushed with a trigger_id, updates by id or external_id, Home tabs. */
import type { Trigger, View } from "../state.ts";
import {
  type Args,
  type Context,
  checkView,
  fail,
  flag,
  type Handler,
  invalidArguments,
  str,
} from "./common.ts";

/** Slack lets a trigger_id be exchanged once, within 3 seconds of the interaction that issued it. */
const TRIGGER_TTL_MS = 3000;
/** At most 3 modals on a stack. */
const MAX_STACK = 3;

type ViewInput = Record<string, unknown>;

/** The `view` argument (decoded from JSON by the server), which must be an object of the expected type. */
function viewArg(args: Args, type: View["type"]): ViewInput {
  const view = args.view;
  if (typeof view !== "object" || view === null || Array.isArray(view)) {
    invalidArguments("failed to match all allowed schemas [json-pointer:/view]");
  }
  const input = view as ViewInput;
  if (input.type !== type) invalidArguments(`must be "${type}" [json-pointer:/view/type]`);
  checkView(type, input);
  return input;
}

function exchangeTrigger(ctx: Context, args: Args): Trigger {
  const id = str(args, "trigger_id");
  if (id === "") invalidArguments("missing required field: trigger_id");
  const trigger = ctx.world.state.triggers[id] ?? fail("invalid_trigger_id");
  if (trigger.exchanged) fail("exchanged_trigger_id");
  if (ctx.world.clock() - trigger.createdAt > TRIGGER_TTL_MS) fail("expired_trigger_id");
  return trigger;
}

function checkExternalId(ctx: Context, input: ViewInput, self?: View): void {
  const externalId = str(input, "external_id");
  const taken = Object.values(ctx.world.state.views).some((v) => v !== self && v.external_id === externalId);
  if (externalId && taken) fail("duplicate_external_id");
}

/** The view fields a caller sets; the rest are Slack's bookkeeping. */
function content(input: ViewInput) {
  return {
    title: input.title,
    submit: input.submit ?? null,
    close: input.close ?? null,
    blocks: input.blocks ?? [],
    callback_id: str(input, "callback_id"),
    private_metadata: str(input, "private_metadata"),
    external_id: str(input, "external_id"),
    clear_on_close: flag(input, "clear_on_close"),
    notify_on_close: flag(input, "notify_on_close"),
  };
}

function createView(
  ctx: Context,
  type: View["type"],
  input: ViewInput,
  user?: string,
  stack: string[] = [],
): View {
  const { world } = ctx;
  const id = world.newId("V");
  const view: View = {
    id,
    team_id: world.state.workspace.id,
    type,
    user,
    ...content(input),
    state: { values: {} },
    hash: world.token(),
    root_view_id: stack[0] ?? id,
    previous_view_id: stack.at(-1) ?? null,
    app_id: world.state.bot.app_id,
    bot_id: world.state.bot.bot_id,
  };
  world.state.views[id] = view;
  return view;
}

function updateView(ctx: Context, view: View, input: ViewInput, hash: string): View {
  if (hash !== "" && hash !== view.hash) fail("hash_conflict");
  checkExternalId(ctx, input, view);
  Object.assign(view, content(input), { hash: ctx.world.token() });
  return view;
}

/** Slack's view object; who sees it is the fake's own bookkeeping. */
function answer(view: View) {
  const { user: _user, ...rest } = view;
  return { view: rest };
}

export const viewMethods: Record<string, Handler> = {
  "views.open": (ctx, args) => {
    const input = viewArg(args, "modal");
    checkExternalId(ctx, input);
    const trigger = exchangeTrigger(ctx, args);
    const view = createView(ctx, "modal", input, trigger.user);
    trigger.exchanged = true;
    ctx.world.state.modalStacks[trigger.user ?? ""] = [view.id];
    return answer(view);
  },

  // Pushes onto the modal stack of the user the trigger came from.
  "views.push": (ctx, args) => {
    const input = viewArg(args, "modal");
    checkExternalId(ctx, input);
    const trigger = exchangeTrigger(ctx, args);
    const stack = ctx.world.state.modalStacks[trigger.user ?? ""] ?? [];
    if (stack.length === 0) fail("not_found");
    if (stack.length >= MAX_STACK) fail("push_limit_reached");
    const view = createView(ctx, "modal", input, trigger.user, stack);
    trigger.exchanged = true;
    stack.push(view.id);
    return answer(view);
  },

  "views.update": (ctx, args) => {
    const viewId = str(args, "view_id");
    const externalId = str(args, "external_id");
    if (!viewId && !externalId) invalidArguments("missing required field: view_id or external_id");
    const views = Object.values(ctx.world.state.views);
    const view =
      views.find((v) => (viewId ? v.id === viewId : v.external_id === externalId)) ?? fail("not_found");
    return answer(updateView(ctx, view, viewArg(args, view.type), str(args, "hash")));
  },

  // One Home tab per user: the first publish creates it, later ones replace its content.
  "views.publish": (ctx, args) => {
    const user = str(args, "user_id");
    const { users, homeViews, views } = ctx.world.state;
    if (!users[user]) fail("invalid_arguments", { response_metadata: { messages: ["invalid `user_id`"] } });
    const input = viewArg(args, "home");
    const existing = views[homeViews[user] ?? ""];
    if (existing) return answer(updateView(ctx, existing, input, str(args, "hash")));
    checkExternalId(ctx, input);
    const view = createView(ctx, "home", input, user);
    homeViews[user] = view.id;
    return answer(view);
  },
};
