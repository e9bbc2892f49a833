/**
 * A stateful fake of Slack's Web API on 127.0.0.1, for tests (Slack cannot be reached from here).
 *
 * Point a WebClient at it with `new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl })`. Like Slack, it
 * answers HTTP 200 with `{ ok: false, error }` for errors and HTTP 429 with Retry-After when rate limiting.
 * It also serves the URLs it hands out: response_urls (`responseUrl()`) and file upload URLs, and Socket
 * Mode: `apps.connections.open` (with `fake.appToken`) and the WebSocket it points to (`fake.socketMode`).
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { chatMethods } from "./methods/chat.ts";
import { type Answer, type Args, type Context, type Handler, SlackError } from "./methods/common.ts";
import { conversationsMethods } from "./methods/conversations.ts";
import { fileMethods } from "./methods/files.ts";
import { itemMethods } from "./methods/items.ts";
import { userMethods } from "./methods/users.ts";
import { viewMethods } from "./methods/views.ts";
import { parseArgs, readBody, uploadedBytes } from "./request.ts";
import * as seed from "./seed.ts";
import { FakeSocketMode, type SocketModeOptions } from "./socket-mode.ts";
import { type SlackState, type WorkspaceOptions, World } from "./state.ts";

const methods: Record<string, Handler> = {
  ...conversationsMethods,
  ...chatMethods,
  ...itemMethods,
  ...userMethods,
  ...viewMethods,
  ...fileMethods,
};

export interface FakeSlackOptions {
  /** Now in ms, for trigger expiry, message ts and `created` fields. Default Date.now. */
  clock?: () => number;
  workspace?: WorkspaceOptions;
  /** Per-call latency in ms (default 0); see setLatency. */
  latencyMs?: number;
  socketMode?: SocketModeOptions;
}

export interface CallRecord {
  method: string;
  /** Parsed arguments without the token; JSON-in-form fields (blocks, view, files...) decoded. */
  args: Args;
  /** Wall-clock ms (fractional) when the request arrived and when it was answered. */
  startedAt: number;
  endedAt: number;
  ok: boolean;
  error?: string;
  /** HTTP status: 200, 429 when rate limited, 503 while down. */
  status: number;
}

export interface ResponseUrlPost {
  id: string;
  body: unknown;
  receivedAt: number;
}

export interface InjectedFailure {
  /** Answer `{ ok: false, error }` (default "internal_error") ... */
  error?: string;
  /** ... with this HTTP status (e.g. 500, as Slack answers when it fails on its side) ... */
  httpStatus?: number;
  /** ... or HTTP 429 with this Retry-After (seconds). */
  status429RetryAfter?: number;
  /** How many calls fail (default 1). */
  times?: number;
  /** Only calls naming this channel (or DM'd user) fail; others pass by untouched. */
  channel?: string;
}

/** Slack's per-channel pace for chat.postMessage: about one a second, with a short burst allowed. */
export interface ChannelRateLimit {
  /** Messages a quiet channel may take at once (default 3). */
  burst?: number;
  /** One more message allowed per this many ms (default 1,000). */
  intervalMs?: number;
}

interface Outcome {
  status: number;
  body: Answer;
  headers?: Record<string, string>;
}

const now = () => performance.timeOrigin + performance.now();

/** Timers may fire a little early against a precise clock; latency must be at least what was asked. */
async function sleepAtLeast(ms: number): Promise<void> {
  const end = performance.now() + ms;
  for (let left = ms; left > 0; left = end - performance.now()) await sleep(Math.ceil(left));
}

function send(res: ServerResponse, { status, body, headers = {} }: Outcome): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

const rateLimitedAnswer = (retryAfterSeconds: number): Outcome => ({
  status: 429,
  headers: { "retry-after": String(retryAfterSeconds) },
  body: { ok: false, error: "ratelimited" },
});

const failed = (error: string, extra: Answer = {}): Outcome => ({
  status: 200,
  body: { ok: false, error, ...extra },
});

export class FakeSlack {
  readonly url: string;
  /** For WebClient's `slackApiUrl`. */
  readonly apiUrl: string;
  readonly botToken = `xoxb-${Date.now()}-${randomBytes(12).toString("hex")}`;
  /** App-level token (`connections:write`): the only token `apps.connections.open` takes. */
  readonly appToken = `xapp-1-A00000001-${Date.now()}-${randomBytes(12).toString("hex")}`;
  /** Slack's Socket Mode gateway: deliver envelopes, read acks, disconnect or drop the app. */
  readonly socketMode: FakeSocketMode;
  /** Every Web API call, in the order they started. */
  readonly calls: CallRecord[] = [];
  /** Every POST to a response_url from responseUrl(). */
  readonly responses: ResponseUrlPost[] = [];
  private world: World;
  private latencyMs: number;
  private readonly failures = new Map<string, { failure: InjectedFailure; left: number }[]>();
  private readonly responseIds = new Set<string>();
  private responseSeq = 0;
  private rateLimit: Required<ChannelRateLimit> | undefined;
  /** Per channel: when its bucket was last full, counted in messages (token bucket on the fake's clock). */
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly forced429 = new Map<string, { retryAfter: number; left: number }>();
  private downUntil: number | undefined;

  constructor(
    private readonly server: Server,
    private readonly options: FakeSlackOptions,
  ) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.url}/api/`;
    this.world = new World(options.clock ?? Date.now, options.workspace);
    this.latencyMs = options.latencyMs ?? 0;
    this.socketMode = new FakeSocketMode(server, this.url, options.socketMode);
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((error: unknown) => {
        // A bug in the fake: fail the client's call loudly rather than hang it.
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(error instanceof Error ? (error.stack ?? error.message) : String(error));
      });
    });
  }

  get state(): SlackState {
    return this.world.state;
  }

  callsTo(method: string): CallRecord[] {
    return this.calls.filter((c) => c.method === method);
  }

  addUser(input?: seed.UserInput) {
    return seed.addUser(this.world, input);
  }

  addChannel(input: seed.ChannelInput) {
    return seed.addChannel(this.world, input);
  }

  addUserGroup(input: seed.UserGroupInput) {
    return seed.addUserGroup(this.world, input);
  }

  addMessage(channelId: string, input: seed.MessageInput) {
    return seed.addMessage(this.world, channelId, input);
  }

  /** A response_url served by this fake; POSTs to it land in `responses`. */
  responseUrl(id = `R${++this.responseSeq}`): string {
    this.responseIds.add(id);
    return `${this.url}/response/${encodeURIComponent(id)}`;
  }

  /** Makes the next call(s) to `method` fail; several failNext calls queue up in order. */
  failNext(method: string, failure: InjectedFailure = {}): void {
    const queue = this.failures.get(method) ?? [];
    queue.push({ failure, left: failure.times ?? 1 });
    this.failures.set(method, queue);
  }

  /** Rate limits chat.postMessage per channel, as Slack does (off by default); `false` turns it off. */
  limitPostMessages(limit: ChannelRateLimit | false = {}): void {
    this.rateLimit = limit === false ? undefined : { burst: 3, intervalMs: 1_000, ...limit };
    this.buckets.clear();
  }

  /** Answers the next `times` calls naming `channel` with HTTP 429 and this Retry-After (seconds). */
  forceRateLimit(channel: string, retryAfterSeconds: number, times = 1): void {
    this.forced429.set(channel, { retryAfter: retryAfterSeconds, left: times });
  }

  /** Every call fails with HTTP 503 until `backUp()`, or until the fake's clock reaches `until` (ms). */
  goDown(until = Number.POSITIVE_INFINITY): void {
    this.downUntil = until;
  }

  backUp(): void {
    this.downUntil = undefined;
  }

  /** The calls to `method` naming `channel`, e.g. to count chat.postMessage per channel. */
  callsToChannel(method: string, channel: string): CallRecord[] {
    return this.callsTo(method).filter((c) => c.args.channel === channel);
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** A trigger_id as an interaction would carry, issued now by the clock; `user` is who the modal opens for. */
  newTriggerId(user?: string): string {
    const id = this.world.token();
    this.world.state.triggers[id] = { id, user, createdAt: this.world.clock(), exchanged: false };
    return id;
  }

  /**
   * Back to a fresh workspace (same URL and token), with no calls, responses, failures or latency.
   * Socket Mode connections stay open.
   */
  reset(): void {
    this.world = new World(this.options.clock ?? Date.now, this.options.workspace);
    this.latencyMs = this.options.latencyMs ?? 0;
    this.calls.length = 0;
    this.responses.length = 0;
    this.failures.clear();
    this.responseIds.clear();
    this.rateLimit = undefined;
    this.buckets.clear();
    this.forced429.clear();
    this.downUntil = undefined;
  }

  async close(): Promise<void> {
    await this.socketMode.close();
    const closed = new Promise<void>((resolve, reject) =>
      this.server.close((e) => (e ? reject(e) : resolve())),
    );
    this.server.closeAllConnections();
    await closed;
  }

  /** Routes one HTTP request: Web API methods, response_urls and upload URLs. */
  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = now();
    const { pathname, searchParams } = new URL(req.url ?? "/", this.url);
    const [, kind, rawId = ""] = pathname.split("/");
    const id = decodeURIComponent(rawId);
    const body = await readBody(req);
    const file = kind === "upload" ? this.world.state.files[id] : undefined;
    if (kind === "api" && id) {
      send(res, await this.api(id, req, body, searchParams, startedAt));
    } else if (kind === "response" && this.responseIds.has(id)) {
      send(res, this.captureResponse(id, body));
    } else if (file) {
      file.content = await uploadedBytes(req.headers["content-type"] ?? "", body);
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`OK - ${file.content.length}`);
    } else {
      send(res, { status: 404, body: { ok: false, error: "not_found" } });
    }
  }

  private async api(
    method: string,
    req: IncomingMessage,
    body: Buffer,
    query: URLSearchParams,
    startedAt: number,
  ): Promise<Outcome> {
    let args: Args = {};
    let outcome: Outcome;
    try {
      const { token, ...rest } = await parseArgs(req.headers["content-type"] ?? "", body, query);
      args = rest;
      await sleepAtLeast(this.latencyMs);
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      outcome = this.dispatch(method, bearer ?? (typeof token === "string" ? token : ""), args);
    } catch (error) {
      if (!(error instanceof SlackError)) throw error;
      outcome = failed(error.code, error.extra);
    }
    const { ok, error } = outcome.body as { ok: boolean; error?: string };
    const record: CallRecord = { method, args, startedAt, endedAt: now(), ok, status: outcome.status };
    if (error) record.error = error;
    // Kept in start order, so concurrent calls can be told apart from sequential ones.
    const at = this.calls.findLastIndex((c) => c.startedAt <= startedAt) + 1;
    this.calls.splice(at, 0, record);
    return outcome;
  }

  private dispatch(method: string, token: string, args: Args): Outcome {
    const appLevel = method === "apps.connections.open";
    if (token === "") return failed("not_authed");
    if (token !== (appLevel ? this.appToken : this.botToken))
      return failed(
        token === this.appToken || token === this.botToken ? "not_allowed_token_type" : "invalid_auth",
      );
    if (this.downUntil !== undefined && this.world.clock() < this.downUntil) {
      return { status: 503, body: { ok: false, error: "service_unavailable" } };
    }
    const retryAfter = this.rateLimited(method, args);
    if (retryAfter !== undefined) return rateLimitedAnswer(retryAfter);
    const injected = this.takeFailure(method, args);
    if (injected?.status429RetryAfter !== undefined) return rateLimitedAnswer(injected.status429RetryAfter);
    if (injected?.httpStatus !== undefined)
      return { status: injected.httpStatus, body: { ok: false, error: injected.error ?? "internal_error" } };
    if (injected) return failed(injected.error ?? "internal_error");
    if (appLevel) return { status: 200, body: { ok: true, url: this.socketMode.issueUrl() } };
    const handler = Object.hasOwn(methods, method) ? methods[method] : undefined;
    if (!handler) return failed("unknown_method", { req_method: method });
    const ctx: Context = { world: this.world, baseUrl: this.url };
    try {
      return { status: 200, body: { ok: true, ...handler(ctx, args) } };
    } catch (error) {
      if (!(error instanceof SlackError)) throw error;
      return failed(error.code, error.extra);
    }
  }

  /** The Retry-After (seconds) when this call is over a channel's limit, forced or paced. */
  private rateLimited(method: string, args: Args): number | undefined {
    const channel = typeof args.channel === "string" ? args.channel : undefined;
    if (!channel) return undefined;
    const forced = this.forced429.get(channel);
    if (forced) {
      forced.left -= 1;
      if (forced.left <= 0) this.forced429.delete(channel);
      return forced.retryAfter;
    }
    if (!this.rateLimit || method !== "chat.postMessage") return undefined;
    const { burst, intervalMs } = this.rateLimit;
    const now = this.world.clock();
    const last = this.buckets.get(channel) ?? { tokens: burst, at: now };
    const tokens = Math.min(burst, last.tokens + (now - last.at) / intervalMs);
    if (tokens < 1) {
      this.buckets.set(channel, { tokens, at: now });
      return Math.max(1, Math.ceil(((1 - tokens) * intervalMs) / 1000));
    }
    this.buckets.set(channel, { tokens: tokens - 1, at: now });
    return undefined;
  }

  private takeFailure(method: string, args: Args): InjectedFailure | undefined {
    const queue = this.failures.get(method);
    const next = queue?.[0];
    if (!queue || !next) return undefined;
    if (next.failure.channel !== undefined && next.failure.channel !== args.channel) return undefined;
    next.left -= 1;
    if (next.left <= 0) queue.shift();
    return next.failure;
  }

  /** Slack's response_url takes a JSON body. */
  private captureResponse(id: string, body: Buffer): Outcome {
    try {
      this.responses.push({ id, body: JSON.parse(body.toString()), receivedAt: now() });
    } catch {
      return { status: 400, body: { ok: false, error: "invalid_payload" } };
    }
    return { status: 200, body: { ok: true } };
  }
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return new FakeSlack(server, options);
}
