import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import fc from "fast-check";
import type { TestApp } from "../support/test-app.ts";

/**
 * Shared pieces of the hostile-input tests: what hostile Slack text looks like, how to tell when the app has
 * finished with a batch of requests, and what nobody may ever be shown.
 */

/** What Slack sends for the things people type: broadcasts, mentions, links, entities, markup. */
const SLACK_TOKENS = [
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "<!subteam^S0EVIL|@admins>",
  "<@U0EVIL>",
  "<@U0EVIL|mallory>",
  "<#C0EVIL|ops>",
  "<#C0EVIL>",
  "<https://evil.example/login|bank.example>",
  "<https://evil.example>",
  "<mailto:x@evil.example|x>",
  "&lt;!channel&gt;",
  "&lt;!here&gt;",
  "&amp;lt;!channel&amp;gt;",
  "&lt;https://evil.example|bank&gt;",
  "<!channel",
  "<<!here>>",
  "*bold*",
  "_it_",
  "~strike~",
  "`code`",
  "```block```",
  ">quote",
  ":rotating_light:",
  "\u202Eevil\u202C",
  "\u0000",
  "\uFEFF",
  "ｉｎｃ",
  "🔥🔥",
  "%s%n%x",
  "#{process.env}",
  "{{title}}",
  "'; db.dropDatabase(); //",
  '{"$gt":""}',
  "__proto__",
  "constructor",
];

/** Incident, change and window references that name nothing, or are not numbers at all. */
const FORGED_REFS = [
  "INC-0",
  "INC-999999",
  "INC-99999999999999999999999",
  "INC--1",
  "INC-1e9",
  "INC-0x10",
  "INC-1.5",
  "inc-",
  "#0",
  "#999999",
  "#-1",
  "INC-NaN",
  "CHG-0",
  "CHG-999999",
  "CHG-abc",
  "MW-0",
  "F0",
  "F999999",
  "F-1",
];

const WORDS = [
  "sev1",
  "sev2",
  "SEV4",
  "sev0",
  "sev9",
  "SEV-1",
  "commander",
  "comms",
  "scribe",
  "chef",
  "add",
  "list",
  "done",
  "weekly",
  "monthly",
  "preview",
  "--drill",
  "--type",
  "--type=database",
  "--",
  "-",
  "in",
  "3d",
  "in 99999d",
  "-5m",
  "30m",
  "0m",
  "9999999999h",
  "tomorrow",
  "friday 25:99",
  "2026-02-30",
  "1970-01-01",
  "checkout",
  "https://docs.example.com/pm",
  "javascript:alert(1)",
  "ftp://x",
];

const controlCharacters = fc
  .array(fc.integer({ min: 0, max: 31 }), { minLength: 1, maxLength: 12 })
  .map((codes) => String.fromCharCode(...codes));

/** Long text: Slack allows 4,000 characters in a command, forms 3,000 a field; people paste more. */
export const longText = fc
  .tuple(
    fc.constantFrom("a", "é", "💥", "<!here>", "&lt;", "\n", "x "),
    fc.integer({ min: 2_000, max: 10_240 }),
  )
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

/** One hostile word: Slack markup, a forged reference, control characters, unicode, or a plausible word. */
export const hostileWord: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SLACK_TOKENS) },
  { weight: 3, arbitrary: fc.constantFrom(...FORGED_REFS) },
  { weight: 3, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 1, arbitrary: controlCharacters },
);

/** Hostile free text: a few hostile words, or now and then one very long string. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.array(hostileWord, { maxLength: 8 }).map((words) => words.join(" ")) },
  { weight: 1, arbitrary: longText },
);

/**
 * Text nobody may be shown: stack frames, error class names, database driver and FerretDB (Go) messages.
 * Matched against everything the app sent to Slack and every HTTP body it answered.
 */
export const INTERNAL_TEXT: readonly RegExp[] = [
  /\n\s+at [^\n]*:\d+:\d+/,
  /\bat (?:async )?\S+ \((?:file:|node:|\/)/,
  /\b[A-Z][A-Za-z]*Error:/,
  /\bError:/,
  /\b(?:Type|Range|Reference|Syntax|Cast|Validation|Zod|Mongo|MongoServer|MongoNetwork|Version|Document)Error\b/,
  /\bE11000\b/,
  /\.go:\d+/,
  /Cannot read propert/,
  /is not a function/,
  /is not iterable/,
  /\[object Object\]/,
  /node_modules/,
  /\bECONN(?:REFUSED|RESET)\b/,
  /Maximum call stack/,
];

/** Broadcast pings and markup that may reach Slack only escaped when they came from someone's text. */
export const UNESCAPED_MARKUP: readonly RegExp[] = [
  /<!channel\b/,
  /<!here\b/,
  /<!everyone\b/,
  /<!subteam\^S0EVIL/,
  /<https:\/\/evil\.example/,
  /<mailto:/,
];

export function internalTextIn(text: string): string | undefined {
  return INTERNAL_TEXT.find((pattern) => pattern.test(text))?.source;
}

/** Every string under `node`, for the internal-text check. */
export function allStrings(node: unknown, found: string[] = []): string[] {
  if (typeof node === "string") found.push(node);
  else if (Array.isArray(node)) for (const child of node) allStrings(child, found);
  else if (node && typeof node === "object")
    for (const child of Object.values(node)) allStrings(child, found);
  return found;
}

/**
 * Every string Slack renders as mrkdwn (where `<!channel>` pings): `text` fields of anything not plain_text,
 * including a message's top-level text. Plain-text fields (form values, placeholders) are shown literally.
 */
export function mrkdwnStrings(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const child of node) mrkdwnStrings(child, found);
    return found;
  }
  if (!node || typeof node !== "object") return found;
  const record = node as Record<string, unknown>;
  if (record.type === "plain_text") return found;
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === "string") {
      if (key === "text") found.push(value);
    } else mrkdwnStrings(value, found);
  }
  return found;
}

export interface Watched {
  /** Settles once every Slack request the app has taken so far has been fully handled. */
  idle(): Promise<void>;
  /** Listener failures (thrown past the listener), unhandled rejections and uncaught exceptions. */
  failures: unknown[];
  /** Stops listening to the process. */
  stop(): void;
}

/**
 * Watches the app's Slack listeners from the outside: a global middleware (it runs for every request, after
 * the app's own) that counts requests in progress and keeps whatever a listener throws, and the process's
 * unhandled rejections and uncaught exceptions.
 */
export function watchListeners(t: TestApp): Watched {
  const running = new Set<Promise<unknown>>();
  const failures: unknown[] = [];
  const middleware: Middleware<AnyMiddlewareArgs> = async ({ next }) => {
    const work = next();
    running.add(work);
    try {
      await work;
    } catch (error) {
      failures.push(error);
      throw error;
    } finally {
      running.delete(work);
    }
  };
  t.firebreak.slack.app.use(middleware);
  // Work nobody awaits fails here, not in a listener: a crash waiting to happen in production.
  const onProcessFailure = (error: unknown) => failures.push(error);
  process.on("unhandledRejection", onProcessFailure);
  process.on("uncaughtException", onProcessFailure);
  return {
    failures,
    stop: () => {
      process.off("unhandledRejection", onProcessFailure);
      process.off("uncaughtException", onProcessFailure);
    },
    idle: async () => {
      while (running.size > 0) await Promise.allSettled([...running]);
      // The app's own failure middleware answers after a throw reaches it: let it finish.
      await new Promise((r) => setTimeout(r, 5));
    },
  };
}

/** Documents per collection, to show a refused request wrote nothing. */
export async function countDocuments(t: TestApp): Promise<Record<string, number>> {
  const db = t.firebreak.store.connection.db;
  if (!db) throw new Error("no database");
  const counts: Record<string, number> = {};
  for (const { name } of await db.listCollections().toArray())
    counts[name] = await db.collection(name).countDocuments();
  return counts;
}

/** Runs `work` over `items`, `limit` at a time, keeping their order. */
export async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
