import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INCIDENT_SUBCOMMANDS } from "../src/domain/incident-commands.ts";
import { INCIDENT_ACTIONS } from "../src/slack/ids.ts";
import { getIncidentByNumber } from "../src/store/incidents.ts";
import { type AppProcess, PROCESS_TEST_TIMEOUT_MS, runFirebreak, waitForLog } from "./support/app-process.ts";
import { useTestDatabase, withDatabaseName } from "./support/database.ts";
import { eventually } from "./support/eventually.ts";
import { type FakeSlack, startFakeSlack } from "./support/fake-slack/server.ts";
import { TEAM } from "./support/slack-driver.ts";
import { blockActions } from "./support/slack-payloads.ts";

const alice = { id: "U0ALICE", name: "alice" };
const INCIDENTS = "C0INCIDENTS";
const GENERAL = "C0GENERAL";

// The README's two-command start: `npm start` with SLACK_APP_TOKEN, so Slack reaches the bot over Socket
// Mode's WebSocket and only health and webhooks listen on HEALTH_PORT. The real entry point runs as its own
// process against the fake Slack (Web API and Socket Mode gateway) and the run's database.
describe("npm start in Socket Mode", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  const db = useTestDatabase();
  let slack: FakeSlack;
  let app: AppProcess | undefined;
  let healthUrl: string;
  let sequence = 0;

  beforeAll(async () => {
    slack = await startFakeSlack({ workspace: { id: TEAM.id, domain: TEAM.domain } });
    slack.addUser(alice);
    slack.addChannel({ id: INCIDENTS, name: "incidents", members: [slack.state.bot.user_id] });
    slack.addChannel({ id: GENERAL, name: "general", members: [alice.id] });
    app = runFirebreak({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_APP_TOKEN: slack.appToken,
      SLACK_API_URL: slack.apiUrl,
      MONGODB_URI: withDatabaseName(db.uri, db.dbName),
      HEALTH_PORT: "0",
      INCIDENTS_CHANNEL: INCIDENTS,
    });
    const exitedEarly = app.exited.then(({ code, stderr }) => {
      throw new Error(`Firebreak exited (${code}) before it connected:\n${stderr}`);
    });
    const connected = waitForLog(app.output, /Firebreak is listening/, 50_000);
    const listening = JSON.parse(await Promise.race([connected, exitedEarly]));
    expect(listening).toMatchObject({ mode: "socket" });
    healthUrl = `http://127.0.0.1:${listening.port}`;
  });

  afterAll(async () => {
    if (app && app.child.exitCode === null && app.child.signalCode === null) {
      app.child.kill("SIGTERM");
      const stopped = await Promise.race([
        app.exited.then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), 10_000)),
      ]);
      if (!stopped) app.child.kill("SIGKILL");
    }
    await slack?.close();
  }, 15_000);

  const incident = (text: string) =>
    slack.socketMode.slashCommand({
      command: "/incident",
      text,
      user: alice,
      channelId: GENERAL,
      responseUrl: slack.responseUrl(`cmd-${++sequence}`),
      triggerId: slack.newTriggerId(alice.id),
    });

  const answersOn = (responseId: string) =>
    slack.responses.filter((r) => r.id === responseId).map((r) => String((r.body as { text?: string }).text));

  it("connects with the app-level token and is ready on HEALTH_PORT", async () => {
    expect(slack.callsTo("apps.connections.open").map((c) => c.ok)).toEqual([true]);
    expect(slack.socketMode.connections).toBe(1);
    expect(slack.socketMode.open).toBe(1);
    const ready = await fetch(`${healthUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", checks: { database: true, slack: true } });
    // Slack's requests come over the socket: there is no HTTP receiver to post them to.
    expect((await fetch(`${healthUrl}/slack/events`, { method: "POST", body: "{}" })).status).toBe(404);
  });

  it("acks /incident help over the socket with the help text", async () => {
    const ack = await incident("help");
    expect(ack).toMatchObject({ response_type: "ephemeral" });
    for (const sub of INCIDENT_SUBCOMMANDS) expect(String(ack.text)).toContain(`/incident ${sub.usage}`);
  });

  it("declares an incident over the socket and handles a click on its kickoff's Acknowledge", async () => {
    const declareAck = await incident("declare sev2 Checkout is failing");
    expect(declareAck).toEqual({ response_type: "ephemeral", text: "Declaring the incident…" });
    const declared = await eventually(
      () =>
        getIncidentByNumber(db.store().models, TEAM.id, 1).then((found) =>
          found?.channelId ? found : undefined,
        ),
      "INC-1 and its channel",
    );
    const channelId = declared.channelId ?? "";
    const kickoff = await eventually(
      () =>
        (slack.state.messages[channelId] ?? []).find((m) =>
          JSON.stringify(m.blocks ?? []).includes(`"${INCIDENT_ACTIONS.acknowledge}"`),
        ),
      "the kickoff with its Acknowledge button",
    );

    const clickAck = await slack.socketMode.interactive(
      blockActions({
        user: alice,
        actionId: INCIDENT_ACTIONS.acknowledge,
        blockId: "incident_kickoff_actions",
        value: declared.id,
        message: { channelId, ts: kickoff.ts },
        triggerId: slack.newTriggerId(alice.id),
        responseUrl: slack.responseUrl("click"),
      }),
    );
    expect(clickAck).toEqual({});
    const acknowledged = await eventually(async () => {
      const found = await getIncidentByNumber(db.store().models, TEAM.id, 1);
      return found?.acknowledgedBy ? found : undefined;
    }, "the acknowledgement in the database");
    expect(acknowledged.acknowledgedBy).toBe(alice.id);
    await eventually(
      () => (answersOn("click").includes("You acknowledged INC-1.") ? true : undefined),
      "the answer to the click",
    );
    expect(slack.socketMode.strayMessages).toEqual([]);
  });

  it("publishes the Home tab for an app_home_opened event from the socket", async () => {
    const acked = await slack.socketMode.event({ type: "app_home_opened", user: alice.id, tab: "home" });
    expect(acked).toEqual({});
    const published = await eventually(
      () => slack.callsTo("views.publish").find((c) => c.ok && c.args.user_id === alice.id),
      "alice's Home tab",
    );
    expect(JSON.stringify(published.args.view)).toContain("INC-1");
  });

  it("reconnects through apps.connections.open after the connection drops, and answers again", async () => {
    slack.socketMode.drop();
    // The Socket Mode client waits its reconnect delay (5 s by default) before it opens a new connection.
    await slack.socketMode.waitForConnections(2);
    expect(slack.callsTo("apps.connections.open").map((c) => c.ok)).toEqual([true, true]);
    const ack = await incident("help");
    expect(String(ack.text)).toMatch(/^Here is what `\/incident` can do:/);
    expect(slack.socketMode.open).toBe(1);
  });

  it("closes the socket and exits 0 on SIGTERM", async () => {
    const running = app ?? expect.fail("the app never started");
    running.child.kill("SIGTERM");
    const { code, stdout } = await running.exited;
    expect(code).toBe(0);
    expect(stdout).toMatch(/stopped cleanly/);
    expect(slack.socketMode.open).toBe(0);
    // Secrets never reach the logs.
    expect(stdout).not.toContain(slack.appToken);
    expect(stdout).not.toContain(slack.botToken);
  });
});
