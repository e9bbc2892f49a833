import type { ModalView } from "@slack/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INCIDENT_ACTIONS, INCIDENT_VIEWS } from "../../src/slack/ids.ts";
import { DECLARE_BLOCKS } from "../../src/slack/views/declare-modal.ts";
import { assertValidSurface } from "../support/fake-slack/block-kit.ts";
import { IncidentDriver, option, text } from "../support/incident-driver.ts";
import {
  buttonsIn,
  countIncidents,
  eventsOf,
  waitForChannelOf,
  waitForIncident,
} from "../support/incident-e2e.ts";
import { blockActions, viewSubmission } from "../support/slack-payloads.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const alice = { id: "U0ALICE", name: "alice" };
const bob = { id: "U0BOB", name: "bob" };

describe("the duplicate warning before a second incident about the same thing", () => {
  let t: TestApp;
  let drive: IncidentDriver;
  beforeAll(async () => {
    t = await startTestApp({ env: { DUPLICATE_WINDOW_MINUTES: "30" } });
    drive = new IncidentDriver(t);
    t.slack.addUser(alice);
    t.slack.addUser(bob);
  });
  afterAll(() => t.stop());

  /** Opens the declare form as `who` and submits it; returns the HTTP answer and where replies go. */
  async function declareWithForm(who: typeof alice, title: string, services: string) {
    const { triggerId, responseId } = await drive.incident(who, "declare");
    const modal = await drive.modalOpenedBy(triggerId);
    const response = await drive.submit(who, modal, {
      [DECLARE_BLOCKS.title]: { [DECLARE_BLOCKS.title]: text(title) },
      [DECLARE_BLOCKS.severity]: { [DECLARE_BLOCKS.severity]: option("sev2") },
      [DECLARE_BLOCKS.services]: { [DECLARE_BLOCKS.services]: text(services) },
    });
    expect(response.status).toBe(200);
    return { response, responseId };
  }

  let warning: ModalView;
  let warnedResponseId = "";

  it("pushes the warning over the form when an open incident shares a service", async () => {
    const first = await declareWithForm(alice, "Payments API errors", "checkout");
    await drive.answer(first.responseId, /INC-1 declared/);
    const channelId = await waitForChannelOf(t, 1);

    const second = await declareWithForm(bob, "Cart totals are wrong", "Checkout, cart");
    warnedResponseId = second.responseId;
    const body = second.response.body as { response_action?: string; view?: ModalView };
    expect(body.response_action).toBe("push");
    warning = body.view ?? expect.fail("no view pushed");
    expect(warning.callback_id).toBe(INCIDENT_VIEWS.duplicateWarning);
    assertValidSurface({ kind: "modal", ...warning });
    const shown = JSON.stringify(warning.blocks);
    expect(shown).toContain("*INC-1* Payments API errors");
    expect(shown).toContain("shared service: checkout");
    expect(shown).toContain(`<#${channelId}>`);
    expect(buttonsIn(warning.blocks)).toEqual([
      {
        actionId: INCIDENT_ACTIONS.joinExisting,
        text: "Join INC-1",
        value: (await waitForIncident(t, 1)).id,
      },
    ]);
    // Nothing is declared until the person decides.
    expect(await countIncidents(t)).toBe(1);
  });

  it("declares the second incident linked to the first when the warning is submitted", async () => {
    const response = await t.send.interaction(
      viewSubmission({
        user: bob,
        viewId: "V0WARNING1",
        callbackId: warning.callback_id ?? "",
        privateMetadata: warning.private_metadata ?? "",
        values: {},
        triggerId: t.slack.newTriggerId(bob.id),
      }),
    );
    expect(response.body).toEqual({ response_action: "clear" });
    const answer = await drive.answer(warnedResponseId, /INC-2 declared/);
    const second = await waitForIncident(t, 2);
    expect(answer.text).toBe(`:rotating_light: INC-2 declared: <#${await waitForChannelOf(t, 2)}>`);
    expect(second).toMatchObject({
      title: "Cart totals are wrong",
      affectedServices: ["Checkout", "cart"],
      reporterId: bob.id,
      linkedNumbers: [1],
    });
    const first = await waitForIncident(t, 1);
    expect(first.linkedNumbers).toContain(2);
    const linkedOf = async (id: string) =>
      (await eventsOf(t, id)).filter((e) => e.type === "linked").map((e) => e.payload);
    expect(await linkedOf(second.id)).toEqual([expect.objectContaining({ otherNumber: 1 })]);
    expect(await linkedOf(first.id)).toEqual([expect.objectContaining({ otherNumber: 2 })]);
  });

  it("keeps the pushed warning within Slack's limits when the form holds a long description", async () => {
    const description = Array.from({ length: 55 }, (_, i) => `Line ${i}: "quoted" details\n`)
      .join("")
      .repeat(2);
    expect(description.length).toBeLessThanOrEqual(3000);
    const { triggerId, responseId } = await drive.incident(bob, "declare");
    const modal = await drive.modalOpenedBy(triggerId);
    const response = await drive.submit(bob, modal, {
      [DECLARE_BLOCKS.title]: { [DECLARE_BLOCKS.title]: text("Checkout latency is high") },
      [DECLARE_BLOCKS.severity]: { [DECLARE_BLOCKS.severity]: option("sev3") },
      [DECLARE_BLOCKS.description]: { [DECLARE_BLOCKS.description]: text(description) },
      [DECLARE_BLOCKS.services]: { [DECLARE_BLOCKS.services]: text("checkout") },
    });
    const body = response.body as { response_action?: string; view?: ModalView };
    expect(body.response_action).toBe("push");
    const view = body.view ?? expect.fail("no view pushed");
    assertValidSurface({ kind: "modal", ...view });

    const declared = await t.send.interaction(
      viewSubmission({
        user: bob,
        viewId: "V0WARNING2",
        callbackId: view.callback_id ?? "",
        privateMetadata: view.private_metadata ?? "",
        values: {},
        triggerId: t.slack.newTriggerId(bob.id),
      }),
    );
    expect(declared.body).toEqual({ response_action: "clear" });
    await drive.answer(responseId, /INC-3 declared/);
    const third = await waitForIncident(t, 3);
    expect(third.title).toBe("Checkout latency is high");
    expect([...third.linkedNumbers].sort()).toEqual([1, 2]);
    // What did not fit is cut from the description's end, marked; the rest is kept as typed.
    expect(third.description.endsWith("…")).toBe(true);
    expect(description.startsWith(third.description.slice(0, -1))).toBe(true);
    expect(third.description.length).toBeGreaterThan(2000);
  });

  let oneLineWarning: { blocks: unknown[] } = { blocks: [] };

  it("answers a one-line declare like an open one with the warning instead of declaring", async () => {
    const first = await drive.incident(alice, "declare sev2 Checkout is failing");
    await drive.answer(first.responseId, /INC-4 declared/);
    const { responseId } = await drive.incident(bob, "declare sev2 Checkout is failing");
    const answer = await drive.answer(responseId, /may already be handled/);
    expect(answer.body.response_type).toBe("ephemeral");
    oneLineWarning = answer.body as { blocks: unknown[] };
    assertValidSurface({ kind: "message", ...answer.body });
    expect(answer.text).toContain("*INC-4* Checkout is failing");
    expect(buttonsIn(answer.body.blocks).map((b) => b.text)).toEqual(["Join INC-4", "Declare anyway"]);
    expect(await countIncidents(t)).toBe(4);
  });

  let clicks = 0;
  /** Clicks a button of the one-line warning as `who`; returns the response_url id of the click. */
  async function click(who: typeof alice, buttonText: string) {
    const button = buttonsIn(oneLineWarning.blocks).find((b) => b.text === buttonText);
    if (!button) return expect.fail(`no ${buttonText} button`);
    const responseId = `click-${++clicks}`;
    const response = await t.send.interaction(
      blockActions({
        user: who,
        actionId: button.actionId,
        value: button.value,
        message: { channelId: "C0GENERAL", ts: "1795424400.000001" },
        triggerId: t.slack.newTriggerId(who.id),
        responseUrl: t.slack.responseUrl(responseId),
      }),
    );
    expect(response.status).toBe(200);
    return responseId;
  }

  it("invites the person to the existing incident's channel when they click Join", async () => {
    const channelId = await waitForChannelOf(t, 4);
    expect(t.slack.state.channels[channelId]?.members).not.toContain(bob.id);
    const responseId = await click(bob, "Join INC-4");
    const answer = await drive.answer(responseId);
    expect(answer.text).toBe(`You are in <#${channelId}> for INC-4.`);
    expect(t.slack.state.channels[channelId]?.members).toContain(bob.id);
    expect(await countIncidents(t)).toBe(4);
  });

  it("declares linked when they click Declare anyway, and only for the person who was warned", async () => {
    const stranger = await click(alice, "Declare anyway");
    expect((await drive.answer(stranger)).text).toMatch(/expired/);
    expect(await countIncidents(t)).toBe(4);

    const responseId = await click(bob, "Declare anyway");
    const answer = await drive.answer(responseId, /INC-5 declared/);
    expect(answer.text).toBe(`:rotating_light: INC-5 declared: <#${await waitForChannelOf(t, 5)}>`);
    const declared = await waitForIncident(t, 5);
    expect(declared).toMatchObject({ title: "Checkout is failing", reporterId: bob.id, linkedNumbers: [4] });
    const existing = await waitForIncident(t, 4);
    expect(existing.linkedNumbers).toEqual([5]);
    for (const [incident, other] of [
      [declared, 4],
      [existing, 5],
    ] as const) {
      const linked = (await eventsOf(t, incident.id)).filter((e) => e.type === "linked");
      expect(linked.map((e) => e.payload)).toEqual([expect.objectContaining({ otherNumber: other })]);
    }

    // A second click on the same button is the same declaration.
    const again = await click(bob, "Declare anyway");
    expect((await drive.answer(again)).text).toMatch(/^INC-5 was already declared/);
    expect(await countIncidents(t)).toBe(5);
  });

  it("declares without a warning once the similar incident is older than the window", async () => {
    t.clock.advance(31 * 60_000);
    const { responseId } = await drive.incident(bob, "declare sev2 Checkout is failing");
    const answer = await drive.answer(responseId, /declared/);
    expect(answer.text).toMatch(/^:rotating_light: INC-6 declared/);
    expect((await waitForIncident(t, 6)).linkedNumbers).toEqual([]);
  });
});
