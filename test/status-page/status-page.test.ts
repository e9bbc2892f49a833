import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STATUS_MAX_AGE_MS } from "../../src/http/status-page.ts";
import { getPublicIncident } from "../../src/store/status-page.ts";
import { eventually } from "../support/eventually.ts";
import { IncidentDriver } from "../support/incident-driver.ts";
import { alice, eventsOf, INCIDENTS, typesOf, waitForIncident } from "../support/incident-e2e.ts";
import { declareIncident, postUpdate, resolveIncident } from "../support/status-page-driver.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";
import { childrenNamed, parseXml } from "../support/xml.ts";

/** Words only responders may see: they must never reach the page, the JSON or the feed. */
const INTERNAL = ["db-7", "hunter2", "INTERNAL-ONLY"];

describe("the public status page, driven from Slack, over the real server and database", () => {
  let t: TestApp;
  let drive: IncidentDriver;
  beforeAll(async () => {
    t = await startTestApp({
      env: {
        INCIDENTS_CHANNEL: INCIDENTS,
        STATUS_PAGE_TITLE: "Acme <status>",
        STATUS_PAGE_SERVICES: "checkout, search",
      },
    });
    drive = new IncidentDriver(t);
    t.slack.addUser(alice);
    t.slack.addChannel({ id: INCIDENTS, name: "incidents", members: [t.slack.state.bot.user_id] });
  });
  afterAll(() => t.stop());

  /** Reads a page as a reader would, after the cache's few seconds have passed. */
  async function read(path: string, headers: Record<string, string> = {}) {
    t.clock.advance(STATUS_MAX_AGE_MS);
    const response = await fetch(`${t.url}${path}`, { headers });
    return { response, body: await response.text() };
  }
  const serviceRow = (html: string, name: string) =>
    html.match(new RegExp(`<li class="service">\\s*<div class="row"><h3>${name}</h3>(.*?)</div>`))?.[1] ?? "";

  const declare = (severity: string, title: string, services: string, publish = false) =>
    declareIncident(drive, severity, title, services, publish);
  const update = (number: number, status: string, message: string, publicText: string, publish: boolean) =>
    postUpdate(t, drive, number, { status, message, publicText, publish });

  it("lists the configured services as operational while nothing is public", async () => {
    const { response, body } = await read("/status");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(body).toContain("<title>Acme &lt;status&gt;</title>");
    expect(body).toContain("All Systems Operational");
    expect(serviceRow(body, "checkout")).toContain("Operational");
    expect(serviceRow(body, "search")).toContain("Operational");
  });

  it("shows a SEV2 (public by its policy) as a partial outage, with its latest public update first", async () => {
    await declare("sev2", "db-7 failover breaks checkout", "checkout");
    await waitForIncident(t, 1);
    t.clock.advance(10 * 60_000);
    const modal = await update(
      1,
      "identified",
      "Rotated the db-7 password",
      "We found the cause and are fixing it.",
      true,
    );
    // The modal offered the box ticked and a public text from the status-page template.
    expect(JSON.stringify(modal.blocks)).toContain("We are continuing to investigate this issue.");
    await update(1, "identified", "INTERNAL-ONLY: still watching db-7", "", true);
    const incident = await waitForIncident(t, 1);
    await eventually(
      async () =>
        (await getPublicIncident(t.firebreak.store.models, incident.id))?.updates.length === 2
          ? true
          : undefined,
      "the public update stored",
    );

    const { body } = await read("/status");
    expect(body).toContain("Partial System Outage");
    expect(serviceRow(body, "checkout")).toContain("Partial outage");
    expect(serviceRow(body, "search")).toContain("Operational");
    const latest = body.indexOf("We found the cause and are fixing it.");
    const first = body.indexOf("We are currently investigating reports of problems with checkout.");
    expect(latest).toBeGreaterThan(0);
    expect(first).toBeGreaterThan(latest);
    for (const word of INTERNAL) expect(body).not.toContain(word);

    const json = JSON.parse((await read("/status.json")).body);
    expect(json.status).toEqual({ indicator: "major", description: "Partial System Outage" });
    expect(json.components).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "checkout", status: "partial_outage" }),
        expect.objectContaining({ name: "search", status: "operational" }),
      ]),
    );
    expect(json.incidents).toHaveLength(1);
    expect(json.incidents[0]).toMatchObject({
      name: "Partial outage: checkout",
      status: "identified",
      impact: "major",
    });
    expect(json.incidents[0].incident_updates[0].body).toContain(
      "Update: We found the cause and are fixing it.",
    );
    for (const word of INTERNAL) expect(JSON.stringify(json)).not.toContain(word);

    const events = await eventsOf(t, incident.id);
    expect(typesOf(events)).toEqual(
      expect.arrayContaining(["status_page_published", "public_update_posted"]),
    );
  });

  it("serves a valid Atom feed, one entry per public update, with nothing internal in it", async () => {
    const { response, body } = await read("/status/feed.atom");
    expect(response.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const feed = parseXml(body);
    expect(feed.name).toBe("feed");
    expect(feed.attributes.xmlns).toBe("http://www.w3.org/2005/Atom");
    for (const required of ["id", "title", "updated", "author", "link"])
      expect(childrenNamed(feed, required).length, `feed <${required}>`).toBeGreaterThan(0);
    expect(childrenNamed(feed, "title")[0]?.text).toBe("Acme <status>");
    const entries = childrenNamed(feed, "entry");
    expect(entries).toHaveLength(2);
    for (const entry of entries) {
      for (const required of ["id", "title", "updated", "link", "content"])
        expect(childrenNamed(entry, required), `entry <${required}>`).toHaveLength(1);
      expect(Number.isNaN(Date.parse(childrenNamed(entry, "updated")[0]?.text ?? ""))).toBe(false);
    }
    expect(childrenNamed(entries[0] as never, "content")[0]?.text).toContain("We found the cause");
    expect(new Set(entries.map((e) => childrenNamed(e, "id")[0]?.text)).size).toBe(2);
    for (const word of INTERNAL) expect(body).not.toContain(word);
  });

  it("answers 304 to a matching ETag or a Last-Modified it had, and 200 with the body otherwise", async () => {
    for (const path of ["/status", "/status.json", "/status/feed.atom"]) {
      const first = await read(path);
      const etag = first.response.headers.get("etag") ?? "";
      const lastModified = first.response.headers.get("last-modified") ?? "";
      expect(etag).toMatch(/^"[\w-]+"$/);
      const again = await read(path, { "if-none-match": etag });
      expect(again.response.status).toBe(304);
      expect(again.body).toBe("");
      expect((await read(path, { "if-modified-since": lastModified })).response.status).toBe(304);
      const other = await read(path, { "if-none-match": '"something-else"' });
      expect(other.response.status).toBe(200);
      expect(other.body).toBe(first.body);
    }
  });

  it("takes an unticked incident off the page and says so on its timeline; a ticked SEV3 goes on", async () => {
    await declare("sev3", "INTERNAL-ONLY search reindex", "search", true);
    const incident = await waitForIncident(t, 2);
    await eventually(
      async () =>
        (await getPublicIncident(t.firebreak.store.models, incident.id))?.published ? true : undefined,
      "INC-2 published",
    );
    expect(serviceRow((await read("/status")).body, "search")).toContain("Degraded performance");

    await update(2, "identified", "INTERNAL-ONLY: not for the public after all", "", false);
    await eventually(
      async () =>
        (await getPublicIncident(t.firebreak.store.models, incident.id))?.published === false
          ? true
          : undefined,
      "INC-2 unpublished",
    );
    const { body } = await read("/status");
    expect(serviceRow(body, "search")).toContain("Operational");
    expect(body).not.toContain("Degraded performance: search");
    expect(typesOf(await eventsOf(t, incident.id))).toEqual(
      expect.arrayContaining(["status_page_published", "status_page_unpublished"]),
    );
  });

  it("after the resolve the service is operational again, and today's bar marks the day", async () => {
    t.clock.advance(3 * 3_600_000);
    await resolveIncident(t, drive, 1);
    const incident = await waitForIncident(t, 1);
    await eventually(
      async () =>
        (await getPublicIncident(t.firebreak.store.models, incident.id))?.resolvedAt ? true : undefined,
      "INC-1 resolved on the page",
    );

    const { body } = await read("/status");
    expect(body).toContain("All Systems Operational");
    expect(serviceRow(body, "checkout")).toContain("Operational");
    const today = t.clock.now().toISOString().slice(0, 10);
    const bar =
      body.match(/<div class="bar"[^>]*aria-label="checkout[^"]*">(.*?)<\/div>\s*<p class="legend">/s)?.[1] ??
      "";
    const days = bar.match(/<details class="day s-[a-z_]+"/g) ?? [];
    expect(days).toHaveLength(90);
    expect(days.at(-1)).toContain("s-partial_outage");
    expect(days.slice(0, -1).every((d) => d.includes("s-operational"))).toBe(true);
    expect(bar).toContain(`title="${today}: Partial outage — Partial outage: checkout"`);
    expect(bar).toContain("<li>Partial outage: checkout</li>");
    // Three hours of partial outage count as 0.9 hours down in about 89 days.
    expect(body).toContain("<span>99.96 % uptime</span>");
    // The removed SEV3 left no mark on the search bar.
    expect(body).not.toContain(`title="${today}: Degraded performance`);
    for (const word of INTERNAL) expect(body).not.toContain(word);

    const feed = parseXml((await read("/status/feed.atom")).body);
    const entries = childrenNamed(feed, "entry");
    expect(entries).toHaveLength(3);
    expect(childrenNamed(entries[0] as never, "content")[0]?.text).toContain(
      "This incident has been resolved.",
    );
    const json = JSON.parse((await read("/status.json")).body);
    expect(json.status.indicator).toBe("none");
    expect(json.incidents).toEqual([]);
  });
});
