import { createHmac } from "node:crypto";

/**
 * Sends Slack's real request shapes into the app's real HTTP receiver, signed the way Slack signs them
 * (`v0:` + timestamp + raw body, HMAC-SHA256 with the signing secret), so Bolt's own verification runs.
 */

export interface SlackResponse {
  status: number;
  /** Parsed JSON when the app answered JSON, else the raw text (Bolt acks with an empty body). */
  body: unknown;
  text: string;
}

export interface SendOptions {
  /** Slack's retry headers: `x-slack-retry-num` and `x-slack-retry-reason`. */
  retry?: { num: number; reason: string };
  /** Signs with a timestamp this many seconds in the past (Bolt rejects older than 5 minutes). */
  ageSeconds?: number;
  /** Corrupts the signature after signing, as an attacker without the secret would. */
  tamper?: boolean;
}

export interface SlackUserRef {
  id: string;
  name?: string;
}

export interface SlashCommandInput {
  command: string;
  text?: string;
  user?: SlackUserRef;
  channelId?: string;
  channelName?: string;
  responseUrl: string;
  triggerId: string;
}

export const TEAM = { id: "T00000001", domain: "firebreak-test" };
export const API_APP_ID = "A00000001";

export function signSlackRequest(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

/** A slash command's fields, as Slack sends them (form-encoded over HTTP, a JSON object in Socket Mode). */
export function slashCommandFields(input: SlashCommandInput): Record<string, string> {
  const user = input.user ?? { id: "U00000001", name: "alice" };
  return {
    token: "deprecated-verification-token",
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: input.channelId ?? "C00000001",
    channel_name: input.channelName ?? "general",
    user_id: user.id,
    user_name: user.name ?? user.id,
    command: input.command,
    text: input.text ?? "",
    api_app_id: API_APP_ID,
    is_enterprise_install: "false",
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  };
}

/** An interaction payload with the fields Slack adds to every one (team, app). */
export function interactionPayload(payload: Record<string, unknown>): Record<string, unknown> {
  return {
    team: { id: TEAM.id, domain: TEAM.domain },
    api_app_id: API_APP_ID,
    token: "deprecated",
    ...payload,
  };
}

/** The Events API's `event_callback` envelope around one event. */
export function eventCallback(event: Record<string, unknown>, eventId?: string): Record<string, unknown> {
  return {
    token: "deprecated",
    team_id: TEAM.id,
    api_app_id: API_APP_ID,
    type: "event_callback",
    event_id: eventId ?? `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM.id, user_id: "UBOT", is_bot: true }],
    event,
  };
}

export class SlackDriver {
  constructor(
    private readonly eventsUrl: string,
    private readonly signingSecret: string,
  ) {}

  /** A slash command, as Slack posts it: form-encoded fields. */
  slashCommand(input: SlashCommandInput, options: SendOptions = {}): Promise<SlackResponse> {
    const form = new URLSearchParams(slashCommandFields(input));
    return this.post(form.toString(), "application/x-www-form-urlencoded", options);
  }

  /** Interactivity (block_actions, view_submission, view_closed, shortcut, message_action): `payload=<json>`. */
  interaction(payload: Record<string, unknown>, options: SendOptions = {}): Promise<SlackResponse> {
    const form = new URLSearchParams({ payload: JSON.stringify(interactionPayload(payload)) });
    return this.post(form.toString(), "application/x-www-form-urlencoded", options);
  }

  /** Events API: an `event_callback` envelope around `event`, posted as JSON. */
  event(
    event: Record<string, unknown>,
    options: SendOptions & { eventId?: string } = {},
  ): Promise<SlackResponse> {
    return this.post(JSON.stringify(eventCallback(event, options.eventId)), "application/json", options);
  }

  /** The raw POST, for tests of the receiver itself. */
  async post(body: string, contentType: string, options: SendOptions = {}): Promise<SlackResponse> {
    const timestamp = Math.floor(Date.now() / 1000) - (options.ageSeconds ?? 0);
    let signature = signSlackRequest(this.signingSecret, timestamp, body);
    if (options.tamper) signature = `${signature.slice(0, -4)}0000`;
    const headers: Record<string, string> = {
      "content-type": contentType,
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": signature,
    };
    if (options.retry) {
      headers["x-slack-retry-num"] = String(options.retry.num);
      headers["x-slack-retry-reason"] = options.retry.reason;
    }
    const response = await fetch(this.eventsUrl, { method: "POST", headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    if (response.headers.get("content-type")?.includes("application/json") && text !== "")
      parsed = JSON.parse(text);
    return { status: response.status, body: parsed, text };
  }
}
