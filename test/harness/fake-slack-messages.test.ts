import type { KnownBlock } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { useFakeSlack } from "../support/fake-slack/use-fake-slack.ts";

describe("fake Slack messages, reactions, pins, bookmarks and files", () => {
  const slack = useFakeSlack();

  const platformError = (error: string) => ({ data: { ok: false, error } });
  const section = (text: string): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text } });

  /** A person, a public channel the bot is in with them, and a public channel the bot has not joined. */
  function world() {
    const { fake } = slack;
    const bot = fake.state.bot.user_id;
    const alice = fake.addUser({ name: "alice" });
    const channel = fake.addChannel({ name: "inc-1", members: [bot, alice.id] });
    const lobby = fake.addChannel({ name: "lobby", members: [alice.id] });
    return { fake, bot, alice, channel, lobby, client: slack.client() };
  }

  describe("chat.postMessage", () => {
    it("posts text and blocks as the bot and returns the message", async () => {
      const { fake, bot, channel, client } = world();
      const answer = await client.chat.postMessage({
        channel: channel.id,
        text: "Declared",
        blocks: [section("*Sev1*")],
      });
      expect(answer).toMatchObject({
        ok: true,
        channel: channel.id,
        message: { text: "Declared", user: bot },
      });
      expect(answer.ts).toMatch(/^\d{10}\.\d{6}$/);
      expect(fake.state.messages[channel.id]).toEqual([
        expect.objectContaining({
          ts: answer.ts,
          text: "Declared",
          blocks: [section("*Sev1*")],
          bot_id: fake.state.bot.bot_id,
        }),
      ]);
    });

    it("gives every message a unique, increasing ts", async () => {
      const { channel, client } = world();
      const posts = await Promise.all(
        Array.from({ length: 5 }, (_, i) => client.chat.postMessage({ channel: channel.id, text: `m${i}` })),
      );
      const ts = posts.map((p) => p.ts ?? "");
      expect(new Set(ts).size).toBe(5);
      expect([...ts].sort()).toEqual(slack.fake.state.messages[channel.id]?.map((m) => m.ts));
    });

    it("posts to a public channel the bot has not joined (chat:write.public)", async () => {
      const { lobby, client } = world();
      await expect(client.chat.postMessage({ channel: lobby.id, text: "hi" })).resolves.toMatchObject({
        ok: true,
      });
    });

    it("replies in a thread and counts the reply on the parent", async () => {
      const { fake, channel, client } = world();
      const parent = await client.chat.postMessage({ channel: channel.id, text: "parent" });
      await client.chat.postMessage({ channel: channel.id, text: "reply", thread_ts: parent.ts });
      const [first, reply] = fake.state.messages[channel.id] ?? [];
      expect(first).toMatchObject({ thread_ts: parent.ts, reply_count: 1 });
      expect(reply).toMatchObject({ text: "reply", thread_ts: parent.ts });
    });

    it("opens a DM channel when given a user id", async () => {
      const { fake, bot, alice, client } = world();
      const first = await client.chat.postMessage({ channel: alice.id, text: "You are the commander" });
      const second = await client.chat.postMessage({ channel: alice.id, text: "Again" });
      expect(first.channel).toMatch(/^D/);
      expect(second.channel).toBe(first.channel);
      expect(fake.state.channels[first.channel ?? ""]).toMatchObject({
        is_im: true,
        members: [bot, alice.id],
      });
    });

    it.each([
      ["channel_not_found", "C404"],
      ["channel_not_found", "private-not-joined"],
      ["is_archived", "archived"],
    ])("answers %s (%s)", async (error, target) => {
      const { fake, bot, client } = world();
      const ids: Record<string, string> = {
        "private-not-joined": fake.addChannel({ name: "secret", is_private: true }).id,
        archived: fake.addChannel({ name: "old", is_archived: true, members: [bot] }).id,
      };
      await expect(
        client.chat.postMessage({ channel: ids[target] ?? target, text: "x" }),
      ).rejects.toMatchObject(platformError(error));
    });

    it.each([
      ["no_text", {}],
      ["no_text", { text: "" }],
      ["msg_too_long", { text: "x".repeat(40_001) }],
      ["invalid_blocks", { text: "x", blocks: [{ type: "section", text: { type: "mrkdwn", text: "" } }] }],
      ["invalid_blocks", { text: "x", blocks: [{ type: "no_such_block" }] }],
      ["invalid_blocks_format", { text: "x", blocks: "[not json" }],
    ])("answers %s for a bad message", async (error, content) => {
      const { channel, client } = world();
      await expect(
        client.apiCall("chat.postMessage", { channel: channel.id, ...content }),
      ).rejects.toMatchObject(platformError(error));
      expect(slack.fake.state.messages[channel.id] ?? []).toEqual([]);
    });

    it("explains invalid_blocks in response_metadata.messages", async () => {
      const { channel, client } = world();
      const attempt = client.chat.postMessage({ channel: channel.id, text: "x", blocks: [section("")] });
      await expect(attempt).rejects.toMatchObject({
        data: {
          error: "invalid_blocks",
          response_metadata: { messages: [expect.stringContaining("/blocks/0")] },
        },
      });
    });
  });

  describe("chat.update", () => {
    it("updates the bot's message and records the edit", async () => {
      const { fake, bot, channel, client } = world();
      const { ts } = await client.chat.postMessage({
        channel: channel.id,
        text: "Sev2",
        blocks: [section("a")],
      });
      const answer = await client.chat.update({ channel: channel.id, ts: ts ?? "", text: "Sev1" });
      expect(answer).toMatchObject({ ok: true, channel: channel.id, ts, text: "Sev1" });
      const [message] = fake.state.messages[channel.id] ?? [];
      // Blocks left out of the update are kept.
      expect(message).toMatchObject({ text: "Sev1", blocks: [section("a")], edited: { user: bot } });
    });

    it.each([
      ["message_not_found", "1700000000.000001", { text: "x" }],
      ["cant_update_message", "alice", { text: "x" }],
      ["invalid_blocks", "bot", { blocks: [{ type: "header", text: { type: "mrkdwn", text: "x" } }] }],
      ["msg_too_long", "bot", { text: "x".repeat(40_001) }],
    ])("answers %s", async (error, which, content) => {
      const { fake, alice, channel, client } = world();
      const byAlice = fake.addMessage(channel.id, { user: alice.id, text: "mine" });
      const byBot = await client.chat.postMessage({ channel: channel.id, text: "bot's" });
      const ts = { alice: byAlice.ts, bot: byBot.ts ?? "" }[which] ?? which;
      await expect(
        client.apiCall("chat.update", { channel: channel.id, ts, ...content }),
      ).rejects.toMatchObject(platformError(error));
    });

    it("answers is_inactive in an archived channel", async () => {
      const { channel, client } = world();
      const { ts } = await client.chat.postMessage({ channel: channel.id, text: "x" });
      channel.is_archived = true;
      await expect(
        client.chat.update({ channel: channel.id, ts: ts ?? "", text: "y" }),
      ).rejects.toMatchObject(platformError("is_inactive"));
    });
  });

  describe("chat.postEphemeral", () => {
    it("shows a message to one member of the channel", async () => {
      const { fake, alice, channel, client } = world();
      const answer = await client.chat.postEphemeral({
        channel: channel.id,
        user: alice.id,
        text: "Only you",
      });
      expect(answer.message_ts).toMatch(/^\d+\.\d{6}$/);
      expect(fake.state.ephemerals).toEqual([
        { channel: channel.id, user: alice.id, ts: answer.message_ts, text: "Only you" },
      ]);
      expect(fake.state.messages[channel.id] ?? []).toEqual([]);
    });

    it.each([
      ["user_not_in_channel", "inc-1", "outsider"],
      ["channel_not_found", "C404", "alice"],
    ])("answers %s", async (error, target, who) => {
      const { fake, alice, channel, client } = world();
      const user = who === "alice" ? alice.id : fake.addUser({ name: "outsider" }).id;
      const ids: Record<string, string> = { "inc-1": channel.id };
      await expect(
        client.chat.postEphemeral({ channel: ids[target] ?? target, user, text: "x" }),
      ).rejects.toMatchObject(platformError(error));
    });
  });

  describe("chat.getPermalink", () => {
    it("links to a message and to a thread reply", async () => {
      const { channel, client } = world();
      const parent = await client.chat.postMessage({ channel: channel.id, text: "parent" });
      const reply = await client.chat.postMessage({
        channel: channel.id,
        text: "reply",
        thread_ts: parent.ts,
      });
      const base = `https://fake-workspace.slack.com/archives/${channel.id}`;
      const link = await client.chat.getPermalink({ channel: channel.id, message_ts: parent.ts ?? "" });
      expect(link.permalink).toBe(`${base}/p${parent.ts?.replace(".", "")}`);
      const replyLink = await client.chat.getPermalink({ channel: channel.id, message_ts: reply.ts ?? "" });
      expect(replyLink.permalink).toBe(
        `${base}/p${reply.ts?.replace(".", "")}?thread_ts=${parent.ts}&cid=${channel.id}`,
      );
    });

    it("answers message_not_found", async () => {
      const { channel, client } = world();
      await expect(
        client.chat.getPermalink({ channel: channel.id, message_ts: "1700000000.000001" }),
      ).rejects.toMatchObject(platformError("message_not_found"));
    });
  });

  describe("reactions.add and pins.add", () => {
    it("reacts once per emoji and answers already_reacted the second time", async () => {
      const { fake, bot, alice, channel, client } = world();
      const message = fake.addMessage(channel.id, { user: alice.id, text: "it is down" });
      await client.reactions.add({ channel: channel.id, timestamp: message.ts, name: "eyes" });
      expect(message.reactions).toEqual([{ name: "eyes", users: [bot], count: 1 }]);
      await expect(
        client.reactions.add({ channel: channel.id, timestamp: message.ts, name: "eyes" }),
      ).rejects.toMatchObject(platformError("already_reacted"));
    });

    it("pins once and answers already_pinned the second time", async () => {
      const { fake, alice, channel, client } = world();
      const message = fake.addMessage(channel.id, { user: alice.id, text: "summary" });
      await client.pins.add({ channel: channel.id, timestamp: message.ts });
      expect(channel.pins).toEqual([message.ts]);
      await expect(client.pins.add({ channel: channel.id, timestamp: message.ts })).rejects.toMatchObject(
        platformError("already_pinned"),
      );
    });

    it.each(["reactions.add", "pins.add"])("%s answers message_not_found", async (method) => {
      const { channel, client } = world();
      await expect(
        client.apiCall(method, { channel: channel.id, timestamp: "1700000000.000001", name: "eyes" }),
      ).rejects.toMatchObject(platformError("message_not_found"));
    });
  });

  describe("bookmarks.add", () => {
    it("adds a link bookmark to the channel", async () => {
      const { channel, client } = world();
      const answer = await client.bookmarks.add({
        channel_id: channel.id,
        title: "Runbook",
        type: "link",
        link: "https://runbooks.example.com/db",
      });
      expect(answer.bookmark).toMatchObject({ title: "Runbook", link: "https://runbooks.example.com/db" });
      expect(channel.bookmarks).toEqual([expect.objectContaining({ title: "Runbook", type: "link" })]);
    });

    it.each([
      ["channel_not_found", { channel_id: "C404", link: "https://x.example.com" }],
      ["invalid_link", { link: "runbooks.example.com" }],
      ["invalid_bookmark_type", { type: "folder", link: "https://x.example.com" }],
    ])("answers %s", async (error, args) => {
      const { channel, client } = world();
      const call = client.apiCall("bookmarks.add", {
        channel_id: channel.id,
        title: "t",
        type: "link",
        ...args,
      });
      await expect(call).rejects.toMatchObject(platformError(error));
    });
  });

  describe("files upload v2", () => {
    it("uploads and shares a file with WebClient.filesUploadV2", async () => {
      const { fake, channel, client } = world();
      const parent = await client.chat.postMessage({ channel: channel.id, text: "timeline" });
      const answer = await client.filesUploadV2({
        channel_id: channel.id,
        thread_ts: parent.ts ?? "",
        content: "10:00 paged\n10:05 mitigated\n",
        filename: "timeline.txt",
        title: "Timeline",
        initial_comment: "Here is the timeline",
      });
      expect(answer.ok).toBe(true);
      const [file] = Object.values(fake.state.files);
      expect(file).toMatchObject({ name: "timeline.txt", title: "Timeline", completed: true });
      expect(file?.content?.toString()).toBe("10:00 paged\n10:05 mitigated\n");
      const shared = fake.state.messages[channel.id]?.at(-1);
      expect(shared).toMatchObject({
        text: "Here is the timeline",
        thread_ts: parent.ts,
        files: [{ id: file?.id, title: "Timeline" }],
      });
      expect(file?.shares).toEqual([{ channel: channel.id, ts: shared?.ts }]);
      expect(fake.calls.map((c) => c.method)).toEqual([
        "chat.postMessage",
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
      ]);
    });

    it.each([
      ["invalid_arguments", { length: 3 }],
      ["invalid_arguments", { filename: "a.txt" }],
      ["missing_argument", { filename: "a.txt", length: 0 }],
    ])("files.getUploadURLExternal answers %s", async (error, args) => {
      await expect(slack.client().apiCall("files.getUploadURLExternal", args)).rejects.toMatchObject(
        platformError(error),
      );
    });

    it("files.completeUploadExternal answers file_not_found until the bytes are uploaded", async () => {
      const { channel, client } = world();
      const { file_id } = await client.files.getUploadURLExternal({ filename: "a.txt", length: 3 });
      const complete = () =>
        client.files.completeUploadExternal({ files: [{ id: file_id ?? "" }], channel_id: channel.id });
      await expect(complete()).rejects.toMatchObject(platformError("file_not_found"));
    });

    it("files.completeUploadExternal answers not_in_channel for a channel the bot is not in", async () => {
      const { lobby, client } = world();
      const attempt = client.filesUploadV2({ channel_id: lobby.id, content: "abc", filename: "a.txt" });
      await expect(attempt).rejects.toMatchObject(platformError("not_in_channel"));
    });
  });
});
