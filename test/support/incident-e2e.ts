/**
 * Small read-backs shared by the end-to-end incident tests: what the database holds and what
 * the fake Slack was asked to show. Each test file still boots its own app, with `startTestApp()` or, for
 * the common setup, `startIncidentApp()`.
 */
import { expect } from "vitest";
import type { Incident } from "../../src/domain/incident.ts";
import type { TimelineEvent } from "../../src/domain/timeline.ts";
import { getIncidentByNumber } from "../../src/store/incidents.ts";
import { listEvents } from "../../src/store/timeline.ts";
import { eventually } from "./eventually.ts";
import type { Message } from "./fake-slack/state.ts";
import { IncidentDriver } from "./incident-driver.ts";
import { TEAM } from "./slack-driver.ts";
import { startTestApp, type TestApp } from "./test-app.ts";

export const alice = { id: "U0ALICE", name: "alice" };
/** The channel `startIncidentApp()` announces incidents in. */
export const INCIDENTS = "C0INCIDENTS";

/** Boots an app that announces incidents in INCIDENTS (the bot is in it), with Alice in the workspace. */
export async function startIncidentApp(): Promise<{ t: TestApp; drive: IncidentDriver }> {
  const t = await startTestApp({ env: { INCIDENTS_CHANNEL: INCIDENTS } });
  const drive = new IncidentDriver(t);
  t.slack.addUser(alice);
  t.slack.addChannel({ id: INCIDENTS, name: "incidents", members: [t.slack.state.bot.user_id] });
  return { t, drive };
}

export const incidentNumbered = (t: TestApp, number: number): Promise<Incident | undefined> =>
  getIncidentByNumber(t.firebreak.store.models, TEAM.id, number);

/** INC-<number>, once it exists. */
export const waitForIncident = (t: TestApp, number: number): Promise<Incident> =>
  eventually(() => incidentNumbered(t, number), `INC-${number} in the database`);

/** INC-<number>'s channel id, once it has one. */
export const waitForChannelOf = async (t: TestApp, number: number): Promise<string> =>
  eventually(async () => (await incidentNumbered(t, number))?.channelId, `the channel of INC-${number}`);

export const countIncidents = (t: TestApp): Promise<number> =>
  t.firebreak.store.models.incidents.countDocuments({}).exec();

export async function eventsOf(t: TestApp, incidentId: string): Promise<TimelineEvent[]> {
  return (await listEvents(t.firebreak.store.models, incidentId)).events;
}

export const typesOf = (events: readonly TimelineEvent[]): string[] => events.map((e) => e.type);

/** The bot's messages in a channel that carry the kickoff's buttons. */
export function kickoffsIn(t: TestApp, channelId: string): Message[] {
  return (t.slack.state.messages[channelId] ?? []).filter(
    (m) =>
      m.user === t.slack.state.bot.user_id &&
      JSON.stringify(m.blocks ?? []).includes('"incident_kickoff_actions"'),
  );
}

/** The one kickoff message of a channel. */
export function kickoffIn(t: TestApp, channelId: string): Message {
  const [kickoff, ...more] = kickoffsIn(t, channelId);
  expect(more).toHaveLength(0);
  return kickoff ?? expect.fail(`no kickoff message in ${channelId}`);
}

/** Every body posted to the response_url with this id, oldest first. */
export function answersOn(t: TestApp, responseId: string): Record<string, unknown>[] {
  return t.slack.responses.filter((r) => r.id === responseId).map((r) => r.body as Record<string, unknown>);
}

/** The action ids and values of the buttons in some blocks (accessories and actions blocks). */
export function buttonsIn(blocks: unknown): { actionId: string; text: string; value: string }[] {
  const found: { actionId: string; text: string; value: string }[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const record = node as Record<string, unknown>;
    if (record.type === "button") {
      found.push({
        actionId: String(record.action_id),
        text: String((record.text as { text?: unknown } | undefined)?.text ?? ""),
        value: String(record.value ?? ""),
      });
      return;
    }
    for (const child of Object.values(record)) visit(child);
  };
  visit(blocks);
  return found;
}

/** The log line holding the detail behind the reference (`ref 7KQ2M9`) a person was shown. */
export function logLineOfReference(
  t: TestApp,
  shown: string | undefined,
): Record<string, unknown> | undefined {
  const ref = /\b([A-Z2-9]{6})\)?\.?$/.exec(shown ?? "")?.[1];
  expect(ref, `no reference in "${shown}"`).toBeDefined();
  return t.logs.find((line) => line.ref === ref);
}
