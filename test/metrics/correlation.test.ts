import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_SECRET } from "../support/alert-driver.ts";
import { IncidentDriver } from "../support/incident-driver.ts";
import { alice, INCIDENTS, logLineOfReference } from "../support/incident-e2e.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

type LogLine = Record<string, unknown>;

describe("correlation ids: every log line about a request or a due job names it", () => {
  let t: TestApp;
  let drive: IncidentDriver;
  beforeAll(async () => {
    t = await startTestApp({ env: { INCIDENTS_CHANNEL: INCIDENTS, ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET } });
    drive = new IncidentDriver(t);
    t.slack.addUser(alice);
    t.slack.addChannel({ id: INCIDENTS, name: "incidents", members: [t.slack.state.bot.user_id] });
  });
  afterAll(() => t.stop({ keepData: true }));

  const linesOf = (correlationId: unknown): LogLine[] =>
    t.logs.filter((line) => line.correlationId === correlationId);

  it("a reference shown with a failure finds the line with the detail, which names the request", async () => {
    t.slack.failNext("conversations.invite", { error: "user_not_found" });
    const { responseId } = await drive.incident(alice, "declare sev2 Checkout is failing");
    const answer = await drive.answer(responseId, /declared/);
    const problem = answer.text.split("\n")[1];
    const logged = logLineOfReference(t, problem);
    expect(logged).toMatchObject({ error: "user_not_found", msg: "a declaration step failed" });
    const request = logged?.correlationId;
    expect(request).toMatch(/^[A-Z2-9]{6}$/);

    // Another request runs under an id of its own.
    t.slack.failNext("conversations.invite", { error: "channel_not_found" });
    const second = await drive.incident(alice, "declare sev3 Search is slow");
    const secondLine = logLineOfReference(t, (await drive.answer(second.responseId, /declared/)).text);
    expect(secondLine?.correlationId).toMatch(/^[A-Z2-9]{6}$/);
    expect(secondLine?.correlationId).not.toBe(request);
    expect(linesOf(request)).not.toContainEqual(expect.objectContaining({ error: "channel_not_found" }));
  });

  it("a due job's run logs under an id of its own", async () => {
    await t.firebreak.poller.tick();
    const done = t.logs.filter((line) => line.msg === "due work done");
    expect(done.length).toBeGreaterThan(0);
    for (const line of done) expect(line.correlationId).toMatch(/^[A-Z2-9]{6}$/);
    // One id per job's run: no two runs share one.
    const ids = done.map((line) => line.correlationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("a webhook request's lines carry its id", async () => {
    const refused = await fetch(`${t.url}/webhooks/alerts/generic`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${WEBHOOK_SECRET}` },
      body: "{}",
    });
    expect(refused.status).toBe(400);
    const line = t.logs.findLast((l) => l.msg === "alert webhook refused");
    expect(line?.correlationId).toMatch(/^[A-Z2-9]{6}$/);
  });

  // Last: it takes the database away from the app.
  it("when the database fails: the reference a person is shown is the request's id, on the line with the error", async () => {
    await t.firebreak.store.connection.destroy();

    const { responseId } = await drive.incident(alice, "list");
    const answer = await drive.answer(responseId);
    const ref = /reference: ([A-Z2-9]{6})\.$/.exec(answer.text)?.[1];
    const failed = linesOf(ref).find((line) => line.msg === "a Slack listener failed");
    expect(failed).toMatchObject({
      level: 50,
      ref,
      err: expect.objectContaining({ message: expect.any(String) }),
    });
    expect(answer.text).not.toContain((failed?.err as { message?: string } | undefined)?.message ?? "-");

    // A webhook sender is told to retry, with the reference of the line holding the detail.
    const webhook = await fetch(`${t.url}/webhooks/alerts/generic`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${WEBHOOK_SECRET}` },
      body: JSON.stringify({ title: "Disk full", severity: "high", service: "db", fingerprint: "disk" }),
    });
    expect(webhook.status).toBe(503);
    const body = (await webhook.json()) as { error: string; ref: string };
    expect(body.ref).toMatch(/^[A-Z2-9]{6}$/);
    expect(linesOf(body.ref)).toContainEqual(
      expect.objectContaining({ msg: "could not take alerts", err: expect.any(Object) }),
    );
    expect(JSON.stringify(body)).not.toMatch(/mongo|connection|destroy/i);
  });
});
