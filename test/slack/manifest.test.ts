import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
// The named export: under NodeNext, TypeScript types ajv's CommonJS default import as the module, not the class.
import { Ajv, type ErrorObject } from "ajv";
import { describe, expect, it } from "vitest";
import { SLACK_EVENTS_PATH } from "../../src/slack/app.ts";
import { recordSurfaces } from "../support/recording-app.ts";

const repoRoot = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
const schemaPath = path.resolve(repoRoot, "..", "shared", "slack", "manifest.schema.1.0.0.json");
const HTTP_URL = `https://YOUR-HOST${SLACK_EVENTS_PATH}`;

interface SlashCommand {
  command: string;
  url?: string;
  [key: string]: unknown;
}
interface Manifest {
  features: {
    app_home?: { home_tab_enabled?: boolean };
    shortcuts?: { callback_id: string; type: string }[];
    slash_commands?: SlashCommand[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    socket_mode_enabled: boolean;
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
  };
  [key: string]: unknown;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8"));
}

const manifests = {
  socket: readJson(path.join(repoRoot, "manifests", "manifest.json")) as Manifest,
  http: readJson(path.join(repoRoot, "manifests", "manifest.http.json")) as Manifest,
};

/**
 * Strict ajv, made to accept the three things in Slack's schema that strict mode refuses:
 * - `format: "uri"` (only on the optional `$schema` key): ajv-formats is not installed, so a small check;
 * - `regex` on display_information.background_color: not a JSON Schema keyword (Slack meant `pattern`), so it
 *   is added as a real check rather than ignored, because Slack does reject a colour that is not #rgb/#rrggbb;
 * - `_note`: a comment, and `minItems` on string items under oauth2 providers (strictTypes; unused here).
 * Everything else stays strict, so a new oddity in a future copy of the schema fails loudly.
 */
function manifestValidator() {
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  ajv.addFormat("uri", (value: string) => URL.canParse(value));
  ajv.addKeyword({ keyword: "_note", schemaType: "string" });
  ajv.addKeyword({
    keyword: "regex",
    type: "string",
    schemaType: "string",
    validate: (pattern: string, value: string) => new RegExp(pattern).test(value),
  });
  const validate = ajv.compile(readJson(schemaPath) as object);
  return (manifest: unknown): ErrorObject[] => (validate(manifest) ? [] : [...(validate.errors ?? [])]);
}

const validateManifest = manifestValidator();

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

describe.each(Object.entries(manifests))("manifest (%s mode)", (_mode, manifest) => {
  it("is valid against Slack's manifest schema", () => {
    expect(validateManifest(manifest)).toEqual([]);
  });

  it("declares every slash command the code registers, and no others", () => {
    const declared = (manifest.features.slash_commands ?? []).map((c) => c.command);
    expect(sorted(declared)).toEqual(sorted(recordSurfaces().commands));
  });

  it("declares every shortcut callback_id the code registers, and no others", () => {
    const declared = (manifest.features.shortcuts ?? []).map((s) => s.callback_id);
    expect(sorted(declared)).toEqual(sorted(recordSurfaces().shortcuts));
  });

  it("subscribes to exactly the bot events the code handles", () => {
    // Slack subscribes to message events per kind of conversation (message.channels, message.groups…);
    // Bolt hands them all to a "message" listener.
    const subscribed = manifest.settings.event_subscriptions.bot_events.map((e) =>
      e.replace(/^message\..+$/, "message"),
    );
    expect(sorted(new Set(subscribed))).toEqual(sorted(new Set(recordSurfaces().events)));
  });

  it("hears messages in public and private incident channels, where pinned messages are edited", () => {
    if (!recordSurfaces().events.includes("message")) return;
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(["message.channels", "message.groups"]),
    );
  });

  it("turns on what the registered surfaces depend on", () => {
    const surfaces = recordSurfaces();
    const interactive = surfaces.shortcuts.length + surfaces.actions.length + surfaces.views.length > 0;
    if (interactive) expect(manifest.settings.interactivity.is_enabled).toBe(true);
    if (surfaces.events.includes("app_home_opened"))
      expect(manifest.features.app_home?.home_tab_enabled).toBe(true);
  });
});

describe("the schema check itself", () => {
  const broken: [string, (m: Manifest) => void, Partial<ErrorObject>][] = [
    [
      "a slash command without `command`",
      (m) => {
        const first: Partial<SlashCommand> | undefined = m.features.slash_commands?.[0];
        delete first?.command;
      },
      { instancePath: "/features/slash_commands/0", keyword: "required" },
    ],
    [
      "an unknown top-level key",
      (m) => {
        m.request_url = HTTP_URL;
      },
      { instancePath: "", keyword: "additionalProperties" },
    ],
    [
      "a background colour that is not #rgb/#rrggbb (the schema's non-standard `regex`)",
      (m) => {
        (m.display_information as { background_color: string }).background_color = "red!";
      },
      { instancePath: "/display_information/background_color", keyword: "regex" },
    ],
  ];

  it.each(broken)("rejects a manifest with %s", (_what, breakIt, expected) => {
    const copy = structuredClone(manifests.socket);
    breakIt(copy);
    expect(validateManifest(copy)).toContainEqual(expect.objectContaining(expected));
  });
});

/** Every key named `url` or `request_url`, anywhere in the manifest, by its path. */
function urlsIn(value: unknown, at = ""): Record<string, unknown> {
  if (typeof value !== "object" || value === null) return {};
  const found: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const here = `${at}/${key}`;
    if (key === "url" || key === "request_url") found[here] = child;
    else Object.assign(found, urlsIn(child, here));
  }
  return found;
}

describe("socket and HTTP manifests", () => {
  it("the Socket Mode manifest has socket mode on and no request URLs", () => {
    expect(manifests.socket.settings.socket_mode_enabled).toBe(true);
    expect(urlsIn(manifests.socket)).toEqual({});
  });

  it(`the HTTP manifest has socket mode off and sends everything to ${HTTP_URL}`, () => {
    expect(manifests.http.settings.socket_mode_enabled).toBe(false);
    const expected: Record<string, string> = {
      "/settings/event_subscriptions/request_url": HTTP_URL,
      "/settings/interactivity/request_url": HTTP_URL,
    };
    (manifests.http.features.slash_commands ?? []).forEach((_c, i) => {
      expected[`/features/slash_commands/${i}/url`] = HTTP_URL;
    });
    expect(urlsIn(manifests.http)).toEqual(expected);
  });

  it("are otherwise identical", () => {
    const http = structuredClone(manifests.http);
    http.settings.socket_mode_enabled = true;
    delete http.settings.event_subscriptions.request_url;
    delete http.settings.interactivity.request_url;
    for (const command of http.features.slash_commands ?? []) delete command.url;
    expect(http).toEqual(manifests.socket);
  });
});

/**
 * Bot scopes each Web API method needs (https://api.slack.com/methods). The test below finds every
 * `client.<method>(` call under src/ and fails on a method missing here, so a new call brings its scope along.
 */
const SCOPES_BY_METHOD: Record<string, string[]> = {
  "auth.test": [],
  "views.open": [],
  "views.publish": [],
  "views.push": [],
  "views.update": [],
  "chat.postMessage": ["chat:write"],
  "chat.postEphemeral": ["chat:write"],
  "chat.update": ["chat:write"],
  "chat.delete": ["chat:write"],
  "chat.getPermalink": [],
  "conversations.create": ["channels:manage", "groups:write"],
  "conversations.invite": ["channels:manage", "groups:write"],
  "conversations.setTopic": ["channels:manage", "groups:write"],
  "conversations.setPurpose": ["channels:manage", "groups:write"],
  "conversations.rename": ["channels:manage", "groups:write"],
  "conversations.archive": ["channels:manage", "groups:write"],
  "conversations.unarchive": ["channels:manage", "groups:write"],
  "conversations.join": ["channels:join"],
  "conversations.info": ["channels:read", "groups:read"],
  "conversations.members": ["channels:read", "groups:read"],
  "conversations.history": ["channels:history", "groups:history"],
  "conversations.replies": ["channels:history", "groups:history"],
  "conversations.open": ["im:write"],
  "users.info": ["users:read"],
  "users.lookupByEmail": ["users:read", "users:read.email"],
  "reactions.get": ["reactions:read"],
  "pins.add": ["pins:write"],
  "pins.remove": ["pins:write"],
  "bookmarks.add": ["bookmarks:write"],
  "bookmarks.edit": ["bookmarks:write"],
  "files.uploadV2": ["files:write"],
  filesUploadV2: ["files:write"],
  "files.getUploadURLExternal": ["files:write"],
  "files.completeUploadExternal": ["files:write"],
  "usergroups.list": ["usergroups:read"],
  "usergroups.users.list": ["usergroups:read"],
};

function webApiMethodsCalledIn(dir: string): Set<string> {
  const methods = new Set<string>();
  for (const entry of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    if (!entry.endsWith(".ts")) continue;
    const source = readFileSync(path.join(dir, entry), "utf8");
    // `client.views.open(`, also split over lines as `client.views\n  .open(`.
    for (const match of source.matchAll(/\bclient((?:\s*\.\s*[A-Za-z]\w*)+)\s*\(/g))
      methods.add((match[1] ?? "").replace(/\s+/g, "").slice(1));
  }
  return methods;
}

describe("bot scopes", () => {
  const scopes = manifests.socket.oauth_config.scopes.bot;

  it("has no duplicates", () => {
    expect(scopes.filter((scope, i) => scopes.indexOf(scope) !== i)).toEqual([]);
  });

  it("include commands, chat:write and im:write", () => {
    expect(scopes).toEqual(expect.arrayContaining(["commands", "chat:write", "im:write"]));
  });

  it("cover every Web API method the code calls", () => {
    const called = webApiMethodsCalledIn(path.join(repoRoot, "src"));
    expect(called.size).toBeGreaterThan(0);
    expect(sorted([...called].filter((method) => !(method in SCOPES_BY_METHOD)))).toEqual([]);
    const needed = new Set([...called].flatMap((method) => SCOPES_BY_METHOD[method] ?? []));
    expect(sorted([...needed].filter((scope) => !scopes.includes(scope)))).toEqual([]);
  });
});
