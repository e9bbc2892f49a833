import { describe, expect, it } from "vitest";
import { serviceHistory } from "../../src/domain/status-page.ts";
import { renderStatusAtom } from "../../src/http/status-atom.ts";
import { renderStatusHtml } from "../../src/http/status-html.ts";
import { renderStatusJson } from "../../src/http/status-json.ts";
import type { StatusSnapshot } from "../../src/status-page/snapshot.ts";
import { childrenNamed, parseXml } from "../support/xml.ts";

const EVIL = `<script>alert("x")</script> & 'quotes'`;
const at = new Date("2026-11-29T10:00:00Z");

function snapshotWith(text: string): StatusSnapshot {
  const update = {
    id: "i1:u1",
    incidentId: "i1",
    incidentName: `Partial outage: ${text}`,
    at,
    status: "identified" as const,
    body: `Update: ${text}`,
  };
  const incident = {
    id: "i1",
    name: update.incidentName,
    status: "identified" as const,
    state: "partial_outage" as const,
    services: [text],
    declaredAt: at,
    updatedAt: at,
    updates: [update],
  };
  const [history] = serviceHistory([text], [{ ...incident, from: at }], at, 90);
  return {
    title: text,
    at,
    overall: "partial_outage",
    services: history
      ? [{ id: "abc", name: text, state: "partial_outage", uptime: history.uptime, days: history.days }]
      : [],
    incidents: [incident],
    updates: [update],
  };
}

describe("the status page's renderings escape whatever people typed", () => {
  it("HTML: no user text as markup, in text or in attributes", () => {
    const html = renderStatusHtml(snapshotWith(EVIL));
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain(`"x")`);
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;");
    // The one script is the page's own.
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it("Atom: well-formed XML whose text reads back exactly as typed", () => {
    const feed = parseXml(renderStatusAtom(snapshotWith(EVIL), "https://status.example.com/status"));
    const [entry] = childrenNamed(feed, "entry");
    expect(childrenNamed(feed, "title")[0]?.text).toBe(EVIL);
    expect(childrenNamed(entry as never, "content")[0]?.text).toBe(`Update: ${EVIL}`);
    expect(childrenNamed(feed, "link").map((l) => l.attributes.href)).toEqual([
      "https://status.example.com/status",
      "https://status.example.com/status/feed.atom",
    ]);
  });

  it("the XML reader used above refuses what is not well-formed", () => {
    expect(() => parseXml("<feed><title>a < b</title></feed>")).toThrow();
    expect(() => parseXml("<feed><title>a & b</title></feed>")).toThrow();
    expect(() => parseXml("<feed><entry></feed></entry>")).toThrow();
    expect(() => parseXml("<feed><entry>")).toThrow();
  });

  it("JSON: the same text, as data", () => {
    const json = JSON.parse(renderStatusJson(snapshotWith(EVIL), null));
    expect(json.page).toMatchObject({ name: EVIL, url: null });
    expect(json.components[0]).toMatchObject({ name: EVIL, status: "partial_outage" });
    expect(json.incidents[0].incident_updates[0].body).toBe(`Update: ${EVIL}`);
  });
});
