/** conversations.* methods. */
import { addChannel } from "../seed.ts";
import type { Channel, Message } from "../state.ts";
import {
  type Answer,
  type Args,
  type Context,
  channelView,
  fail,
  flag,
  type Handler,
  isMember,
  optionalInt,
  requireActive,
  required,
  requireMember,
  str,
  visibleChannel,
} from "./common.ts";

/** Slack: lowercase letters, digits, hyphens and underscores, 80 at most. Caseless scripts count as lowercase. */
function checkChannelName(ctx: Context, name: string): void {
  if (name === "") fail("invalid_name_required");
  if ([...name].length > 80) fail("invalid_name_maxlength");
  if (!/^[\p{Ll}\p{Lo}\p{Lm}\p{M}\p{Nd}_-]+$/u.test(name)) fail("invalid_name_specials");
  if (/^[-_]+$/.test(name)) fail("invalid_name_punctuation");
  // Archived channels keep their names reserved.
  if (Object.values(ctx.world.state.channels).some((c) => c.name === name)) fail("name_taken");
}

function notForDirectMessages(channel: Channel): void {
  if (channel.is_im) fail("method_not_supported_for_channel_type");
}

function inviteError(ctx: Context, channel: Channel, user: string): string | undefined {
  if (user === ctx.world.state.bot.user_id) return "cant_invite_self";
  if (!ctx.world.state.users[user]) return "user_not_found";
  if (isMember(ctx, channel, user)) return "already_in_channel";
  return undefined;
}

/** Sets the topic or the purpose: the bot must be in the channel, and Slack caps both at 250 characters. */
function setText(field: "topic" | "purpose"): Handler {
  return (ctx, args) => {
    const channel = visibleChannel(ctx, str(args, "channel"));
    const value = required(args, field);
    requireActive(channel);
    requireMember(ctx, channel);
    if ([...value].length > 250) fail("too_long");
    channel[field] = { value, creator: ctx.world.state.bot.user_id, last_set: ctx.world.seconds() };
    return field === "topic" ? { channel: channelView(ctx, channel) } : {};
  };
}

/** Cursors are opaque to clients; these carry what the next page starts after, like Slack's base64 cursors. */
const encodeCursor = (value: string) => Buffer.from(value).toString("base64");

function decodeCursor(args: Args, prefix: string): string | undefined {
  const cursor = str(args, "cursor");
  if (cursor === "") return undefined;
  const decoded = Buffer.from(cursor, "base64").toString();
  return decoded.startsWith(prefix) ? decoded.slice(prefix.length) : fail("invalid_cursor");
}

function pageLimit(args: Args, max: number): number {
  const limit = optionalInt(args, "limit");
  return limit === undefined || limit < 1 ? 100 : Math.min(limit, max);
}

function tsBound(args: Args, key: "oldest" | "latest", error: string): number | undefined {
  const value = str(args, key);
  if (value === "") return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : fail(error);
}

const isTopLevel = (m: Message) => !m.thread_ts || m.thread_ts === m.ts || m.subtype === "thread_broadcast";

export const conversationsMethods: Record<string, Handler> = {
  "conversations.create": (ctx, args) => {
    const name = str(args, "name");
    checkChannelName(ctx, name);
    const bot = ctx.world.state.bot.user_id;
    const channel = addChannel(ctx.world, { name, is_private: flag(args, "is_private"), members: [bot] });
    return { channel: channelView(ctx, channel) };
  },

  "conversations.invite": (ctx, args) => {
    const channel = visibleChannel(ctx, str(args, "channel"));
    notForDirectMessages(channel);
    requireActive(channel);
    requireMember(ctx, channel);
    const listed = str(args, "users").split(",");
    const users = [...new Set(listed.map((u) => u.trim()).filter(Boolean))];
    if (users.length === 0) fail("no_user");
    const errors = users.flatMap((user) => {
      const error = inviteError(ctx, channel, user);
      return error ? [{ user, ok: false, error }] : [];
    });
    // Without `force`, one bad user fails the whole call and nobody is invited; Slack lists each failure.
    const [first] = errors;
    if (first && (!flag(args, "force") || errors.length === users.length)) fail(first.error, { errors });
    const failed = new Set(errors.map((e) => e.user));
    channel.members.push(...users.filter((u) => !failed.has(u)));
    return { channel: channelView(ctx, channel), ...(errors.length > 0 ? { errors } : {}) };
  },

  "conversations.join": (ctx, args) => {
    const channel = visibleChannel(ctx, str(args, "channel"));
    if (channel.is_private || channel.is_im) fail("method_not_supported_for_channel_type");
    requireActive(channel);
    if (isMember(ctx, channel)) {
      const warning = "already_in_channel";
      return { channel: channelView(ctx, channel), warning, response_metadata: { warnings: [warning] } };
    }
    channel.members.push(ctx.world.state.bot.user_id);
    return { channel: channelView(ctx, channel) };
  },

  "conversations.info": (ctx, args) => ({
    channel: channelView(ctx, visibleChannel(ctx, str(args, "channel"))),
  }),

  "conversations.archive": (ctx, args) => {
    const channel = visibleChannel(ctx, str(args, "channel"));
    notForDirectMessages(channel);
    if (channel.is_archived) fail("already_archived");
    requireMember(ctx, channel);
    channel.is_archived = true;
    return {};
  },

  "conversations.unarchive": (ctx, args) => {
    const channel = visibleChannel(ctx, str(args, "channel"));
    notForDirectMessages(channel);
    if (!channel.is_archived) fail("not_archived");
    channel.is_archived = false;
    return {};
  },

  "conversations.setTopic": setText("topic"),
  "conversations.setPurpose": setText("purpose"),

  // Newest first. A bot token reads only the channels the bot is in, public ones included.
  "conversations.history": (ctx, args) => {
    const channel = visibleChannel(ctx, str(args, "channel"));
    requireMember(ctx, channel);
    const oldest = tsBound(args, "oldest", "invalid_ts_oldest") ?? 0;
    const latest = tsBound(args, "latest", "invalid_ts_latest") ?? Number.POSITIVE_INFINITY;
    const inclusive = flag(args, "inclusive");
    const after = decodeCursor(args, "next_ts:");
    const inRange = (ts: number) => (inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest);
    const matching = ctx.world
      .messagesOf(channel.id)
      .filter(
        (m) =>
          isTopLevel(m) && inRange(Number(m.ts)) && (after === undefined || Number(m.ts) < Number(after)),
      )
      .reverse();
    const limit = pageLimit(args, 999);
    const messages = matching.slice(0, limit);
    const last = messages.at(-1);
    const hasMore = matching.length > limit && last !== undefined;
    const page: Answer = { messages, has_more: hasMore, pin_count: channel.pins.length };
    return hasMore
      ? { ...page, response_metadata: { next_cursor: encodeCursor(`next_ts:${last.ts}`) } }
      : page;
  },

  // Slack accepts the ts of the thread's parent or of any reply in it, and answers the whole thread,
  // parent first (paging is not modelled: threads in tests are short).
  "conversations.replies": (ctx, args) => {
    const channel = visibleChannel(ctx, str(args, "channel"));
    requireMember(ctx, channel);
    const ts = required(args, "ts");
    const all = ctx.world.messagesOf(channel.id);
    const message = all.find((m) => m.ts === ts);
    if (!message) fail("thread_not_found");
    const parentTs = message.thread_ts ?? message.ts;
    const thread = all.filter((m) => m.ts === parentTs || m.thread_ts === parentTs);
    return { messages: thread, has_more: false };
  },

  "conversations.members": (ctx, args) => {
    const channel = visibleChannel(ctx, str(args, "channel"));
    const offset = Number(decodeCursor(args, "offset:") ?? 0);
    if (!Number.isInteger(offset)) fail("invalid_cursor");
    const end = offset + pageLimit(args, 1000);
    const nextCursor = end < channel.members.length ? encodeCursor(`offset:${end}`) : "";
    return { members: channel.members.slice(offset, end), response_metadata: { next_cursor: nextCursor } };
  },
};
