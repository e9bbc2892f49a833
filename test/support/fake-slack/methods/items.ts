/** Things attached to messages and channels: reactions, pins, bookmarks. */
import type { Bookmark } from "../state.ts";
import { fail, findMessage, type Handler, requireActive, required, str, visibleChannel } from "./common.ts";

export const itemMethods: Record<string, Handler> = {
  "reactions.add": (ctx, args) => {
    const channel = visibleChannel(ctx, str(args, "channel"));
    requireActive(channel);
    // Slack takes the emoji name with or without the surrounding colons.
    const name = str(args, "name").replace(/^:(.*):$/, "$1");
    if (name === "") fail("invalid_name");
    const message = findMessage(ctx, channel.id, str(args, "timestamp"));
    const bot = ctx.world.state.bot.user_id;
    message.reactions ??= [];
    let reaction = message.reactions.find((r) => r.name === name);
    if (reaction?.users.includes(bot)) fail("already_reacted");
    if (!reaction) {
      reaction = { name, users: [], count: 0 };
      message.reactions.push(reaction);
    }
    reaction.users.push(bot);
    reaction.count += 1;
    return {};
  },

  "pins.add": (ctx, args) => {
    const channel = visibleChannel(ctx, str(args, "channel"));
    const message = findMessage(ctx, channel.id, str(args, "timestamp"));
    if (channel.pins.includes(message.ts)) fail("already_pinned");
    channel.pins.push(message.ts);
    return {};
  },

  "bookmarks.add": (ctx, args) => {
    const channel = visibleChannel(ctx, str(args, "channel_id"));
    const title = required(args, "title");
    if (required(args, "type") !== "link") fail("invalid_bookmark_type");
    const link = str(args, "link");
    if (!/^https?:\/\//.test(link)) fail("invalid_link");
    const bookmark: Bookmark = {
      id: ctx.world.newId("Bk"),
      channel_id: channel.id,
      title,
      link,
      type: "link",
      date_created: ctx.world.seconds(),
      last_updated_by_user_id: ctx.world.state.bot.user_id,
      ...(args.emoji ? { emoji: str(args, "emoji") } : {}),
    };
    channel.bookmarks.push(bookmark);
    return { bookmark };
  },
};
