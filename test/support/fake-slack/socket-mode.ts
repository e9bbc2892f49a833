/**
 * Slack's side of Socket Mode, on the fake's own port: `apps.connections.open` hands out a one-use
 * `ws://…/link/?ticket=…` URL, and this serves it as Slack's WebSocket gateway does. On connect it sends
 * `hello`; it delivers envelopes (`slash_commands`, `interactive`, `events_api`), each with an `envelope_id`
 * and `accepts_response_payload`, and resolves the delivery with the payload of the app's ack
 * (`{ envelope_id, payload }`); it pings the app, and asks it to reconnect (`disconnect`) or drops the socket.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import {
  API_APP_ID,
  eventCallback,
  interactionPayload,
  type SlashCommandInput,
  slashCommandFields,
} from "../slack-driver.ts";

export type EnvelopeType = "slash_commands" | "interactive" | "events_api";

/** Why Slack asks the app to reconnect: a routine refresh, or Socket Mode turned off for the app. */
export type DisconnectReason = "refresh_requested" | "link_disabled";

/** What the app sent back in its ack: Bolt's `ack(body)` argument, `{}` when it acked with nothing. */
export type AckPayload = Record<string, unknown>;

export interface SocketModeOptions {
  /** How often the gateway pings each connection, as Slack does (default 10 s). */
  pingIntervalMs?: number;
  /** A delivery fails when the app has not acked within this (default 10 s: generous on a loaded machine). */
  ackTimeoutMs?: number;
}

export interface DeliverOptions {
  /** Default: what Slack sets for the type (slash commands and view submissions take a response payload). */
  acceptsResponsePayload?: boolean;
  /** Events API redelivery: `retry_attempt` and `retry_reason`. */
  retry?: { attempt: number; reason: string };
}

interface PendingAck {
  socket: WebSocket;
  type: EnvelopeType;
  resolve: (payload: AckPayload) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Interactions whose ack may carry a response (`response_action`, options), as Slack marks them. */
const RESPONDING_INTERACTIONS = new Set(["view_submission", "block_suggestion"]);

export class FakeSocketMode {
  /** Connections that received `hello`, reconnections included. */
  connections = 0;
  /** Messages from the app that were not an ack of a pending envelope (a second ack, garbage): none expected. */
  readonly strayMessages: string[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  /** Open connections, oldest first; envelopes go to the newest. */
  private readonly sockets: WebSocket[] = [];
  private readonly pending = new Map<string, PendingAck>();
  private readonly waiters: { count: number; resolve: () => void }[] = [];
  private readonly pingIntervalMs: number;
  private readonly ackTimeoutMs: number;

  constructor(
    server: Server,
    private readonly baseUrl: string,
    options: SocketModeOptions = {},
  ) {
    this.pingIntervalMs = options.pingIntervalMs ?? 10_000;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(req, socket, head),
    );
  }

  /** How many connections are open now. */
  get open(): number {
    return this.sockets.length;
  }

  /** `apps.connections.open`'s answer: a WebSocket URL good for one connection. */
  issueUrl(): string {
    const ticket = randomBytes(16).toString("hex");
    this.tickets.add(ticket);
    return `${this.baseUrl.replace(/^http/, "ws")}/link/?ticket=${ticket}&app_id=${API_APP_ID}`;
  }

  /** Resolves once `count` connections in all have received `hello` (the first one, a reconnection…). */
  waitForConnections(count: number): Promise<void> {
    if (this.connections >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** `/command text` from Slack; resolves with the ack's payload (the app's immediate answer). */
  slashCommand(input: SlashCommandInput, options?: DeliverOptions): Promise<AckPayload> {
    return this.deliver("slash_commands", slashCommandFields(input), options);
  }

  /** An interaction (build it with test/support/slack-payloads.ts); resolves with the ack's payload. */
  interactive(payload: Record<string, unknown>, options?: DeliverOptions): Promise<AckPayload> {
    const accepts = RESPONDING_INTERACTIONS.has(String(payload.type));
    return this.deliver("interactive", interactionPayload(payload), {
      acceptsResponsePayload: accepts,
      ...options,
    });
  }

  /** An Events API event in its `event_callback`; resolves once acked. */
  event(
    event: Record<string, unknown>,
    options?: DeliverOptions & { eventId?: string },
  ): Promise<AckPayload> {
    return this.deliver("events_api", eventCallback(event, options?.eventId), options);
  }

  /** One envelope on the newest connection; resolves with the payload of the app's ack. */
  deliver(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    options: DeliverOptions = {},
  ): Promise<AckPayload> {
    const socket = this.sockets.at(-1);
    if (!socket) return Promise.reject(new Error(`no Socket Mode connection to deliver ${type} on`));
    const envelopeId = randomUUID();
    const envelope = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: options.acceptsResponsePayload ?? type === "slash_commands",
      ...(type === "events_api" && {
        retry_attempt: options.retry?.attempt ?? 0,
        retry_reason: options.retry?.reason ?? "",
      }),
    };
    return new Promise<AckPayload>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`the app did not ack the ${type} envelope within ${this.ackTimeoutMs} ms`));
      }, this.ackTimeoutMs);
      this.pending.set(envelopeId, { socket, type, resolve, reject, timer });
      socket.send(JSON.stringify(envelope));
    });
  }

  /** Slack's `disconnect` message: the app should close this connection and open a new one. */
  requestDisconnect(reason: DisconnectReason = "refresh_requested"): void {
    for (const socket of this.sockets)
      socket.send(JSON.stringify({ type: "disconnect", reason, debug_info: { host: "applink-fake" } }));
  }

  /** Cuts every connection without a close handshake, as a network failure would. */
  drop(): void {
    for (const socket of [...this.sockets]) socket.terminate();
  }

  async close(): Promise<void> {
    this.drop();
    this.tickets.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? "/", this.baseUrl);
    const ticket = url.searchParams.get("ticket") ?? "";
    if (url.pathname !== "/link/" || !this.tickets.delete(ticket)) {
      socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n");
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws));
  }

  private connected(socket: WebSocket): void {
    this.sockets.push(socket);
    this.connections += 1;
    const ping = setInterval(() => socket.ping(), this.pingIntervalMs);
    socket.on("message", (data: RawData) => this.received(data));
    socket.on("close", () => {
      clearInterval(ping);
      this.sockets.splice(this.sockets.indexOf(socket), 1);
      for (const [id, waiting] of this.pending) {
        if (waiting.socket !== socket) continue;
        clearTimeout(waiting.timer);
        this.pending.delete(id);
        waiting.reject(new Error(`the connection closed before the app acked the ${waiting.type} envelope`));
      }
    });
    socket.send(
      JSON.stringify({
        type: "hello",
        num_connections: this.sockets.length,
        debug_info: { host: "applink-fake", build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: API_APP_ID },
      }),
    );
    for (const waiter of this.waiters.filter((w) => w.count <= this.connections)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  /** The app's acks: `{ envelope_id, payload }`. Anything else is kept in `strayMessages`. */
  private received(data: RawData): void {
    const text = data.toString();
    let envelopeId = "";
    let payload: AckPayload = {};
    try {
      const message = JSON.parse(text) as { envelope_id?: unknown; payload?: AckPayload };
      envelopeId = typeof message.envelope_id === "string" ? message.envelope_id : "";
      payload = message.payload ?? {};
    } catch {
      // Not JSON: stray below.
    }
    const waiting = this.pending.get(envelopeId);
    if (!waiting) {
      this.strayMessages.push(text);
      return;
    }
    clearTimeout(waiting.timer);
    this.pending.delete(envelopeId);
    waiting.resolve(payload);
  }
}
