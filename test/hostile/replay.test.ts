import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signBody } from "../../src/http/alert-webhooks.ts";
import { SLACK_EVENTS_PATH } from "../../src/slack/app.ts";
import { INCIDENT_ACTIONS } from "../../src/slack/ids.ts";
import { deliverQueued } from "../support/deliver.ts";
import {
  countIncidents,
  eventsOf,
  kickoffsIn,
  typesOf,
  waitForChannelOf,
  waitForIncident,
} from "../support/incident-e2e.ts";
import { API_APP_ID, signSlackRequest, TEAM } from "../support/slack-driver.ts";
import { blockActions } from "../support/slack-payloads.ts";
import { TEST_SIGNING_SECRET } from "../support/test-app.ts";
import {
  alice,
  GENERAL,
  type HostileApp,
  INCIDENTS,
  mallory,
  startHostileApp,
  WEBHOOK_SECRET,
} from "./hostile-app.ts";
import { countDocuments, inParallel } from "./hostile-support.ts";

/**
 * A replay sends the very same signed bytes again: same body, same timestamp, same signature. Slack does
 * this itself when an answer is slow (with X-Slack-Retry-Num); an attacker who captured a request can too,
 * for up to five minutes. Either way the state changes once.
 */

interface Captured {
  body: string;
  headers: Record<string, string>;
}

/** A request signed now, once, as Slack would send it. */
function signedOnce(body: string, contentType: string): Captured {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      "content-type": contentType,
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": signSlackRequest(TEST_SIGNING_SECRET, timestamp, body),
    },
  };
}

const REPLAYS = 100;

/** Sends `request` REPLAYS times, 20 at a time: half as they were, half with Slack's retry headers. */
async function replay(app: HostileApp, path: string, request: Captured): Promise<number[]> {
  const copies = Array.from({ length: REPLAYS }, (_, index) =>
    index % 2 === 0
      ? request.headers
      : {
          ...request.headers,
          "x-slack-retry-num": String(1 + (index % 3)),
          "x-slack-retry-reason": index % 4 === 1 ? "http_timeout" : "http_error",
        },
  );
  return inParallel(copies, 20, async (headers) => {
    const response = await fetch(`${app.t.url}${path}`, { method: "POST", headers, body: request.body });
    await response.text();
    return response.status;
  });
}

let app: HostileApp;
beforeAll(async () => {
  app = await startHostileApp();
});
afterAll(async () => {
  app.watched.stop();
  await app.t.stop();
});

describe("one signed request replayed 100 times changes state once", () => {
  it("declares one incident, with one channel and one kickoff", async () => {
    const { t } = app;
    const incidentsBefore = await countIncidents(t);
    const creates = t.slack.callsTo("conversations.create").length;
    const form = new URLSearchParams({
      token: "deprecated",
      team_id: TEAM.id,
      team_domain: TEAM.domain,
      channel_id: GENERAL,
      channel_name: "general",
      user_id: alice.id,
      user_name: alice.name,
      command: "/incident",
      text: "declare sev3 Search is slow",
      api_app_id: API_APP_ID,
      response_url: t.slack.responseUrl("replayed-declare"),
      trigger_id: t.slack.newTriggerId(alice.id),
    });
    const statuses = await replay(
      app,
      SLACK_EVENTS_PATH,
      signedOnce(form.toString(), "application/x-www-form-urlencoded"),
    );
    expect(statuses).toEqual(Array(REPLAYS).fill(200));
    await app.watched.idle();

    expect(await countIncidents(t)).toBe(incidentsBefore + 1);
    const number = incidentsBefore + 1;
    const channelId = await waitForChannelOf(t, number);
    expect(t.slack.callsTo("conversations.create").length).toBe(creates + 1);
    expect(kickoffsIn(t, channelId)).toHaveLength(1);
    const events = typesOf(await eventsOf(t, (await waitForIncident(t, number)).id));
    expect(events.filter((type) => type === "declared")).toHaveLength(1);
    expect(events.filter((type) => type === "channel_created")).toHaveLength(1);
    const announcements = (t.slack.state.messages[INCIDENTS] ?? []).filter((m) =>
      m.text?.includes(`INC-${number}`),
    );
    expect(announcements).toHaveLength(1);
  });

  it("acknowledges once from one Acknowledge click", async () => {
    const { t } = app;
    const before = await waitForIncident(t, 1);
    expect(before.acknowledgedAt).toBeUndefined();
    const click = blockActions({
      user: mallory,
      actionId: INCIDENT_ACTIONS.acknowledge,
      value: app.incidentId,
      triggerId: t.slack.newTriggerId(mallory.id),
      message: { channelId: app.incidentChannel, ts: "1.000001" },
      responseUrl: t.slack.responseUrl("replayed-ack"),
    });
    const body = new URLSearchParams({
      payload: JSON.stringify({
        team: { id: TEAM.id, domain: TEAM.domain },
        api_app_id: API_APP_ID,
        ...click,
      }),
    }).toString();
    const statuses = await replay(
      app,
      SLACK_EVENTS_PATH,
      signedOnce(body, "application/x-www-form-urlencoded"),
    );
    expect(statuses).toEqual(Array(REPLAYS).fill(200));
    await app.watched.idle();

    const after = await waitForIncident(t, 1);
    expect(after.acknowledgedBy).toBe(mallory.id);
    const acks = (await eventsOf(t, after.id)).filter((e) => e.type === "acknowledged");
    expect(acks.map((e) => e.actorId)).toEqual([mallory.id]);
    // Every copy was answered; one of them says it acknowledged.
    const answers = t.slack.responses
      .filter((r) => r.id === "replayed-ack")
      .map((r) => String((r.body as { text?: unknown }).text));
    expect(answers.filter((text) => /acknowledged/i.test(text) && !/already/i.test(text))).toHaveLength(1);
  });

  it("takes one alert from a signed webhook delivered 100 times, and posts it once", async () => {
    const { t } = app;
    const alertsBefore = await t.firebreak.store.models.alerts.countDocuments();
    const body = JSON.stringify({
      title: "Disk full on db-1",
      severity: "high",
      service: "orders",
      fingerprint: "replayed-disk",
    });
    const request = {
      body,
      headers: {
        "content-type": "application/json",
        "x-firebreak-signature": signBody(WEBHOOK_SECRET, body),
      },
    };
    const statuses = await replay(app, "/webhooks/alerts/generic", request);
    expect(statuses).toEqual(Array(REPLAYS).fill(202));
    await deliverQueued(t, 120);
    expect(await t.firebreak.store.models.alerts.countDocuments()).toBe(alertsBefore + 1);
    const posted = (t.slack.state.messages.C0ALERTS ?? []).filter((m) =>
      m.text?.includes("Disk full on db-1"),
    );
    expect(posted).toHaveLength(1);
  });
});

describe("stale or forged signatures are refused and change nothing", () => {
  const declare = (text: string) =>
    ({
      command: "/incident",
      text,
      user: alice,
      channelId: GENERAL,
      responseUrl: app.t.slack.responseUrl(),
      triggerId: app.t.slack.newTriggerId(alice.id),
    }) as const;

  it("refuses a request signed more than five minutes ago, however it is sent", async () => {
    const { t } = app;
    const before = await countDocuments(t);
    const calls = t.slack.calls.length;
    for (const ageSeconds of [301, 600, 86_400]) {
      const command = await t.send.slashCommand(declare("declare sev1 Replayed from yesterday"), {
        ageSeconds,
      });
      const retried = await t.send.slashCommand(declare("declare sev1 Replayed from yesterday"), {
        ageSeconds,
        retry: { num: 1, reason: "http_timeout" },
      });
      const click = await t.send.interaction(
        blockActions({
          user: alice,
          actionId: INCIDENT_ACTIONS.resolve,
          value: app.incidentId,
          triggerId: t.slack.newTriggerId(alice.id),
          message: { channelId: app.incidentChannel, ts: "1.000001" },
          responseUrl: t.slack.responseUrl(),
        }),
        { ageSeconds },
      );
      expect([command.status, retried.status, click.status]).toEqual([401, 401, 401]);
    }
    await app.watched.idle();
    expect(await countDocuments(t)).toEqual(before);
    expect(t.slack.calls.slice(calls)).toEqual([]);
  });

  it("refuses a bad signature, and a captured signature on a changed body", async () => {
    const { t } = app;
    const before = await countDocuments(t);
    const calls = t.slack.calls.length;
    const tampered = await t.send.slashCommand(declare("declare sev1 Forged"), { tamper: true });
    const captured = signedOnce(
      new URLSearchParams({ command: "/incident", text: "help" }).toString(),
      "application/x-www-form-urlencoded",
    );
    const swapped = await fetch(`${t.url}${SLACK_EVENTS_PATH}`, {
      method: "POST",
      headers: captured.headers,
      body: new URLSearchParams({
        command: "/incident",
        text: "declare sev1 Forged",
        user_id: alice.id,
      }).toString(),
    });
    const unsigned = await fetch(`${t.url}${SLACK_EVENTS_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "command=/incident&text=declare sev1 Forged",
    });
    expect([tampered.status, swapped.status, unsigned.status]).toEqual([401, 401, 401]);
    await app.watched.idle();
    expect(await countDocuments(t)).toEqual(before);
    expect(t.slack.calls.slice(calls)).toEqual([]);
  });
});
