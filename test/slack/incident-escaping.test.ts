import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DECLARE_BLOCKS } from "../../src/slack/views/declare-modal.ts";
import { eventually } from "../support/eventually.ts";
import { type IncidentDriver, option, text } from "../support/incident-driver.ts";
import {
  alice,
  answersOn,
  INCIDENTS,
  kickoffIn,
  startIncidentApp,
  waitForChannelOf,
  waitForIncident,
} from "../support/incident-e2e.ts";
import type { TestApp } from "../support/test-app.ts";

/** What a person could type to ping everyone or disguise a link, if it reached Slack unescaped. */
const PING = "<!channel>";
const DISGUISED = "<https://evil.example|bank>";
const HOSTILE_TITLE = `Checkout ${PING} down ${DISGUISED} & more`;
const ESCAPED_TITLE = "Checkout &lt;!channel&gt; down &lt;https://evil.example|bank&gt; &amp; more";

/** A message or answer as JSON, without button values: those are data handed back to us, never shown. */
const shown = (message: unknown) =>
  JSON.stringify(message, (key, value: unknown) => (key === "value" ? undefined : value));

describe("a hostile incident title reaches Slack escaped", () => {
  let t: TestApp;
  let drive: IncidentDriver;
  beforeAll(async () => {
    ({ t, drive } = await startIncidentApp());
  });
  afterAll(() => t.stop());

  /** Every text and block that went to chat.postMessage / chat.update, as sent. */
  const postedContent = () =>
    [...t.slack.callsTo("chat.postMessage"), ...t.slack.callsTo("chat.update")].map((call) =>
      shown({ text: call.args.text, blocks: call.args.blocks }),
    );

  it("declares from one line with the title escaped in the kickoff, announcement, topic and purpose", async () => {
    const { responseId } = await drive.incident(alice, `declare sev1 ${HOSTILE_TITLE}`);
    await drive.answer(responseId, /declared/);
    const incident = await waitForIncident(t, 1);
    // Stored as typed: escaping happens on the way out, once.
    expect(incident.title).toBe(HOSTILE_TITLE);
    const channelId = await waitForChannelOf(t, 1);
    const channel = t.slack.state.channels[channelId] ?? expect.fail("no incident channel");
    expect(channel.name).toBe("inc-1-checkout-channel-down-https-evil-example-bank-more");

    const kickoff = kickoffIn(t, channelId);
    expect(kickoff.text).toContain(ESCAPED_TITLE);
    expect(JSON.stringify(kickoff.blocks)).toContain("&lt;!channel&gt;");
    const [announcement] = t.slack.state.messages[INCIDENTS] ?? [];
    expect(announcement?.text).toContain(ESCAPED_TITLE);
    expect(JSON.stringify(announcement?.blocks)).toContain(ESCAPED_TITLE);

    // The topic holds no title; the purpose does, and Slack formats it (and posts it in the channel).
    expect(channel.topic.value).not.toContain("<!");
    expect(channel.purpose.value).toBe(`INC-1: ${ESCAPED_TITLE}`);

    for (const content of postedContent()) {
      expect(content).not.toContain(PING);
      expect(content).not.toContain("<https://evil.example");
    }
  });

  it("keeps it escaped in the status answer, the timeline page and the duplicate warning", async () => {
    const channelId = await waitForChannelOf(t, 1);
    const status = await drive.incident(alice, "status", channelId);
    const summary = await drive.answer(status.responseId, /INC-1/);
    expect(JSON.stringify(summary.body)).toContain("&lt;!channel&gt;");

    await drive.incident(alice, "timeline", channelId);
    const timeline = await eventually(
      () => t.slack.state.messages[channelId]?.find((m) => m.text?.startsWith("Timeline of INC-1")),
      "the timeline page in the channel",
    );
    expect(JSON.stringify(timeline.blocks)).toContain(ESCAPED_TITLE);

    // Same title again: the warning quotes the first incident's title.
    const again = await drive.incident(alice, `declare sev1 ${HOSTILE_TITLE}`);
    const warning = await drive.answer(again.responseId, /may already be handled/);
    expect(warning.text).toContain(ESCAPED_TITLE);

    for (const answer of [...answersOn(t, status.responseId), ...answersOn(t, again.responseId)]) {
      expect(shown(answer)).not.toContain(PING);
      expect(shown(answer)).not.toContain("<https://evil.example");
    }
    for (const content of postedContent()) expect(content).not.toContain(PING);
  });

  it("escapes a title typed into the declare form the same way", async () => {
    // Past the duplicate window, so this similar title is declared without a warning.
    t.clock.advance(121 * 60_000);
    const { triggerId, responseId } = await drive.incident(alice, "declare");
    const modal = await drive.modalOpenedBy(triggerId);
    const title = `Payments ${PING} ${DISGUISED}`;
    const submitted = await drive.submit(alice, modal, {
      [DECLARE_BLOCKS.title]: { [DECLARE_BLOCKS.title]: text(title) },
      [DECLARE_BLOCKS.severity]: { [DECLARE_BLOCKS.severity]: option("sev3") },
      [DECLARE_BLOCKS.description]: {
        [DECLARE_BLOCKS.description]: text(`Reported in ${PING} by ${DISGUISED}`),
      },
    });
    expect(submitted.status).toBe(200);
    await drive.answer(responseId, /INC-2 declared/);
    const channelId = await waitForChannelOf(t, 2);
    const kickoff = kickoffIn(t, channelId);
    expect(kickoff.text).toContain("Payments &lt;!channel&gt; &lt;https://evil.example|bank&gt;");
    expect(kickoff.text).toContain("Reported in &lt;!channel&gt; by &lt;https://evil.example|bank&gt;");
    expect(t.slack.state.channels[channelId]?.purpose.value).toBe(
      "INC-2: Payments &lt;!channel&gt; &lt;https://evil.example|bank&gt;",
    );
    for (const content of postedContent()) {
      expect(content).not.toContain(PING);
      expect(content).not.toContain("<https://evil.example");
    }
  });
});
