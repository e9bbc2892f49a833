import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UPDATE_BLOCKS } from "../../src/slack/views/update-modal.ts";
import { getIncidentByNumber } from "../../src/store/incidents.ts";
import { eventually } from "../support/eventually.ts";
import { IncidentDriver, option, text } from "../support/incident-driver.ts";
import { TEAM } from "../support/slack-driver.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const alice = { id: "U0ALICE", name: "alice" };
const MINUTE = 60_000;

describe("status update reminders follow the severity's cadence", () => {
  let t: TestApp;
  let drive: IncidentDriver;
  beforeAll(async () => {
    t = await startTestApp();
    drive = new IncidentDriver(t);
    t.slack.addUser(alice);
  });
  afterAll(() => t.stop());

  const reminders = (channelId: string | undefined) =>
    t.slack
      .callsTo("chat.postMessage")
      .filter((c) => c.ok && c.args.channel === channelId && /status update for/.test(String(c.args.text)));
  const advance = async (minutes: number) => {
    t.clock.advance(minutes * MINUTE);
    await t.firebreak.poller.tick();
  };

  it("reminds a SEV2 channel every 30 minutes without an update, counting again from each update", async () => {
    const { responseId } = await drive.incident(alice, "declare sev2 Card payments failing");
    await drive.answer(responseId, /declared/);
    const incident = await getIncidentByNumber(t.firebreak.store.models, TEAM.id, 1);
    const channel = incident?.channelId;
    await advance(29);
    expect(reminders(channel)).toHaveLength(0);
    await advance(1);
    expect(reminders(channel)).toHaveLength(1);
    expect(reminders(channel)[0]?.args.text).toBe(
      `:alarm_clock: <@${alice.id}>, a status update for INC-1 is due (SEV2: updates every 30 minutes).`,
    );
    await t.firebreak.poller.tick();
    expect(reminders(channel)).toHaveLength(1);

    await advance(10);
    const { triggerId } = await drive.incident(alice, "update", channel);
    const modal = await drive.modalOpenedBy(triggerId);
    await drive.submit(alice, modal, {
      [UPDATE_BLOCKS.status]: { [UPDATE_BLOCKS.status]: option("identified") },
      [UPDATE_BLOCKS.message]: { [UPDATE_BLOCKS.message]: text("Found the failing gateway") },
    });
    await eventually(
      async () =>
        (await getIncidentByNumber(t.firebreak.store.models, TEAM.id, 1))?.status === "identified"
          ? true
          : undefined,
      "the update",
    );
    await advance(29);
    expect(reminders(channel)).toHaveLength(1);
    await advance(1);
    expect(reminders(channel)).toHaveLength(2);
  });

  it("never reminds a SEV4, which has no scheduled updates", async () => {
    const { responseId } = await drive.incident(alice, "declare sev4 Typo on the pricing page");
    await drive.answer(responseId, /declared/);
    const incident = await getIncidentByNumber(t.firebreak.store.models, TEAM.id, 2);
    await advance(24 * 60);
    expect(reminders(incident?.channelId)).toHaveLength(0);
  });
});
