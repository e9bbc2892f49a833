import type { ConversationsHistoryResponse, ConversationsMembersResponse } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { useFakeSlack } from "../support/fake-slack/use-fake-slack.ts";

describe("fake Slack conversations.*", () => {
  const slack = useFakeSlack();

  const bot = () => slack.fake.state.bot.user_id;
  const platformError = (error: string) => ({ data: { ok: false, error } });

  /** Two people and a public channel the bot is in, with the first person. */
  function world() {
    const { fake } = slack;
    const alice = fake.addUser({ name: "alice", email: "alice@example.com" });
    const bob = fake.addUser({ name: "bob" });
    const channel = fake.addChannel({ name: "inc-1", members: [bot(), alice.id] });
    return { fake, alice, bob, channel, client: slack.client() };
  }

  describe("conversations.create", () => {
    it("creates a public channel with the bot as creator and member", async () => {
      const answer = await slack.client().conversations.create({ name: "inc-42-db_down" });
      expect(answer.channel).toMatchObject({ name: "inc-42-db_down", is_private: false, is_member: true });
      const id = answer.channel?.id ?? "";
      expect(id).toMatch(/^C/);
      expect(slack.fake.state.channels[id]).toMatchObject({ creator: bot(), members: [bot()] });
    });

    it("creates a private channel", async () => {
      const answer = await slack.client().conversations.create({ name: "inc-secret", is_private: true });
      expect(answer.channel).toMatchObject({ is_private: true, is_member: true });
    });

    it("accepts a name of exactly 80 characters", async () => {
      await expect(slack.client().conversations.create({ name: "a".repeat(80) })).resolves.toMatchObject({
        ok: true,
      });
    });

    it.each([
      ["", "invalid_name_required"],
      ["a".repeat(81), "invalid_name_maxlength"],
      ["Inc-1", "invalid_name_specials"],
      ["inc 1", "invalid_name_specials"],
      ["inc.1", "invalid_name_specials"],
      ["inc#1", "invalid_name_specials"],
      ["--__", "invalid_name_punctuation"],
    ])("rejects the name %j with %s", async (name, error) => {
      await expect(slack.client().conversations.create({ name })).rejects.toMatchObject(platformError(error));
    });

    it("answers name_taken for a used name, archived channels included", async () => {
      slack.fake.addChannel({ name: "inc-1" });
      slack.fake.addChannel({ name: "inc-old", is_archived: true });
      const client = slack.client();
      for (const name of ["inc-1", "inc-old"]) {
        await expect(client.conversations.create({ name })).rejects.toMatchObject(
          platformError("name_taken"),
        );
      }
    });
  });

  describe("conversations.invite", () => {
    it("invites several users", async () => {
      const { fake, alice, bob, channel, client } = world();
      const carol = fake.addUser({ name: "carol" });
      await client.conversations.invite({ channel: channel.id, users: `${bob.id},${carol.id}` });
      expect(channel.members).toEqual([bot(), alice.id, bob.id, carol.id]);
    });

    it.each([
      ["already_in_channel", (w: ReturnType<typeof world>) => ({ channel: w.channel.id, users: w.alice.id })],
      ["user_not_found", (w: ReturnType<typeof world>) => ({ channel: w.channel.id, users: "U404" })],
      ["cant_invite_self", (w: ReturnType<typeof world>) => ({ channel: w.channel.id, users: bot() })],
      ["channel_not_found", (w: ReturnType<typeof world>) => ({ channel: "C404", users: w.bob.id })],
      ["no_user", (w: ReturnType<typeof world>) => ({ channel: w.channel.id, users: "" })],
    ])("answers %s", async (error, args) => {
      const w = world();
      await expect(w.client.conversations.invite(args(w))).rejects.toMatchObject(platformError(error));
    });

    it("answers not_in_channel when the bot is not in the channel", async () => {
      const { fake, bob, client } = world();
      const other = fake.addChannel({ name: "elsewhere" });
      await expect(client.conversations.invite({ channel: other.id, users: bob.id })).rejects.toMatchObject(
        platformError("not_in_channel"),
      );
    });

    it("answers is_archived for an archived channel", async () => {
      const { fake, bob, client } = world();
      const archived = fake.addChannel({ name: "old", is_archived: true, members: [bot()] });
      await expect(
        client.conversations.invite({ channel: archived.id, users: bob.id }),
      ).rejects.toMatchObject(platformError("is_archived"));
    });

    it("invites nobody when one user fails, and lists each failure", async () => {
      const { bob, channel, client } = world();
      const attempt = client.conversations.invite({ channel: channel.id, users: `${bob.id},U404,${bot()}` });
      await expect(attempt).rejects.toMatchObject({
        data: {
          error: "user_not_found",
          errors: [
            { user: "U404", ok: false, error: "user_not_found" },
            { user: bot(), ok: false, error: "cant_invite_self" },
          ],
        },
      });
      expect(channel.members).not.toContain(bob.id);
    });

    it("invites the valid users with force, reporting the others", async () => {
      const { bob, channel, client } = world();
      const answer = await client.conversations.invite({
        channel: channel.id,
        users: `${bob.id},U404`,
        force: true,
      });
      expect(answer.errors).toEqual([{ user: "U404", ok: false, error: "user_not_found" }]);
      expect(channel.members).toContain(bob.id);
    });
  });

  describe("conversations.join", () => {
    it("joins a public channel", async () => {
      const channel = slack.fake.addChannel({ name: "ops" });
      const answer = await slack.client().conversations.join({ channel: channel.id });
      expect(answer.channel).toMatchObject({ id: channel.id, is_member: true });
      expect(channel.members).toEqual([bot()]);
    });

    it("warns already_in_channel when already a member", async () => {
      const channel = slack.fake.addChannel({ name: "ops", members: [bot()] });
      const answer = await slack.client().conversations.join({ channel: channel.id });
      expect(answer).toMatchObject({ ok: true, warning: "already_in_channel" });
      expect(channel.members).toEqual([bot()]);
    });

    it("cannot join a private channel: invisible unless a member, unsupported otherwise", async () => {
      const hidden = slack.fake.addChannel({ name: "hidden", is_private: true });
      const joined = slack.fake.addChannel({ name: "joined", is_private: true, members: [bot()] });
      const client = slack.client();
      await expect(client.conversations.join({ channel: hidden.id })).rejects.toMatchObject(
        platformError("channel_not_found"),
      );
      await expect(client.conversations.join({ channel: joined.id })).rejects.toMatchObject(
        platformError("method_not_supported_for_channel_type"),
      );
    });

    it.each([
      ["is_archived", { name: "old", is_archived: true }],
      ["channel_not_found", undefined],
    ])("answers %s", async (error, input) => {
      const id = input ? slack.fake.addChannel(input).id : "C404";
      await expect(slack.client().conversations.join({ channel: id })).rejects.toMatchObject(
        platformError(error),
      );
    });
  });

  describe("conversations.info", () => {
    it("describes a channel as the bot sees it", async () => {
      const { channel, client } = world();
      const answer = await client.conversations.info({ channel: channel.id });
      expect(answer.channel).toMatchObject({
        id: channel.id,
        name: "inc-1",
        is_member: true,
        is_archived: false,
      });
    });

    it("answers channel_not_found for an unknown channel or a private one the bot is not in", async () => {
      const hidden = slack.fake.addChannel({ name: "hidden", is_private: true });
      for (const channel of ["C404", hidden.id]) {
        await expect(slack.client().conversations.info({ channel })).rejects.toMatchObject(
          platformError("channel_not_found"),
        );
      }
    });
  });

  describe("conversations.archive and unarchive", () => {
    it("archives and unarchives", async () => {
      const { channel, client } = world();
      await client.conversations.archive({ channel: channel.id });
      expect(channel.is_archived).toBe(true);
      await client.conversations.unarchive({ channel: channel.id });
      expect(channel.is_archived).toBe(false);
    });

    type Setup = (fake: typeof slack.fake) => string;
    it.each<[string, string, Setup]>([
      [
        "archive",
        "already_archived",
        (f) => f.addChannel({ name: "a", is_archived: true, members: [bot()] }).id,
      ],
      ["archive", "not_in_channel", (f) => f.addChannel({ name: "a" }).id],
      ["archive", "channel_not_found", () => "C404"],
      ["unarchive", "not_archived", (f) => f.addChannel({ name: "a", members: [bot()] }).id],
      ["unarchive", "channel_not_found", () => "C404"],
    ])("conversations.%s answers %s", async (method, error, setup) => {
      const channel = setup(slack.fake);
      await expect(slack.client().apiCall(`conversations.${method}`, { channel })).rejects.toMatchObject(
        platformError(error),
      );
    });
  });

  describe.each(["topic", "purpose"] as const)("conversations.set%s", (field) => {
    const method = field === "topic" ? "conversations.setTopic" : "conversations.setPurpose";

    it(`sets the ${field}, up to 250 characters`, async () => {
      const { channel, client } = world();
      await client.apiCall(method, { channel: channel.id, [field]: "x".repeat(250) });
      expect(channel[field]).toMatchObject({ value: "x".repeat(250), creator: bot() });
    });

    it.each([
      ["too_long", "inc-1", "x".repeat(251)],
      ["not_in_channel", "not-joined", "hi"],
      ["is_archived", "archived", "hi"],
      ["channel_not_found", "missing", "hi"],
    ])("answers %s", async (error, target, value) => {
      const { fake, channel, client } = world();
      const ids: Record<string, string> = {
        "inc-1": channel.id,
        "not-joined": fake.addChannel({ name: "not-joined" }).id,
        archived: fake.addChannel({ name: "archived", is_archived: true, members: [bot()] }).id,
        missing: "C404",
      };
      await expect(client.apiCall(method, { channel: ids[target], [field]: value })).rejects.toMatchObject(
        platformError(error),
      );
    });

    it(`answers invalid_arguments without a ${field}`, async () => {
      const { channel, client } = world();
      await expect(client.apiCall(method, { channel: channel.id })).rejects.toMatchObject(
        platformError("invalid_arguments"),
      );
    });
  });

  describe("conversations.history", () => {
    async function postFive() {
      const w = world();
      const texts = ["m1", "m2", "m3", "m4", "m5"];
      const ts: string[] = [];
      for (const text of texts)
        ts.push((await w.client.chat.postMessage({ channel: w.channel.id, text })).ts ?? "");
      return { ...w, ts };
    }

    it("lists top-level messages newest first, leaving thread replies out", async () => {
      const { channel, client, ts } = await postFive();
      await client.chat.postMessage({ channel: channel.id, text: "reply", thread_ts: ts[0] });
      const answer = await client.conversations.history({ channel: channel.id });
      expect(answer.messages?.map((m) => m.text)).toEqual(["m5", "m4", "m3", "m2", "m1"]);
      expect(answer.messages?.at(-1)).toMatchObject({ reply_count: 1, thread_ts: ts[0] });
      expect(answer.has_more).toBe(false);
    });

    it("pages with limit and cursor", async () => {
      const { channel, client } = await postFive();
      const pages: string[][] = [];
      for await (const page of client.paginate("conversations.history", { channel: channel.id, limit: 2 })) {
        pages.push(((page as ConversationsHistoryResponse).messages ?? []).map((m) => m.text ?? ""));
      }
      expect(pages).toEqual([["m5", "m4"], ["m3", "m2"], ["m1"]]);
    });

    it("filters by oldest and latest, exclusive unless inclusive", async () => {
      const { channel, client, ts } = await postFive();
      const texts = async (args: Record<string, unknown>) =>
        (await client.conversations.history({ channel: channel.id, ...args })).messages?.map((m) => m.text);
      expect(await texts({ oldest: ts[1], latest: ts[3] })).toEqual(["m3"]);
      expect(await texts({ oldest: ts[1], latest: ts[3], inclusive: true })).toEqual(["m4", "m3", "m2"]);
    });

    it.each([
      ["not_in_channel", { channel: "public-not-joined" }],
      ["channel_not_found", { channel: "C404" }],
      ["invalid_cursor", { channel: "inc-1", cursor: "bm9wZQ==" }],
      ["invalid_ts_oldest", { channel: "inc-1", oldest: "yesterday" }],
    ])("answers %s", async (error, args) => {
      const { fake, channel, client } = world();
      const ids: Record<string, string> = {
        "inc-1": channel.id,
        "public-not-joined": fake.addChannel({ name: "public-not-joined" }).id,
      };
      await expect(
        client.conversations.history({ ...args, channel: ids[args.channel] ?? args.channel }),
      ).rejects.toMatchObject(platformError(error));
    });
  });

  describe("conversations.members", () => {
    it("pages through the members", async () => {
      const { fake, channel, client } = world();
      for (const name of ["c", "d", "e"]) channel.members.push(fake.addUser({ name }).id);
      const pages: string[][] = [];
      for await (const page of client.paginate("conversations.members", { channel: channel.id, limit: 2 })) {
        pages.push((page as ConversationsMembersResponse).members ?? []);
      }
      expect(pages.flat()).toEqual(channel.members);
      expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    });

    it("answers channel_not_found", async () => {
      await expect(slack.client().conversations.members({ channel: "C404" })).rejects.toMatchObject(
        platformError("channel_not_found"),
      );
    });
  });
});
