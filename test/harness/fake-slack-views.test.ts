import type { View } from "@slack/web-api";
import { beforeEach, describe, expect, it } from "vitest";
import { useFakeSlack } from "../support/fake-slack/use-fake-slack.ts";

describe("fake Slack views, users and user groups", () => {
  // The fake's clock is ours to move: trigger expiry is tested without sleeping.
  let now = 1_700_000_000_000;
  beforeEach(() => {
    now = 1_700_000_000_000;
  });
  const slack = useFakeSlack({ clock: () => now });

  const platformError = (error: string) => ({ data: { ok: false, error } });
  const plain = (text: string) => ({ type: "plain_text" as const, text });
  const modal = (title: string, extra: Partial<View> = {}): View => ({
    type: "modal",
    title: plain(title),
    close: plain("Cancel"),
    blocks: [{ type: "section", text: { type: "mrkdwn", text: title } }],
    ...extra,
  });
  const home = (text: string): View => ({ type: "home", blocks: [{ type: "section", text: plain(text) }] });

  function world() {
    const alice = slack.fake.addUser({ name: "alice" });
    return { fake: slack.fake, alice, client: slack.client() };
  }

  describe("views.open", () => {
    it("opens a modal for the user of the trigger", async () => {
      const { fake, alice, client } = world();
      const view = modal("Declare", { callback_id: "declare", private_metadata: "C1" });
      const answer = await client.views.open({ trigger_id: fake.newTriggerId(alice.id), view });
      const id = answer.view?.id ?? "";
      expect(answer.view).toMatchObject({ type: "modal", callback_id: "declare", root_view_id: id });
      expect(answer.view?.hash).toEqual(expect.any(String));
      expect(fake.state.views[id]).toMatchObject({ user: alice.id, private_metadata: "C1" });
      expect(fake.state.modalStacks[alice.id]).toEqual([id]);
    });

    it("accepts a trigger up to 3 seconds old and answers expired_trigger_id after", async () => {
      const { fake, client } = world();
      const fresh = fake.newTriggerId();
      const stale = fake.newTriggerId();
      now += 3000;
      await expect(client.views.open({ trigger_id: fresh, view: modal("A") })).resolves.toMatchObject({
        ok: true,
      });
      now += 1;
      await expect(client.views.open({ trigger_id: stale, view: modal("A") })).rejects.toMatchObject(
        platformError("expired_trigger_id"),
      );
    });

    it("answers exchanged_trigger_id when a trigger is used twice", async () => {
      const { fake, client } = world();
      const trigger_id = fake.newTriggerId();
      await client.views.open({ trigger_id, view: modal("A") });
      await expect(client.views.open({ trigger_id, view: modal("A") })).rejects.toMatchObject(
        platformError("exchanged_trigger_id"),
      );
    });

    it("answers invalid_trigger_id for a trigger it never issued", async () => {
      await expect(
        slack.client().views.open({ trigger_id: "12345.98765.abcd2358fdea", view: modal("A") }),
      ).rejects.toMatchObject(platformError("invalid_trigger_id"));
    });

    it.each([
      ["a view that is not JSON", "{not json"],
      ["a Home tab view", home("x")],
      ["a modal without a title", { type: "modal", blocks: [] }],
      ["a title over 24 characters", modal("x".repeat(25))],
      ["an unknown block", modal("A", { blocks: [{ type: "no_such_block" } as never] })],
    ])("answers invalid_arguments for %s, leaving the trigger usable", async (_, view) => {
      const { fake, client } = world();
      const trigger_id = fake.newTriggerId();
      await expect(client.apiCall("views.open", { trigger_id, view })).rejects.toMatchObject(
        platformError("invalid_arguments"),
      );
      await expect(client.views.open({ trigger_id, view: modal("A") })).resolves.toMatchObject({ ok: true });
    });

    it("points Block Kit problems under /view", async () => {
      const { fake, client } = world();
      const attempt = client.views.open({ trigger_id: fake.newTriggerId(), view: modal("x".repeat(25)) });
      await expect(attempt).rejects.toMatchObject({
        data: { response_metadata: { messages: [expect.stringContaining("[json-pointer:/view/title")] } },
      });
    });
  });

  describe("views.push", () => {
    it("pushes onto the open modal, up to three views", async () => {
      const { fake, alice, client } = world();
      const root = await client.views.open({ trigger_id: fake.newTriggerId(alice.id), view: modal("1") });
      const second = await client.views.push({ trigger_id: fake.newTriggerId(alice.id), view: modal("2") });
      expect(second.view).toMatchObject({ root_view_id: root.view?.id, previous_view_id: root.view?.id });
      await client.views.push({ trigger_id: fake.newTriggerId(alice.id), view: modal("3") });
      await expect(
        client.views.push({ trigger_id: fake.newTriggerId(alice.id), view: modal("4") }),
      ).rejects.toMatchObject(platformError("push_limit_reached"));
    });

    it("answers not_found when the user has no open modal", async () => {
      const { fake, alice, client } = world();
      await expect(
        client.views.push({ trigger_id: fake.newTriggerId(alice.id), view: modal("2") }),
      ).rejects.toMatchObject(platformError("not_found"));
    });

    it("answers expired_trigger_id for an old trigger", async () => {
      const { fake, alice, client } = world();
      await client.views.open({ trigger_id: fake.newTriggerId(alice.id), view: modal("1") });
      const trigger_id = fake.newTriggerId(alice.id);
      now += 5000;
      await expect(client.views.push({ trigger_id, view: modal("2") })).rejects.toMatchObject(
        platformError("expired_trigger_id"),
      );
    });
  });

  describe("views.update", () => {
    async function opened() {
      const w = world();
      const view = modal("Declare", { external_id: "declare-1" });
      const { view: open } = await w.client.views.open({ trigger_id: w.fake.newTriggerId(w.alice.id), view });
      return { ...w, id: open?.id ?? "", hash: open?.hash ?? "" };
    }

    it("updates by view_id with the current hash, and gives a new hash", async () => {
      const { fake, client, id, hash } = await opened();
      const answer = await client.views.update({ view_id: id, hash, view: modal("Declared") });
      expect(answer.view?.id).toBe(id);
      expect(answer.view?.hash).not.toBe(hash);
      expect(fake.state.views[id]?.title).toEqual(plain("Declared"));
    });

    it("updates by external_id", async () => {
      const { fake, client, id } = await opened();
      await client.views.update({
        external_id: "declare-1",
        view: modal("Other", { external_id: "declare-1" }),
      });
      expect(fake.state.views[id]?.title).toEqual(plain("Other"));
    });

    it("answers hash_conflict for a stale hash", async () => {
      const { client, id, hash } = await opened();
      await client.views.update({ view_id: id, hash, view: modal("Second") });
      await expect(client.views.update({ view_id: id, hash, view: modal("Third") })).rejects.toMatchObject(
        platformError("hash_conflict"),
      );
    });

    it.each([
      ["not_found", { view_id: "V404" }],
      ["not_found", { external_id: "nope" }],
      ["invalid_arguments", {}],
    ])("answers %s", async (error, ids) => {
      const { client } = await opened();
      await expect(client.apiCall("views.update", { ...ids, view: modal("x") })).rejects.toMatchObject(
        platformError(error),
      );
    });
  });

  describe("views.publish", () => {
    it("publishes a Home tab and keeps its id across publishes", async () => {
      const { fake, alice, client } = world();
      const first = await client.views.publish({ user_id: alice.id, view: home("Hello") });
      const second = await client.views.publish({
        user_id: alice.id,
        view: home("Again"),
        hash: first.view?.hash,
      });
      expect(second.view?.id).toBe(first.view?.id);
      expect(fake.state.homeViews[alice.id]).toBe(first.view?.id);
      expect(fake.state.views[first.view?.id ?? ""]).toMatchObject({ type: "home", user: alice.id });
    });

    it.each([
      ["invalid_arguments", "unknown user", () => ({ user_id: "U404", view: home("x") })],
      ["invalid_arguments", "a modal", (user: string) => ({ user_id: user, view: modal("x") })],
      ["invalid_arguments", "an empty text", (user: string) => ({ user_id: user, view: home("") })],
    ])("answers %s for %s", async (error, _, args) => {
      const { alice, client } = world();
      await expect(client.apiCall("views.publish", args(alice.id))).rejects.toMatchObject(
        platformError(error),
      );
    });

    it("answers hash_conflict for a stale hash", async () => {
      const { alice, client } = world();
      const first = await client.views.publish({ user_id: alice.id, view: home("1") });
      await client.views.publish({ user_id: alice.id, view: home("2") });
      await expect(
        client.views.publish({ user_id: alice.id, view: home("3"), hash: first.view?.hash }),
      ).rejects.toMatchObject(platformError("hash_conflict"));
    });
  });

  describe("users and user groups", () => {
    it("users.info returns a user, and user_not_found otherwise", async () => {
      const { fake, alice, client } = world();
      const answer = await client.users.info({ user: alice.id });
      expect(answer.user).toMatchObject({ id: alice.id, name: "alice", team_id: fake.state.workspace.id });
      await expect(client.users.info({ user: "U404" })).rejects.toMatchObject(
        platformError("user_not_found"),
      );
    });

    it("users.lookupByEmail finds by email, case-insensitively, and answers users_not_found otherwise", async () => {
      const { fake, client } = world();
      const bob = fake.addUser({
        name: "bob",
        email: "Bob@Example.com",
        tz: "Europe/Paris",
        tz_offset: 3600,
      });
      const answer = await client.users.lookupByEmail({ email: "bob@example.com" });
      expect(answer.user).toMatchObject({
        id: bob.id,
        tz: "Europe/Paris",
        profile: { email: "Bob@Example.com" },
      });
      await expect(client.users.lookupByEmail({ email: "nobody@example.com" })).rejects.toMatchObject(
        platformError("users_not_found"),
      );
    });

    it("usergroups.list lists enabled groups, with users and counts on request", async () => {
      const { fake, alice, client } = world();
      const oncall = fake.addUserGroup({ handle: "oncall-db", name: "DB on-call", users: [alice.id] });
      fake.addUserGroup({ handle: "old", disabled: true });
      const plainList = await client.usergroups.list();
      expect(plainList.usergroups).toEqual([expect.objectContaining({ id: oncall.id, handle: "oncall-db" })]);
      expect(plainList.usergroups?.[0]).not.toHaveProperty("users");
      const full = await client.usergroups.list({
        include_users: true,
        include_count: true,
        include_disabled: true,
      });
      expect(full.usergroups?.map((g) => [g.handle, g.users, g.user_count])).toEqual([
        ["oncall-db", [alice.id], 1],
        ["old", [], 0],
      ]);
    });

    it("usergroups.users.list returns the members, and no_such_subteam otherwise", async () => {
      const { fake, alice, client } = world();
      const group = fake.addUserGroup({ handle: "oncall", users: [alice.id] });
      await expect(client.usergroups.users.list({ usergroup: group.id })).resolves.toMatchObject({
        users: [alice.id],
      });
      await expect(client.usergroups.users.list({ usergroup: "S404" })).rejects.toMatchObject(
        platformError("no_such_subteam"),
      );
    });
  });
});
