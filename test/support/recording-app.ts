import type { App } from "@slack/bolt";
import type { AppContext } from "../../src/context.ts";
import { registerSlackSurfaces } from "../../src/slack/register.ts";

/** What the code registered with Bolt, by the ids Slack routes on. */
export interface RecordedSurfaces {
  /** Slash command names, for example "/incident". */
  commands: string[];
  /** Shortcut callback_ids, global and message shortcuts alike. */
  shortcuts: string[];
  /** Block action_ids (or callback_id / type when a constraint object names no action_id). */
  actions: string[];
  /** View callback_ids (or type when a constraint object names no callback_id). */
  views: string[];
  /** Event types. A `message(...)` listener is recorded as "message", the event Bolt subscribes it to. */
  events: string[];
}

type IdOrConstraints = string | RegExp | Record<string, unknown>;

/** A string id as is; a RegExp as "/source/flags", so it never quietly equals a manifest entry. */
function idOf(idOrConstraints: IdOrConstraints, ...keys: string[]): string {
  if (typeof idOrConstraints === "string") return idOrConstraints;
  if (idOrConstraints instanceof RegExp) return String(idOrConstraints);
  for (const key of keys) {
    const value = idOrConstraints[key];
    if (typeof value === "string") return value;
    if (value instanceof RegExp) return String(value);
  }
  return `(constraints ${JSON.stringify(idOrConstraints)})`;
}

/** A stand-in for Bolt's `App` that only writes down what gets registered; listeners are never run. */
export class RecordingApp {
  readonly recorded = {
    commands: [] as string[],
    shortcuts: [] as string[],
    actions: [] as string[],
    views: [] as string[],
    events: [] as string[],
    options: [] as string[],
    middleware: 0,
    errorHandlers: 0,
  };

  command(name: string | RegExp, ..._listeners: unknown[]): void {
    this.recorded.commands.push(idOf(name));
  }

  shortcut(callbackIdOrConstraints: IdOrConstraints, ..._listeners: unknown[]): void {
    this.recorded.shortcuts.push(idOf(callbackIdOrConstraints, "callback_id", "type"));
  }

  action(actionIdOrConstraints: IdOrConstraints, ..._listeners: unknown[]): void {
    this.recorded.actions.push(idOf(actionIdOrConstraints, "action_id", "callback_id", "type"));
  }

  view(callbackIdOrConstraints: IdOrConstraints, ..._listeners: unknown[]): void {
    this.recorded.views.push(idOf(callbackIdOrConstraints, "callback_id", "type"));
  }

  event(name: string | RegExp, ..._listeners: unknown[]): void {
    this.recorded.events.push(idOf(name));
  }

  message(..._patternsOrListeners: unknown[]): void {
    this.recorded.events.push("message");
  }

  options(actionIdOrConstraints: IdOrConstraints, ..._listeners: unknown[]): void {
    this.recorded.options.push(idOf(actionIdOrConstraints, "action_id", "callback_id", "type"));
  }

  use(..._middleware: unknown[]): void {
    this.recorded.middleware += 1;
  }

  error(_handler: unknown): void {
    this.recorded.errorHandlers += 1;
  }
}

/**
 * The recording app behind a guard: touching any other `App` member (`client`, `function`, `start`, …) during
 * registration throws, so a new kind of surface shows up here instead of going unrecorded.
 */
function guarded(recording: RecordingApp): RecordingApp {
  return new Proxy(recording, {
    get(target, prop, receiver) {
      if (typeof prop === "string" && !(prop in target))
        throw new Error(`registration used app.${prop}, which test/support/recording-app.ts does not record`);
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** Deps whose every property throws: registering a surface must wire listeners, not do I/O or read config. */
export function untouchableDeps(): AppContext {
  return new Proxy({} as AppContext, {
    get(_deps, prop) {
      throw new Error(
        `registration touched deps.${String(prop)}; only listeners, when they run, may use deps`,
      );
    },
  });
}

/** Runs the real `registerSlackSurfaces` against a recording app and returns what it registered. */
export function recordSurfaces(): RecordedSurfaces {
  const recording = new RecordingApp();
  registerSlackSurfaces(guarded(recording) as unknown as App, untouchableDeps());
  const { commands, shortcuts, actions, views, events } = recording.recorded;
  return { commands, shortcuts, actions, views, events };
}
