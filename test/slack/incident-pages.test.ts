import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEVERITIES } from "../../src/domain/incident.ts";
import { createIncident } from "../../src/store/incidents.ts";
import { appendEvent, countEvents } from "../../src/store/timeline.ts";
import { eventually } from "../support/eventually.ts";
import { assertValidSurface } from "../support/fake-slack/block-kit.ts";
import { IncidentDriver } from "../support/incident-driver.ts";
import { waitForChannelOf, waitForIncident } from "../support/incident-e2e.ts";
import { TEAM } from "../support/slack-driver.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const alice = { id: "U0ALICE", name: "alice" };
const GENERAL = "C0GENERAL";
const NOTES = 500;
const OPEN_INCIDENTS = 200;

/** Titles at the 150-character limit that grow four-fold when escaped. */
const longTitle = (n: number) => `#${String(n).padStart(3, "0")} ${"<&> ".repeat(40)}`.slice(0, 150);
const noteNumber = (n: number) => `Note #${String(n).padStart(3, "0")}:`;

describe("long lists and timelines come back a valid page at a time", () => {
  let t: TestApp;
  let drive: IncidentDriver;
  beforeAll(async () => {
    t = await startTestApp();
    drive = new IncidentDriver(t);
    t.slack.addUser(alice);
    t.slack.addChannel({ id: GENERAL, name: "general", members: [alice.id] });
  });
  afterAll(() => t.stop());

  /** The message posted in the channel after `since` whose text starts with `prefix`. */
  const postedAfter = (channelId: string, since: number, prefix: string) =>
    eventually(
      () =>
        t.slack.state.messages[channelId]?.slice(since).find((message) => message.text?.startsWith(prefix)),
      `a message starting "${prefix}" in ${channelId}`,
    );

  let earlierEvents = 0;

  it("posts page 1 of a 500-event timeline into the incident channel, valid Block Kit", async () => {
    const { responseId } = await drive.incident(alice, "declare sev2 Database failover stuck");
    await drive.answer(responseId, /INC-1 declared/);
    const incident = await waitForIncident(t, 1);
    const channelId = await waitForChannelOf(t, 1);
    earlierEvents = await countEvents(t.firebreak.store.models, incident.id);
    const start = incident.declaredAt.getTime();
    for (let i = 0; i < NOTES; i++) {
      await appendEvent(t.firebreak.store.models, {
        incidentId: incident.id,
        type: "note",
        at: new Date(start + (i + 1) * 1000),
        actorId: alice.id,
        payload: {
          text: `${noteNumber(i)} ${"<!channel> & <https://x.example|y> ".repeat(20)}\nsecond line`,
        },
      });
    }

    const before = t.slack.state.messages[channelId]?.length ?? 0;
    await drive.incident(alice, "timeline", channelId);
    const page = await postedAfter(channelId, before, "Timeline of INC-1");
    assertValidSurface({ kind: "message", text: page.text, blocks: page.blocks });
    const pageCount = Math.ceil((earlierEvents + NOTES) / 25);
    const shown = JSON.stringify(page.blocks);
    expect(shown).toContain(`Page 1 of ${pageCount} — \`/incident timeline INC-1 2\` for more`);
    expect(shown).toContain(noteNumber(0));
    expect(shown).toContain(noteNumber(25 - earlierEvents - 1));
    expect(shown).not.toContain(noteNumber(25 - earlierEvents));
    expect(shown).not.toContain("<!channel>");
  });

  it("posts the page asked for: `timeline INC-1 3` is entries 51 to 75", async () => {
    const channelId = await waitForChannelOf(t, 1);
    const before = t.slack.state.messages[channelId]?.length ?? 0;
    await drive.incident(alice, "timeline INC-1 3", channelId);
    const page = await postedAfter(channelId, before, "Timeline of INC-1");
    assertValidSurface({ kind: "message", text: page.text, blocks: page.blocks });
    const shown = JSON.stringify(page.blocks);
    const pageCount = Math.ceil((earlierEvents + NOTES) / 25);
    expect(shown).toContain(`Page 3 of ${pageCount}`);
    const first = 50 - earlierEvents;
    expect(shown).not.toContain(noteNumber(first - 1));
    expect(shown).toContain(noteNumber(first));
    expect(shown).toContain(noteNumber(first + 24));
    expect(shown).not.toContain(noteNumber(first + 25));
  });

  it("answers /incident list with 200 open incidents a page of valid Block Kit at a time", async () => {
    const models = t.firebreak.store.models;
    const declaredAt = (await waitForIncident(t, 1)).declaredAt.getTime();
    for (let i = 0; i < OPEN_INCIDENTS; i++) {
      const { created } = await createIncident(models, {
        workspaceId: TEAM.id,
        declareKey: `bulk-${i}`,
        title: longTitle(i + 2),
        description: "",
        severity: SEVERITIES[i % SEVERITIES.length] ?? "sev2",
        affectedServices: [],
        roles: { commander: alice.id },
        reporterId: alice.id,
        isPrivate: false,
        // Newer than INC-1 and each newer than the last, so INC-201 comes first.
        declaredAt: new Date(declaredAt + (i + 1) * 60_000),
      });
      expect(created).toBe(true);
    }
    const total = OPEN_INCIDENTS + 1;
    const pageCount = Math.ceil(total / 20);

    const pages: Record<string, unknown>[] = [];
    for (const args of ["list", "list 2"]) {
      const { responseId } = await drive.incident(alice, args);
      const answer = await drive.answer(responseId, /Incidents/);
      expect(answer.body.response_type).toBe("ephemeral");
      assertValidSurface({ kind: "message", text: answer.body.text, blocks: answer.body.blocks });
      pages.push(answer.body);
    }
    const [first = {}, second = {}] = pages.map((page) => JSON.stringify(page.blocks));
    expect(first).not.toBe(second);
    expect(first).toContain(`*Incidents* (${total}), newest first`);
    expect(first).toContain(`Page 1 of ${pageCount} — \`/incident list 2\` for more`);
    expect(second).toContain(`Page 2 of ${pageCount} — \`/incident list 3\` for more`);
    // Newest first: page 1 is INC-201 … INC-182, page 2 INC-181 … INC-162.
    expect(first).toContain("*INC-201*");
    expect(first).toContain("*INC-182*");
    expect(first).not.toContain("*INC-181*");
    expect(second).toContain("*INC-181*");
    expect(second).toContain("*INC-162*");
    expect(second).not.toContain("*INC-182*");
    expect(second).not.toContain("*INC-161*");
    // Titles are escaped, never raw.
    expect(first).toContain("&lt;&amp;&gt;");
    expect(first).not.toContain("<&>");
  });

  it("shows the last page for a page number past the end", async () => {
    const { responseId } = await drive.incident(alice, "list 99");
    const answer = await drive.answer(responseId, /Incidents/);
    assertValidSurface({ kind: "message", text: answer.body.text, blocks: answer.body.blocks });
    const shown = JSON.stringify(answer.body.blocks);
    expect(shown).toContain("Page 11 of 11");
    expect(shown).toContain("*INC-1* Database failover stuck");
  });
});
