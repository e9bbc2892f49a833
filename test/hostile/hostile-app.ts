import { afterAll, beforeAll, expect } from "vitest";
import { deliverQueued } from "../support/deliver.ts";
import { IncidentDriver } from "../support/incident-driver.ts";
import { waitForChannelOf } from "../support/incident-e2e.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";
import {
  allStrings,
  countDocuments,
  internalTextIn,
  mrkdwnStrings,
  UNESCAPED_MARKUP,
  type Watched,
  watchListeners,
} from "./hostile-support.ts";

export const alice = { id: "U0ALICE", name: "alice" };
/** Someone in the workspace who is in no incident and approves nothing. */
export const mallory = { id: "U0MALLORY", name: "mallory" };
export const INCIDENTS = "C0INCIDENTS";
export const GENERAL = "C0GENERAL";
export const WEBHOOK_SECRET = "hostile-webhook-secret-0123456789";

export interface HostileApp {
  t: TestApp;
  watched: Watched;
  drive: IncidentDriver;
  /** INC-1, declared by alice, and its channel. */
  incidentId: string;
  incidentChannel: string;
}

/** An app with one open incident (INC-1, alice's), alerts on, and its listeners watched. */
/** Batches of this many concurrent inputs, as a busy workspace would send them. */
export const BATCH = 40;
/** 25 batches of 40: 1,000 inputs per entry point. */
export const RUNS = 25;

/** One hostile app for a test file: started before its tests, stopped after them. */
export function useHostileApp(): HostileApp {
  const app = {} as HostileApp;
  beforeAll(async () => {
    Object.assign(app, await startHostileApp());
  });
  afterAll(async () => {
    app.watched.stop();
    await app.t.stop();
  });
  return app;
}

export async function startHostileApp(env: Record<string, string> = {}): Promise<HostileApp> {
  const t = await startTestApp({
    env: {
      INCIDENTS_CHANNEL: INCIDENTS,
      ALERTS_CHANNEL: "C0ALERTS",
      ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      ...env,
    },
  });
  for (const person of [alice, mallory]) t.slack.addUser(person);
  for (const id of [INCIDENTS, "C0ALERTS"])
    t.slack.addChannel({ id, name: id.toLowerCase(), members: [t.slack.state.bot.user_id] });
  t.slack.addChannel({ id: GENERAL, name: "general", members: [alice.id, mallory.id] });
  const drive = new IncidentDriver(t);
  const { responseId } = await drive.incident(alice, "declare sev2 Checkout is failing", GENERAL);
  await drive.answer(responseId, /declared/);
  const incidentChannel = await waitForChannelOf(t, 1);
  const incident = await t.firebreak.store.models.incidents.findOne({}).lean();
  // The declaration's own work (the first page, Home refreshes) is done before any hostile input arrives, so
  // whatever the database holds afterwards is what the inputs did.
  await deliverQueued(t, 60);
  const watched = watchListeners(t);
  return { t, watched, drive, incidentId: String(incident?._id), incidentChannel };
}

/** Where a batch of requests starts reading the app's output from. */
export interface Mark {
  calls: number;
  responses: number;
  logs: number;
  failures: number;
}

export const mark = ({ t, watched }: HostileApp): Mark => ({
  calls: t.slack.calls.length,
  responses: t.slack.responses.length,
  logs: t.logs.length,
  failures: watched.failures.length,
});

/**
 * What the app did since `from`, checked against the rules for every input: no listener failure, no error
 * logged, no internal text in anything sent to Slack or answered over HTTP, and no broadcast ping or link
 * markup reaching Slack unescaped. `httpBodies` are the bodies the app answered in the batch.
 */
export async function expectCleanOutput(
  app: HostileApp,
  from: Mark,
  httpBodies: readonly string[],
): Promise<void> {
  const { t, watched } = app;
  await watched.idle();
  expect(
    watched.failures.slice(from.failures).map(String),
    "listeners threw, or a rejection went unhandled",
  ).toEqual([]);
  const errors = t.logs.slice(from.logs).filter((line) => Number(line.level) >= 50);
  expect(
    errors.map((line) => line.msg),
    "errors were logged",
  ).toEqual([]);
  const calls = t.slack.calls.slice(from.calls);
  const answers = t.slack.responses.slice(from.responses).map((r) => r.body);
  const shown = [...calls.map((c) => c.args), ...answers];
  for (const text of [...allStrings(shown), ...httpBodies]) {
    const leak = internalTextIn(text);
    expect(leak, `internal text (${leak}) in ${JSON.stringify(text.slice(0, 400))}`).toBeUndefined();
  }
  const rendered = [...calls.map((c) => c.args), ...answers, ...httpBodies.map(parsedJson)];
  for (const text of mrkdwnStrings(rendered)) {
    const ping = UNESCAPED_MARKUP.find((pattern) => pattern.test(text));
    expect(ping, `unescaped markup ${ping} in ${JSON.stringify(text.slice(0, 400))}`).toBeUndefined();
  }
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function expectNothingWritten(app: HostileApp, before: Record<string, number>): Promise<void> {
  await app.watched.idle();
  expect(await countDocuments(app.t)).toEqual(before);
}
