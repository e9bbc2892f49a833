import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { noMetrics } from "../../src/metrics.ts";
import { createSlackNotifier, type SlackNotifier } from "../../src/slack/notifier.ts";
import { TestClock } from "../support/clock.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack/server.ts";

const CHANNEL = "C0OPS";
const alice = { id: "U0ALICE", name: "alice" };
const notice = { kind: "paging", level: "L1", people: [alice.id], unresolved: [] } as const;

describe("the Slack notifier answers outcomes, not Slack's errors", () => {
  let slack: FakeSlack;
  let notifier: SlackNotifier;
  beforeAll(async () => {
    const clock = new TestClock();
    slack = await startFakeSlack({ clock: () => clock.nowMs() });
    slack.addUser(alice);
    slack.addChannel({ id: CHANNEL, name: "ops", members: [slack.state.bot.user_id] });
    const parsed = parseConfig({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: "x",
      SLACK_API_URL: slack.apiUrl,
    });
    if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
    notifier = createSlackNotifier({
      config: parsed.config,
      clock,
      logger: createLogger("silent"),
      metrics: noMetrics,
    });
  });
  afterAll(() => slack.close());

  it("posts and gives back where the message lives", async () => {
    const posted = await notifier.post(CHANNEL, notice);
    expect(posted).toMatchObject({ status: "done", value: { channelId: CHANNEL } });
  });

  it("shares a file through Slack's three-call upload, in a thread, with its comment", async () => {
    const thread = await notifier.post(CHANNEL, notice);
    if (thread.status !== "done") throw new Error("no thread to upload into");
    const before = slack.calls.length;
    const uploaded = await notifier.uploadFile(
      CHANNEL,
      { filename: "draft.md", title: "Postmortem draft", content: "# INC-7\n", comment: "The draft" },
      { thread: thread.value },
    );
    expect(uploaded).toEqual({ status: "done", value: undefined });
    expect(slack.calls.slice(before).map((c) => c.method)).toEqual([
      "files.getUploadURLExternal",
      "files.completeUploadExternal",
    ]);
    const file = Object.values(slack.state.files).find((f) => f.name === "draft.md");
    expect(file?.content?.toString()).toBe("# INC-7\n");
    expect(slack.state.messages[CHANNEL]?.at(-1)).toMatchObject({
      text: "The draft",
      thread_ts: thread.value.ts,
    });
  });

  it("answers a refused upload as an outcome", async () => {
    slack.failNext("files.completeUploadExternal", { error: "not_in_channel" });
    expect(await notifier.uploadFile(CHANNEL, { filename: "a.txt", title: "A", content: "a" })).toEqual({
      status: "refused",
      code: "not_in_channel",
    });
  });

  it("hands a 429 back at once with Slack's Retry-After in milliseconds, without retrying it", async () => {
    slack.failNext("chat.postMessage", { status429RetryAfter: 7 });
    const calls = slack.callsTo("chat.postMessage").length;
    expect(await notifier.post(CHANNEL, notice)).toEqual({
      status: "rate_limited",
      retryAfterMs: 7_000,
      code: "ratelimited",
    });
    expect(slack.callsTo("chat.postMessage")).toHaveLength(calls + 1);
  });

  it.each([
    ["channel_not_found", "not_found"],
    ["is_archived", "refused"],
    ["not_in_channel", "refused"],
    ["internal_error", "unavailable"],
  ])("maps %s to %s", async (error, status) => {
    slack.failNext("chat.postMessage", { error });
    expect(await notifier.post(CHANNEL, notice)).toEqual({ status, code: error });
  });

  it("counts an invite of someone already there as done, and a taken channel name as taken", async () => {
    slack.failNext("conversations.invite", { error: "already_in_channel" });
    expect(await notifier.invite(CHANNEL, alice.id)).toEqual({ status: "done", value: undefined });
    expect(await notifier.createChannel("ops", { isPrivate: false })).toEqual({
      status: "done",
      value: "taken",
    });
  });
});
