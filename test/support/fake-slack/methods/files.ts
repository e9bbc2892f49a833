/**
 * Files upload v2: files.getUploadURLExternal hands out an upload URL served by the fake (see server.ts),
 * the client POSTs the bytes there, then files.completeUploadExternal shares the files.
 */
import type { Message, StoredFile } from "../state.ts";
import {
  fail,
  type Handler,
  invalidArguments,
  optionalInt,
  required,
  requireMember,
  str,
  visibleChannel,
} from "./common.ts";

export const fileMethods: Record<string, Handler> = {
  "files.getUploadURLExternal": (ctx, args) => {
    const filename = required(args, "filename");
    const length = optionalInt(args, "length") ?? invalidArguments("missing required field: length");
    // Slack's answer to an empty file.
    if (length < 1) fail("missing_argument");
    const { world } = ctx;
    const file: StoredFile = {
      id: world.newId("F"),
      name: filename,
      title: filename,
      length,
      user: world.state.bot.user_id,
      created: world.seconds(),
      completed: false,
      shares: [],
    };
    world.state.files[file.id] = file;
    return { upload_url: `${ctx.baseUrl}/upload/${file.id}`, file_id: file.id };
  },

  // Shares all the files in one message per channel; without a channel the files stay private to the bot.
  "files.completeUploadExternal": (ctx, args) => {
    const { world } = ctx;
    const entries = Array.isArray(args.files) ? (args.files as unknown[]) : [];
    if (entries.length === 0) invalidArguments("files must be a non-empty array [json-pointer:/files]");
    const files = entries.map((entry) => {
      const fields = typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>) : {};
      const file = world.state.files[str(fields, "id")];
      if (!file?.content) fail("file_not_found");
      return { file, title: str(fields, "title") };
    });
    const channelIds = str(args, "channel_id") ? [str(args, "channel_id")] : str(args, "channels").split(",");
    const channels = channelIds.filter(Boolean).map((id) => {
      const channel = visibleChannel(ctx, id);
      requireMember(ctx, channel);
      return channel;
    });
    for (const { file, title } of files) {
      file.completed = true;
      if (title) file.title = title;
    }
    const shared = files.map(({ file }) => ({ id: file.id, name: file.name, title: file.title }));
    const { bot } = world.state;
    const text = str(args, "initial_comment");
    const threadTs = str(args, "thread_ts");
    for (const channel of channels) {
      const message: Message = {
        type: "message",
        ts: world.nextTs(),
        user: bot.user_id,
        bot_id: bot.bot_id,
        app_id: bot.app_id,
        text,
        files: shared,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      };
      world.append(channel.id, message);
      for (const { file } of files) file.shares.push({ channel: channel.id, ts: message.ts });
    }
    return { files: shared.map(({ id, title }) => ({ id, title })) };
  },
};
