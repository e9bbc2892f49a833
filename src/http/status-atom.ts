import { statusLabel } from "../domain/status.ts";
import type { StatusSnapshot } from "../status-page/snapshot.ts";
import { escapeHtml } from "./status-html.ts";

/**
 * `GET /status/feed.atom`: one entry per public update (RFC 4287). Ids are tag URIs made from the incident
 * and the update's key, so an entry keeps its id across renders and processes. Links point at the page:
 * `STATUS_PAGE_URL` when set, else relative to the feed (allowed by Atom, which resolves them like HTML).
 */

const FEED_ENTRIES = 50;

export function renderStatusAtom(snapshot: StatusSnapshot, pageUrl: string | null): string {
  const page = escapeHtml(pageUrl ?? "/status");
  const updated = (snapshot.updates[0]?.at ?? new Date(0)).toISOString();
  const entries = snapshot.updates.slice(0, FEED_ENTRIES).map(
    (u) => `  <entry>
    <id>tag:firebreak,2026:status:${escapeHtml(u.id)}</id>
    <title>${escapeHtml(`${u.incidentName}: ${statusLabel(u.status)}`)}</title>
    <updated>${u.at.toISOString()}</updated>
    <published>${u.at.toISOString()}</published>
    <link rel="alternate" type="text/html" href="${page}"/>
    <content type="text">${escapeHtml(u.body)}</content>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>tag:firebreak,2026:status</id>
  <title>${escapeHtml(snapshot.title)}</title>
  <updated>${updated}</updated>
  <author><name>${escapeHtml(snapshot.title)}</name></author>
  <link rel="alternate" type="text/html" href="${page}"/>
  <link rel="self" type="application/atom+xml" href="${page}/feed.atom"/>
${entries.join("\n")}
</feed>
`;
}
