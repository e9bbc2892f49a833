import { type App, MultipleListenerError } from "@slack/bolt";

/**
 * Listeners keyed by their command, action_id or callback_id. Bolt runs every registered listener's
 * constraint matching on every request (a middleware chain, and a copy of the listener's arguments, per
 * listener per request), which was most of the bot's CPU before an ack. Registrations with a plain string
 * constraint are kept here instead, and one Bolt listener per kind looks the request's id up and runs
 * only the listeners registered for it, exactly as Bolt would have: same matching, same arguments, same
 * `next`, and the same error when one or several of them throw. Other constraints (a RegExp, an object)
 * still go to Bolt as they are.
 */

type Kind = "command" | "action" | "view" | "shortcut";
type Fn = (args: Record<string, unknown>) => unknown;
type Args = Record<string, unknown> & { body: Record<string, unknown>; payload: Record<string, unknown> };

const KINDS: readonly string[] = ["command", "action", "view", "shortcut"] satisfies Kind[];

/** The id Bolt would compare a string constraint of `kind` with, or undefined when none would match. */
function idOf(kind: Kind, args: Args): string | undefined {
  const { body, payload } = args;
  let id: unknown;
  switch (kind) {
    case "command":
      id = (args.command as { command?: unknown } | undefined)?.command;
      break;
    case "action":
      // A string constraint is an action_id: only block elements have one.
      id = payload.action_id;
      break;
    case "view":
      // A string constraint on a view means a submission of that callback_id.
      if (body.type !== "view_submission") return undefined;
      id = (body.view as { callback_id?: unknown } | undefined)?.callback_id;
      break;
    case "shortcut":
      id = body.callback_id;
      break;
  }
  return typeof id === "string" ? id : undefined;
}

/** Runs one listener's middleware chain as Bolt's processMiddleware does: the listener last, with a no-op `next`. */
function runChain(chain: readonly Fn[], args: Args): Promise<unknown> {
  let last = -1;
  const invoke = async (index: number): Promise<unknown> => {
    if (last >= index) throw Error("next() called multiple times");
    last = index;
    const fn = chain[index] as Fn;
    if (index === chain.length - 1) return fn({ ...args, next: () => {} });
    return fn({ ...args, next: () => invoke(index + 1) });
  };
  return invoke(0);
}

export class ListenerRouter {
  private readonly routes: Record<Kind, Map<string, Fn[][]>> = {
    command: new Map(),
    action: new Map(),
    view: new Map(),
    shortcut: new Map(),
  };

  /**
   * `app`, with every string-constrained `command`, `action`, `view` and `shortcut` registration kept here.
   * The first such registration of a kind registers that kind's one Bolt listener, in its place.
   */
  routing(app: App): App {
    return new Proxy(app, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        if (typeof property === "string" && KINDS.includes(property))
          return (constraint: unknown, ...chain: Fn[]) => {
            if (typeof constraint !== "string" || chain.length === 0)
              return value.call(target, constraint, ...chain);
            const kind = property as Kind;
            const routes = this.routes[kind];
            if (routes.size === 0) this.mount(target, kind);
            routes.set(constraint, [...(routes.get(constraint) ?? []), chain]);
          };
        return value.bind(target);
      },
    });
  }

  /** Registers with Bolt the one listener of `kind` that runs the listeners routed by the request's id. */
  private mount(app: App, kind: Kind): void {
    const dispatch = async (args: unknown): Promise<void> => {
      const id = idOf(kind, args as Args);
      const chains = id === undefined ? undefined : this.routes[kind].get(id);
      if (!chains) return;
      if (chains.length === 1) {
        await runChain(chains[0] as Fn[], args as Args);
        return;
      }
      // Several listeners for one id: all run, and their failures surface as Bolt's would.
      const settled = await Promise.allSettled(chains.map((chain) => runChain(chain, args as Args)));
      const failures = settled.filter((s): s is PromiseRejectedResult => s.status === "rejected");
      if (failures.length === 1) throw failures[0]?.reason;
      if (failures.length > 1) throw new MultipleListenerError(failures.map((f) => f.reason));
    };
    if (kind === "command") app.command(/(?:)/, dispatch);
    else if (kind === "action") app.action({}, dispatch);
    else if (kind === "view") app.view({ type: "view_submission" }, dispatch);
    else app.shortcut({}, dispatch);
  }
}
