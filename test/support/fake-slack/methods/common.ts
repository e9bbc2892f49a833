/** Shared pieces of the method handlers: the handler type, Slack errors, argument readers, lookups. */
import { checkSurface, type SurfaceKind } from "../block-kit.ts";
import type { Channel, Message, World } from "../state.ts";

export type Args = Record<string, unknown>;
export type Answer = Record<string, unknown>;

export interface Context {
  world: World;
  /** Base URL of the fake (no trailing slash), for URLs it hands out such as upload URLs. */
  baseUrl: string;
}

export type Handler = (ctx: Context, args: Args) => Answer;

/** Thrown by handlers; the server answers `{ ok: false, error, ...extra }` with HTTP 200, as Slack does. */
export class SlackError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Answer = {},
  ) {
    super(code);
  }
}

export function fail(code: string, extra?: Answer): never {
  throw new SlackError(code, extra);
}

/** Slack's answer for a missing or malformed argument. */
export function invalidArguments(message: string): never {
  return fail("invalid_arguments", { response_metadata: { messages: [`[ERROR] ${message}`] } });
}

/** A string argument, or "" when absent (lookups then fail with the method's own not-found error). */
export function str(args: Args, key: string): string {
  const value = args[key];
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
}

export function required(args: Args, key: string): string {
  if (args[key] === undefined || args[key] === null) invalidArguments(`missing required field: ${key}`);
  return str(args, key);
}

/** Form-encoded booleans arrive as "true"/"1"; JSON bodies carry real booleans. */
export function flag(args: Args, key: string): boolean {
  const value = args[key];
  return value === true || value === "true" || value === "1" || value === 1;
}

export function optionalInt(args: Args, key: string): number | undefined {
  const value = args[key];
  if (value === undefined || value === "") return undefined;
  const number = Number(value);
  return Number.isInteger(number) ? number : invalidArguments(`${key} must be an integer`);
}

/** Private channels and DMs exist for the bot only once it is a member; Slack hides the others entirely. */
export function visibleChannel(ctx: Context, id: string): Channel {
  const channel = ctx.world.state.channels[id];
  const hidden = channel && (channel.is_private || channel.is_im) && !isMember(ctx, channel);
  if (!channel || hidden) fail("channel_not_found");
  return channel;
}

export function isMember(ctx: Context, channel: Channel, user = ctx.world.state.bot.user_id): boolean {
  return channel.members.includes(user);
}

export function requireMember(ctx: Context, channel: Channel): void {
  if (!isMember(ctx, channel)) fail("not_in_channel");
}

export function requireActive(channel: Channel): void {
  if (channel.is_archived) fail("is_archived");
}

export function findMessage(ctx: Context, channelId: string, ts: string): Message {
  return ctx.world.messagesOf(channelId).find((m) => m.ts === ts) ?? fail("message_not_found");
}

/** The channel object as Slack's conversations.* methods return it, seen from the bot. */
export function channelView(ctx: Context, channel: Channel): Answer {
  const { members, bookmarks, pins, ...rest } = channel;
  if (channel.is_im) return { id: channel.id, is_im: true, user: channel.user, created: channel.created };
  // Private channels made before 2021 have G ids and count as groups; newer ones are channels like public ones.
  const legacyGroup = channel.id.startsWith("G");
  return {
    ...rest,
    is_channel: !legacyGroup,
    is_group: legacyGroup,
    is_mpim: false,
    is_general: false,
    name_normalized: channel.name,
    is_member: isMember(ctx, channel),
    num_members: members.length,
  };
}

/**
 * Runs the Block Kit checks for a message and throws Slack's error: `msg_too_long` / `no_text` when a problem
 * carries that code, else `invalid_blocks` with the problems in `response_metadata.messages`.
 */
export function checkMessage(args: Args): void {
  if (typeof args.blocks === "string") fail("invalid_blocks_format");
  const hasAttachments = Array.isArray(args.attachments) && args.attachments.length > 0;
  // Legacy attachments alone are a valid message; the checker only knows text and blocks.
  const problems = checkSurface({ kind: "message", blocks: args.blocks, text: args.text }).filter(
    (p) => !(hasAttachments && p.startsWith("no_text:")),
  );
  if (problems.length === 0) return;
  const coded = problems.find((p) => p.startsWith("msg_too_long:") || p.startsWith("no_text:"));
  fail(coded ? coded.slice(0, coded.indexOf(":")) : "invalid_blocks", {
    response_metadata: { messages: problems },
  });
}

/** Block Kit checks for a view; Slack reports them as `invalid_arguments` with pointers under `/view`. */
export function checkView(kind: SurfaceKind, view: Record<string, unknown>): void {
  const problems = checkSurface({ ...view, kind }).map((p) =>
    p.replace(
      /\[json-pointer:(\/[^\]]*)\]/,
      (_, pointer: string) => `[json-pointer:/view${pointer === "/" ? "" : pointer}]`,
    ),
  );
  if (problems.length > 0) fail("invalid_arguments", { response_metadata: { messages: problems } });
}
