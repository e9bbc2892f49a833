/** chat.* methods. */
import type { Channel, Message } from "../state.ts";
import {
  type Args,
  type Context,
  checkMessage,
  fail,
  findMessage,
  flag,
  type Handler,
  isMember,
  requireActive,
  str,
  visibleChannel,
} from "./common.ts";

/** The DM channel between the bot and a user, opened on first use as chat.postMessage does for a user id. */
function directMessage(ctx: Context, user: string): Channel {
  const { world } = ctx;
  const existing = Object.values(world.state.channels).find((c) => c.is_im && c.user === user);
  if (existing) return existing;
  const blank = { value: "", creator: "", last_set: 0 };
  const channel: Channel = {
    id: world.newId("D"),
    is_private: true,
    is_archived: false,
    is_im: true,
    user,
    created: world.seconds(),
    creator: world.state.bot.user_id,
    members: [world.state.bot.user_id, user],
    topic: blank,
    purpose: { ...blank },
    bookmarks: [],
    pins: [],
  };
  world.state.channels[channel.id] = channel;
  return channel;
}

/** chat.postMessage takes a channel id, a user id (posts to the DM) or a channel name. */
function target(ctx: Context, ref: string): Channel {
  const { channels, users } = ctx.world.state;
  if (channels[ref]) return visibleChannel(ctx, ref);
  if (users[ref]) return directMessage(ctx, ref);
  const name = ref.replace(/^#/, "");
  const byName = Object.values(channels).find((c) => !c.is_im && c.name === name);
  return visibleChannel(ctx, byName?.id ?? ref);
}

/** The content arguments of a post, leaving out those not given. */
function content(args: Args): Pick<Message, "text" | "blocks" | "attachments"> {
  const picked: Pick<Message, "text" | "blocks" | "attachments"> = {};
  if (args.text !== undefined) picked.text = str(args, "text");
  if (args.blocks !== undefined) picked.blocks = args.blocks;
  if (args.attachments !== undefined) picked.attachments = args.attachments;
  return picked;
}

function botMessage(ctx: Context, args: Args): Message {
  const { bot } = ctx.world.state;
  const ts = ctx.world.nextTs();
  const message: Message = {
    type: "message",
    ts,
    user: bot.user_id,
    bot_id: bot.bot_id,
    app_id: bot.app_id,
    ...content(args),
  };
  const threadTs = str(args, "thread_ts");
  if (threadTs) message.thread_ts = threadTs;
  if (threadTs && flag(args, "reply_broadcast")) message.subtype = "thread_broadcast";
  return message;
}

export const chatMethods: Record<string, Handler> = {
  // Public channels take posts without joining (chat:write.public); private ones are invisible unless joined.
  "chat.postMessage": (ctx, args) => {
    const channel = target(ctx, str(args, "channel"));
    requireActive(channel);
    checkMessage(args);
    const message = ctx.world.append(channel.id, botMessage(ctx, args));
    return { channel: channel.id, ts: message.ts, message };
  },

  "chat.update": (ctx, args) => {
    const channel = visibleChannel(ctx, str(args, "channel"));
    const message = findMessage(ctx, channel.id, str(args, "ts"));
    if (message.user !== ctx.world.state.bot.user_id) fail("cant_update_message");
    if (channel.is_archived) fail("is_inactive");
    checkMessage(args);
    // Fields left out keep their value; an empty blocks array removes the blocks, as in Slack.
    Object.assign(message, content(args));
    message.edited = { user: ctx.world.state.bot.user_id, ts: ctx.world.nextTs() };
    return { channel: channel.id, ts: message.ts, text: message.text, message };
  },

  "chat.postEphemeral": (ctx, args) => {
    const channel = target(ctx, str(args, "channel"));
    requireActive(channel);
    const user = str(args, "user");
    if (!isMember(ctx, channel, user)) fail("user_not_in_channel");
    checkMessage(args);
    const ts = ctx.world.nextTs();
    const threadTs = str(args, "thread_ts");
    const ephemeral = {
      channel: channel.id,
      user,
      ts,
      ...content(args),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    };
    ctx.world.state.ephemerals.push(ephemeral);
    return { message_ts: ts };
  },

  "chat.getPermalink": (ctx, args) => {
    const channel = visibleChannel(ctx, str(args, "channel"));
    const message = findMessage(ctx, channel.id, str(args, "message_ts"));
    const { domain } = ctx.world.state.workspace;
    const permalink = `https://${domain}.slack.com/archives/${channel.id}/p${message.ts.replace(".", "")}`;
    const isReply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
    return {
      channel: channel.id,
      permalink: isReply ? `${permalink}?thread_ts=${message.thread_ts}&cid=${channel.id}` : permalink,
    };
  },
};
