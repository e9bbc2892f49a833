import type { App } from "@slack/bolt";
import type { AppContext } from "../context.ts";
import { escapeMrkdwn } from "./mrkdwn.ts";
import { respond } from "./respond.ts";

/**
 * Requests no surface takes: a button or form from an older version of Firebreak, a shortcut or command the
 * app no longer has, or a forged id. Bolt would leave them unacknowledged, so Slack would show the person a
 * timeout error after 3 s and the receiver would log an error. Each is acknowledged at once instead and the
 * person is told, in words, that nothing was done.
 */

type Constraint = string | RegExp | Readonly<Record<string, unknown>>;
type Kind = "action" | "view" | "shortcut" | "command";
type Fields = Readonly<Record<string, unknown>>;

/** Bolt's own reading of a string or RegExp constraint, per kind of listener. */
const BARE_CONSTRAINT_FIELD: Record<Kind, string> = {
  action: "action_id",
  view: "callback_id",
  shortcut: "callback_id",
  command: "command",
};

function fits(wanted: unknown, given: unknown): boolean {
  if (wanted === undefined) return true;
  if (typeof given !== "string") return false;
  return wanted instanceof RegExp
    ? new RegExp(wanted.source, wanted.flags.replace("g", "")).test(given)
    : wanted === given;
}

/** The constraints each surface registered listeners with, noted on the way to Bolt. */
export class ListenerRegistry {
  private readonly constraints: Record<Kind, Constraint[]> = {
    action: [],
    view: [],
    shortcut: [],
    command: [],
  };

  /** The plain string constraints of `constraints`, per kind, for a lookup instead of a scan. */
  private readonly named: Record<Kind, Set<string>> = {
    action: new Set(),
    view: new Set(),
    shortcut: new Set(),
    command: new Set(),
  };

  /** `app`, with every `action`, `view`, `shortcut` and `command` registration noted here first. */
  recording(app: App): App {
    return new Proxy(app, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        if (property in BARE_CONSTRAINT_FIELD)
          return (constraint: Constraint, ...rest: unknown[]) => {
            this.constraints[property as Kind].push(constraint);
            if (typeof constraint === "string") this.named[property as Kind].add(constraint);
            return value.call(target, constraint, ...rest);
          };
        return value.bind(target);
      },
    });
  }

  /** Whether some surface's listener takes a request of `kind` with these fields (action_id, callback_id…). */
  takes(kind: Kind, fields: Fields): boolean {
    // A string constraint: the field Bolt reads equals it (a view's, on a submission).
    const named = fields[BARE_CONSTRAINT_FIELD[kind]];
    if (
      typeof named === "string" &&
      this.named[kind].has(named) &&
      (kind !== "view" || fields.type === "view_submission")
    )
      return true;
    return this.constraints[kind].some((constraint) => {
      if (typeof constraint === "string") return false;
      const wanted =
        typeof constraint === "string" || constraint instanceof RegExp
          ? { [BARE_CONSTRAINT_FIELD[kind]]: constraint, ...(kind === "view" && { type: "view_submission" }) }
          : constraint;
      return Object.entries(wanted).every(([field, value]) => fits(value, fields[field]));
    });
  }
}

const NOTHING_DONE =
  "so I did nothing. It may be from an older version of Firebreak: use `/incident help` to see what I can do.";

const asString = (value: unknown) => (typeof value === "string" ? value : undefined);

/**
 * Registers, after every surface, the middleware that answers whatever none of them takes: such a request
 * goes no further. One middleware, not a listener per kind: Bolt runs every listener's matching on every
 * request (about 7 µs each), and these six ran on every request to turn nearly all of them away.
 */
export function answerUnknownRequests(app: App, registry: ListenerRegistry, deps: AppContext): void {
  const tell = async (
    client: Parameters<typeof respond>[0],
    userId: string,
    responseUrl: unknown,
    text: string,
  ) => {
    deps.logger.warn({ user: userId }, "a Slack request no listener takes");
    await respond(client, deps.logger, { userId, responseUrl: asString(responseUrl) }, { text });
  };

  app.use(async ({ body: anyBody, payload, ack: anyAck, client, next }) => {
    // Bolt types ack() per kind of request; here it is any of them, each acked with what its kind takes.
    const ack = anyAck as ((response?: unknown) => Promise<void>) | undefined;
    const body = anyBody as Record<string, unknown> & {
      user?: { id?: string };
      view?: { callback_id?: unknown };
    };
    const type = body.type;
    const userId = body.user?.id ?? "";
    if (type === "block_actions") {
      if (registry.takes("action", { ...(payload as Fields), type })) return next();
      await ack?.();
      await tell(client, userId, body.response_url, `I do not know that button, ${NOTHING_DONE}`);
    } else if (type === "view_submission" || type === "view_closed") {
      if (registry.takes("view", { callback_id: body.view?.callback_id, type })) return next();
      await ack?.();
      if (type === "view_submission")
        await tell(client, userId, undefined, `I do not know that form, ${NOTHING_DONE}`);
    } else if (type === "shortcut" || type === "message_action") {
      if (registry.takes("shortcut", { callback_id: body.callback_id, type })) return next();
      await ack?.();
      await tell(client, userId, body.response_url, `I do not know that shortcut, ${NOTHING_DONE}`);
    } else if (typeof body.command === "string") {
      if (registry.takes("command", { command: body.command })) return next();
      deps.logger.warn({ user: body.user_id }, "a Slack request no listener takes");
      await ack?.({
        response_type: "ephemeral",
        text: `I do not know the command ${escapeMrkdwn(body.command.slice(0, 50))}, ${NOTHING_DONE}`,
      });
    } else return next();
  });
}
