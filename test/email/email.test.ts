import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMAIL_MAX_ATTEMPTS, emailRetryDelayMs } from "../../src/domain/email.ts";
import { STATUS_MAX_AGE_MS } from "../../src/http/status-page.ts";
import { DECLARE_BLOCKS } from "../../src/slack/views/declare-modal.ts";
import { RESOLVE_BLOCKS } from "../../src/slack/views/resolve-modal.ts";
import { PUBLISH_UPDATE_VALUE, UPDATE_BLOCKS } from "../../src/slack/views/update-modal.ts";
import { eventually } from "../support/eventually.ts";
import { checked, IncidentDriver, option, text } from "../support/incident-driver.ts";
import { alice, eventsOf, INCIDENTS, waitForChannelOf, waitForIncident } from "../support/incident-e2e.ts";
import { startTestSmtp, type TestSmtp } from "../support/smtp.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

/** Words only responders may see: they must never reach an e-mail. */
const INTERNAL = ["db-7", "hunter2", "INTERNAL-ONLY"];
const bob = { id: "U0BOB", name: "bob" };
/** EMAIL_EDITORS: Alice is in it, Bob is not. */
const EDITORS = "S0STATUS";

describe("stakeholder e-mail for public incidents, through a real SMTP server, with two app instances", () => {
  let smtp: TestSmtp;
  let a: TestApp;
  let b: TestApp;
  let drive: IncidentDriver;
  beforeAll(async () => {
    smtp = await startTestSmtp();
    const env = {
      INCIDENTS_CHANNEL: INCIDENTS,
      SMTP_URL: smtp.url,
      EMAIL_FROM: "Acme status <status@example.com>",
      EMAIL_SUBSCRIBERS: "cto@example.com",
      STATUS_PAGE_URL: "https://status.example.com/status",
      EMAIL_EDITORS: EDITORS,
    };
    a = await startTestApp({ env });
    b = await startTestApp({ env, clock: a.clock, slack: a.slack, dbName: a.dbName });
    // The tests run the passes themselves, on both instances at once.
    await Promise.all([a.firebreak.poller.stop(), b.firebreak.poller.stop()]);
    drive = new IncidentDriver(a);
    a.slack.addUser(alice);
    a.slack.addUser(bob);
    a.slack.addUserGroup({ id: EDITORS, handle: "status-editors", users: [alice.id] });
    a.slack.addChannel({ id: INCIDENTS, name: "incidents", members: [a.slack.state.bot.user_id] });
  });
  afterAll(async () => {
    await b.stop({ keepData: true });
    await a.stop();
    await smtp.close();
  });

  const tickBoth = () => Promise.all([a.firebreak.poller.tick(), b.firebreak.poller.tick()]);
  const outbox = () => a.firebreak.store.models.emailOutbox.find().lean();
  const subjectsTo = (address: string) =>
    smtp.received.filter((mail) => mail.to.includes(address)).map((mail) => mail.subject);

  async function declare(severity: string, title: string, services: string) {
    const { triggerId, responseId } = await drive.incident(alice, "declare");
    const modal = await drive.modalOpenedBy(triggerId);
    await drive.submit(alice, modal, {
      [DECLARE_BLOCKS.title]: { [DECLARE_BLOCKS.title]: text(title) },
      [DECLARE_BLOCKS.severity]: { [DECLARE_BLOCKS.severity]: option(severity) },
      [DECLARE_BLOCKS.description]: { [DECLARE_BLOCKS.description]: text("hunter2 leaked in the logs") },
      [DECLARE_BLOCKS.services]: { [DECLARE_BLOCKS.services]: text(services) },
    });
    await drive.answer(responseId, /declared/);
  }

  async function update(number: number, message: string, publicText: string) {
    const channelId = await waitForChannelOf(a, number);
    const { triggerId } = await drive.incident(alice, "update", channelId);
    const modal = await drive.modalOpenedBy(triggerId);
    const response = await drive.submit(alice, modal, {
      [UPDATE_BLOCKS.status]: { [UPDATE_BLOCKS.status]: option("identified") },
      [UPDATE_BLOCKS.message]: { [UPDATE_BLOCKS.message]: text(message) },
      [UPDATE_BLOCKS.publish]: { [UPDATE_BLOCKS.publish]: checked(PUBLISH_UPDATE_VALUE) },
      [UPDATE_BLOCKS.publicText]: { [UPDATE_BLOCKS.publicText]: text(publicText) },
    });
    expect(response.status).toBe(200);
  }

  async function resolve(number: number) {
    const channelId = await waitForChannelOf(a, number);
    const { triggerId } = await drive.incident(alice, "resolve", channelId);
    const modal = await drive.modalOpenedBy(triggerId);
    await drive.submit(alice, modal, {
      [RESOLVE_BLOCKS.resolution]: { [RESOLVE_BLOCKS.resolution]: text("Failed db-7 over to db-8") },
      [RESOLVE_BLOCKS.rootCause]: { [RESOLVE_BLOCKS.rootCause]: text("hunter2 expired") },
    });
  }

  /** Waits until the outbox holds `count` e-mails not yet sent (queueing follows Slack's ack). */
  const queued = (count: number, what: string) =>
    eventually(async () => ((await outbox()).length === count ? true : undefined), what);

  async function subscribers(args: string, expected: RegExp, by = alice) {
    const { responseId } = await drive.incident(by, `subscribers ${args}`);
    return (await drive.answer(responseId, expected)).text;
  }

  it("subscribes addresses per service from Slack, with clear answers to mistakes", async () => {
    await subscribers("add <mailto:Ops@Example.com|Ops@Example.com> checkout", /will get an e-mail/);
    await subscribers("add ops@example.com checkout", /already subscribed to \*checkout\*/);
    await subscribers("add search-team@example.com search", /will get an e-mail/);
    await subscribers("add old@example.com search", /will get an e-mail/);
    await subscribers("remove old@example.com search", /no longer get e-mails about \*search\*/);
    await subscribers("add not-an-address checkout", /`not-an-address` is not an e-mail address/);
    await subscribers("add ops@example.com", /Which services should ops@example.com hear about/);
    await subscribers("frobnicate", /I don't understand/);
    const list = await subscribers("list", /E-mail subscribers/);
    expect(list).toContain("Every service: cto@example.com");
    expect(list).toContain("*checkout*: ops@example.com");
    expect(list).toContain("*search*: search-team@example.com");
    expect(list).not.toContain("old@example.com");
  });

  it("declare, a public update and the resolve of a SEV1 e-mail each subscriber three times, once each", async () => {
    await declare("sev1", "db-7 failover breaks checkout <b>", "checkout");
    await waitForIncident(a, 1);
    await queued(2, "the [INCIDENT] e-mails queued");
    await tickBoth();
    a.clock.advance(10 * 60_000);
    await update(1, "Rotated the db-7 password", "We found the cause & are fixing it.");
    await queued(2, "the [UPDATE] e-mails queued");
    await tickBoth();
    a.clock.advance(10 * 60_000);
    await resolve(1);
    await queued(2, "the [RESOLVED] e-mails queued");
    await tickBoth();
    await tickBoth();

    for (const address of ["ops@example.com", "cto@example.com"]) {
      const subjects = subjectsTo(address);
      expect(subjects).toHaveLength(3);
      expect(subjects[0]).toMatch(/^\[INCIDENT\] SEV1/);
      expect(subjects[1]).toMatch(/^\[UPDATE\] SEV1/);
      expect(subjects[2]).toMatch(/^\[RESOLVED\] SEV1/);
    }
    expect(subjectsTo("search-team@example.com")).toEqual([]);
    expect(smtp.received.every((mail) => mail.from === "status@example.com")).toBe(true);
    const updateMail = smtp.received.find((mail) => mail.subject.startsWith("[UPDATE]"))?.raw ?? "";
    expect(updateMail).toContain("We found the cause &amp; are fixing it.");
    expect(updateMail).toContain("Content-Type: text/plain");
    expect(updateMail).toContain("Content-Type: text/html");
    for (const mail of smtp.received) for (const word of INTERNAL) expect(mail.raw).not.toContain(word);
    expect(await outbox()).toEqual([]);
  });

  it("sends nothing for an internal-only update", async () => {
    await declare("sev1", "search is slow", "search");
    await waitForIncident(a, 2);
    await queued(2, "INC-2's [INCIDENT] e-mails queued");
    await tickBoth();
    const before = smtp.received.length;
    await update(2, "INTERNAL-ONLY: still watching", "");
    const incident = await waitForIncident(a, 2);
    await eventually(
      async () =>
        JSON.stringify(await eventsOf(a, incident.id)).includes("still watching") ? true : undefined,
      "the internal update posted",
    );
    await tickBoth();
    expect(await outbox()).toEqual([]);
    expect(smtp.received.length).toBe(before);
  });

  // An internal update queueing late would also show here: the outbox would hold more than these two.
  it("an SMTP outage delays the e-mails; they arrive once when it is back", async () => {
    smtp.rejecting = true;
    const before = smtp.received.length;
    await update(2, "Reindexing", "We are rebuilding the search index.");
    await queued(2, "INC-2's [UPDATE] e-mails queued");
    await tickBoth();
    expect((await outbox()).map((e) => e.attempts)).toEqual([1, 1]);
    a.clock.advance(60_000);
    await tickBoth();
    expect((await outbox()).map((e) => e.attempts)).toEqual([2, 2]);
    expect(smtp.received.length).toBe(before);

    smtp.rejecting = false;
    await tickBoth();
    expect(smtp.received.length).toBe(before);
    a.clock.advance(2 * 60_000);
    await tickBoth();
    await tickBoth();
    const arrived = smtp.received.slice(before);
    expect(arrived.map((mail) => mail.to[0]).sort()).toEqual(["cto@example.com", "search-team@example.com"]);
    expect(arrived.every((mail) => mail.subject.startsWith("[UPDATE] SEV1"))).toBe(true);
    expect(await outbox()).toEqual([]);
  });

  it("after the last retry gives up, noting it on the timeline with a reference and no SMTP detail", async () => {
    smtp.rejecting = true;
    const before = smtp.received.length;
    await update(2, "Still reindexing", "The index is half rebuilt.");
    await queued(2, "INC-2's second [UPDATE] e-mails queued");
    for (let attempt = 1; attempt <= EMAIL_MAX_ATTEMPTS; attempt++) {
      await tickBoth();
      a.clock.advance(emailRetryDelayMs(attempt));
    }
    expect(await outbox()).toEqual([]);
    smtp.rejecting = false;
    await tickBoth();
    expect(smtp.received.length).toBe(before);

    const incident = await waitForIncident(a, 2);
    const failures = (await eventsOf(a, incident.id)).filter((e) => e.type === "email_failed");
    expect(failures.map((e) => (e.payload as { to: string }).to).sort()).toEqual([
      "cto@example.com",
      "search-team@example.com",
    ]);
    const channelId = await waitForChannelOf(a, 2);
    await drive.incident(alice, "timeline", channelId);
    const shown = await eventually(() => {
      const posts = a.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === channelId);
      const text = posts.map((c) => JSON.stringify(c.args)).find((p) => p.includes("Could not e-mail"));
      return text;
    }, "the timeline posted in the channel");
    expect(shown).toContain("Could not e-mail cto@example.com");
    expect(shown).not.toContain("mailbox busy");
    const ref = (failures[0]?.payload as { ref?: string } | undefined)?.ref ?? "";
    expect(ref).toMatch(/^[A-Z2-9]{6}$/);
    expect(shown).toContain(`reference ${ref}`);
    const logged = [...a.logs, ...b.logs].find((line) => line.ref === ref);
    expect(JSON.stringify(logged)).toContain("mailbox busy");
  });

  it("every e-mail has a one-click unsubscribe link that only works as sent", async () => {
    const mail = smtp.received.find((m) => m.to.includes("search-team@example.com"));
    const unfolded = (mail?.raw ?? "").replace(/\r\n[ \t]+/g, " ");
    const link = /^List-Unsubscribe: <([^>]+)>/m.exec(unfolded)?.[1] ?? "";
    expect(link).toMatch(/^https:\/\/status\.example\.com\/status\/unsubscribe\?token=/);
    expect(unfolded).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    const local = link.replace("https://status.example.com", a.url);

    const forged = await fetch(
      local.replace(/token=[^.]+/, `token=${Buffer.from("cto@example.com").toString("base64url")}`),
      {
        method: "POST",
      },
    );
    expect(forged.status).toBe(400);
    const asked = await fetch(local);
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain("Unsubscribe search-team@example.com?");
    const done = await fetch(local, { method: "POST", body: "List-Unsubscribe=One-Click" });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("search-team@example.com will no longer get e-mails");

    const before = smtp.received.length;
    await update(2, "Index rebuilt", "Search is back to normal speed.");
    await queued(1, "INC-2's third [UPDATE] e-mail queued, to cto only");
    await tickBoth();
    expect(smtp.received.slice(before).map((m) => m.to)).toEqual([["cto@example.com"]]);
  });

  it("readers subscribe on the status page with double opt-in, then get every public incident", async () => {
    a.clock.advance(STATUS_MAX_AGE_MS);
    expect(await (await fetch(`${a.url}/status`)).text()).toContain('action="/status/subscribe"');
    const form = (email: string) =>
      fetch(`${a.url}/status/subscribe`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email }).toString(),
      });
    expect((await form("not-an-address")).status).toBe(400);
    const before = smtp.received.length;
    expect((await form("Reader@example.com")).status).toBe(202);
    expect((await form("reader@example.com")).status).toBe(202);
    await tickBoth();
    const confirmations = smtp.received.slice(before);
    expect(confirmations.map((m) => [m.to, m.subject])).toEqual([
      [["reader@example.com"], "Confirm your e-mail subscription to Service status"],
    ]);
    // The text part is quoted-printable: long lines are cut with "=" and "=" itself is "=3D".
    const decoded = (confirmations[0]?.raw ?? "").replace(/=\r\n/g, "").replaceAll("=3D", "=");
    const link =
      /https:\/\/status\.example\.com\/status\/subscribe\/confirm\?token=[\w.-]+/.exec(decoded)?.[0] ?? "";
    expect(link).not.toBe("");
    const local = link.replace("https://status.example.com", a.url);
    expect(await (await fetch(local)).text()).toContain("Get e-mail about incidents at reader@example.com?");
    const unconfirmed = await fetch(local.replace(/\.[\w-]+$/, ".AAAAAAAAAAAAAAAAAAAAAA"), {
      method: "POST",
    });
    expect(unconfirmed.status).toBe(400);
    const confirmed = await fetch(local, { method: "POST" });
    expect(await confirmed.text()).toContain("reader@example.com will get an e-mail about each incident");

    const list = await subscribers("list", /E-mail subscribers/);
    expect(list).toContain("Every service (from the status page): reader@example.com");
    const sent = smtp.received.length;
    await update(2, "All good", "Search has been stable for an hour.");
    await queued(2, "INC-2's fourth [UPDATE] e-mails queued");
    await tickBoth();
    expect(
      smtp.received
        .slice(sent)
        .map((m) => m.to[0])
        .sort(),
    ).toEqual(["cto@example.com", "reader@example.com"]);
  });

  it("a SEV3 first published by an update opens with an [INCIDENT] e-mail, then [UPDATE]s; a late subscriber's first is [INCIDENT] too", async () => {
    await declare("sev3", "INTERNAL-ONLY payments retries", "payments");
    await waitForIncident(a, 3);
    await tickBoth();
    expect(await outbox()).toEqual([]);
    const before = smtp.received.length;
    await update(3, "INTERNAL-ONLY: db-7 queue backlog", "Some payments may take longer.");
    await queued(2, "INC-3's first e-mails queued");
    await tickBoth();
    await subscribers("add late@example.com payments", /will get an e-mail/);
    a.clock.advance(10 * 60_000);
    await update(3, "Backlog half done", "Payments are catching up.");
    await queued(3, "INC-3's [UPDATE] e-mails queued");
    await tickBoth();
    const arrived = smtp.received.slice(before);
    expect(
      arrived.filter((mail) => mail.to.includes("late@example.com")).map((mail) => mail.subject),
    ).toEqual([expect.stringMatching(/^\[INCIDENT\] SEV3/)]);
    for (const address of ["cto@example.com", "reader@example.com"]) {
      const subjects = arrived.filter((mail) => mail.to.includes(address)).map((mail) => mail.subject);
      expect(subjects).toHaveLength(2);
      expect(subjects[0]).toMatch(/^\[INCIDENT\] SEV3/);
      expect(subjects[1]).toMatch(/^\[UPDATE\] SEV3/);
    }
    const opening = arrived.find((mail) => mail.subject.startsWith("[INCIDENT]"))?.raw ?? "";
    expect(opening).toContain("Some payments may take longer.");
    for (const mail of arrived) for (const word of INTERNAL) expect(mail.raw).not.toContain(word);
  });

  it("only an open incident's commander and EMAIL_EDITORS change the lists; anyone may list them", async () => {
    const refused = await subscribers("add bob@example.com payments", /Only the commander/, bob);
    expect(refused).toContain(`members of <!subteam^${EDITORS}>`);
    expect(refused).toContain("Nothing was changed");
    await subscribers("remove ops@example.com checkout", /Only the commander/, bob);
    const list = await subscribers("list", /E-mail subscribers/, bob);
    expect(list).not.toContain("bob@example.com");
    expect(list).toContain("*checkout*: ops@example.com");

    const channelId = await waitForChannelOf(a, 3);
    await drive.incident(alice, `role commander <@${bob.id}|bob>`, channelId);
    await eventually(
      async () => ((await waitForIncident(a, 3)).roles.commander === bob.id ? true : undefined),
      "Bob commands INC-3",
    );
    await subscribers("add bob@example.com payments", /will get an e-mail/, bob);
    expect(await subscribers("list", /E-mail subscribers/, bob)).toMatch(/\*payments\*: .*bob@example.com/);
  });
});
