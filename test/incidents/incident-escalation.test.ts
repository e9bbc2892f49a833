import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INCIDENT_ACTIONS } from "../../src/slack/ids.ts";
import { getIncidentByNumber } from "../../src/store/incidents.ts";
import { eventually } from "../support/eventually.ts";
import { IncidentDriver } from "../support/incident-driver.ts";
import { TEAM } from "../support/slack-driver.ts";
import { blockActions } from "../support/slack-payloads.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const reporter = { id: "U0REPORTER", name: "reporter" };
const L1 = { id: "U0IC1", name: "first" };
const L2 = { id: "U0IC2", name: "second" };
const MINUTE = 60_000;

describe("an unacknowledged incident escalates on its severity's response time", () => {
  let t: TestApp;
  let drive: IncidentDriver;
  beforeAll(async () => {
    const policy = {
      levels: [
        { afterMinutes: 0, targets: [L1.id] },
        { afterMinutes: 15, targets: [L2.id] },
      ],
    };
    t = await startTestApp({ env: { ESCALATION_POLICY: JSON.stringify(policy) } });
    drive = new IncidentDriver(t);
    for (const person of [reporter, L1, L2]) t.slack.addUser(person);
  });
  afterAll(() => t.stop());

  const pagesTo = (userId: string) =>
    t.slack.callsTo("chat.postMessage").filter((c) => c.ok && c.args.channel === userId);
  const advance = async (minutes: number) => {
    t.clock.advance(minutes * MINUTE);
    await t.firebreak.poller.tick();
  };

  it("pages L1 once SEV2's 15 minutes pass, in the kickoff's thread and by DM, and stops on acknowledge", async () => {
    const { responseId } = await drive.incident(reporter, "declare sev2 Payments are slow");
    await drive.answer(responseId, /declared/);
    const incident = await getIncidentByNumber(t.firebreak.store.models, TEAM.id, 1);
    await advance(14);
    expect(pagesTo(L1.id)).toHaveLength(0);
    await advance(1);
    expect(pagesTo(L1.id)).toHaveLength(1);
    const thread = t.slack
      .callsTo("chat.postMessage")
      .find((c) => c.args.channel === incident?.channelId && c.args.thread_ts === incident?.kickoff?.ts);
    expect(thread?.args.text).toContain(`Paging <@${L1.id}> (L1)`);
    expect(JSON.stringify(pagesTo(L1.id)[0]?.args.blocks)).toContain(INCIDENT_ACTIONS.acknowledge);

    await t.send.interaction(
      blockActions({
        user: L1,
        actionId: INCIDENT_ACTIONS.acknowledge,
        value: incident?.id ?? "",
        triggerId: t.slack.newTriggerId(L1.id),
        message: { channelId: "D0IC1", ts: "1795000000.000100" },
        responseUrl: t.slack.responseUrl("dm-ack"),
      }),
    );
    const answer = await eventually(() => t.slack.responses.find((r) => r.id === "dm-ack"), "the ack answer");
    expect((answer.body as { text: string }).text).toBe("You acknowledged INC-1.");
    await advance(30);
    expect(pagesTo(L2.id)).toHaveLength(0);
  });

  it("pages nobody for an incident resolved within its response time", async () => {
    const { responseId } = await drive.incident(reporter, "declare sev1 Login is down");
    await drive.answer(responseId, /declared/);
    const incident = await getIncidentByNumber(t.firebreak.store.models, TEAM.id, 2);
    const { triggerId } = await drive.incident(reporter, "resolve", incident?.channelId);
    const modal = await drive.modalOpenedBy(triggerId);
    await drive.submit(reporter, modal, {
      resolve_resolution: { resolve_resolution: { type: "plain_text_input", value: "Restarted the IdP" } },
    });
    await eventually(
      async () =>
        (await getIncidentByNumber(t.firebreak.store.models, TEAM.id, 2))?.status === "resolved"
          ? true
          : undefined,
      "the resolution",
    );
    const before = pagesTo(L1.id).length;
    await advance(60);
    expect(pagesTo(L1.id)).toHaveLength(before);
  });

  it("starts over when an incident is reopened: escalation from the reopening, and a new acknowledgement", async () => {
    const { responseId } = await drive.incident(reporter, "reopen INC-2");
    expect((await drive.answer(responseId)).text).toBe("INC-2 is reopened and back to investigating.");
    const before = pagesTo(L1.id).length;
    await advance(4);
    expect(pagesTo(L1.id)).toHaveLength(before);
    await advance(1);
    expect(pagesTo(L1.id)).toHaveLength(before + 1);
    const ack = await drive.incident(reporter, "ack INC-2");
    expect((await drive.answer(ack.responseId)).text).toBe("You acknowledged INC-2.");
    await advance(30);
    expect(pagesTo(L2.id)).toHaveLength(0);
  });
});
