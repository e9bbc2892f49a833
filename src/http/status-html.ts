import { statusLabel } from "../domain/status.ts";
import { COMPONENT_STATE_LABELS, type ComponentState, overallDescription } from "../domain/status-page.ts";
import { formatPlainTime } from "../domain/templates.ts";
import type { IncidentView, ServiceView, StatusSnapshot } from "../status-page/snapshot.ts";

/**
 * The public status page as one server-rendered HTML document: no client framework, readable on a phone,
 * light and dark from the reader's settings. Every piece of text from the database is escaped; states are
 * written out, never shown by colour alone. A few lines of script add each time in the reader's zone. The
 * empty icon link spares every reader's browser a request for /favicon.ico (a 404).
 */

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const time = (at: Date) => `<time datetime="${at.toISOString()}">${escapeHtml(formatPlainTime(at))}</time>`;

const stateBadge = (state: ComponentState) =>
  `<span class="state s-${state}">${COMPONENT_STATE_LABELS[state]}</span>`;

function incidentSection(incident: IncidentView): string {
  const updates = incident.updates
    .map(
      (u) =>
        `<li><p class="update-status">${statusLabel(u.status)}</p><p class="body">${escapeHtml(u.body)}</p><p class="when">${time(u.at)}</p></li>`,
    )
    .join("");
  const services = incident.services.length
    ? `<p class="affects">Affects: ${incident.services.map(escapeHtml).join(", ")}</p>`
    : "";
  return `<article class="incident s-${incident.state}" aria-labelledby="i-${incident.id}">
<h3 id="i-${incident.id}">${escapeHtml(incident.name)}</h3>
<p>${stateBadge(incident.state)} · ${statusLabel(incident.status)} · since ${time(incident.declaredAt)}</p>
${services}<ol class="updates" aria-label="Updates, newest first">${updates}</ol>
</article>`;
}

function dayCell(day: ServiceView["days"][number], service: string): string {
  const label = `${day.date}: ${COMPONENT_STATE_LABELS[day.state]}`;
  // The title is what hovering shows, so it names the day's incidents too; tapping opens the list.
  const title = day.incidents.length ? `${label} — ${day.incidents.map((i) => i.name).join("; ")}` : label;
  const incidents = day.incidents.length
    ? `<ul>${day.incidents.map((i) => `<li>${escapeHtml(i.name)}</li>`).join("")}</ul>`
    : "<p>No incidents</p>";
  return `<details class="day s-${day.state}" role="listitem"><summary title="${escapeHtml(title)}"><span class="vh">${escapeHtml(label)}</span></summary><div class="tip"><p><strong>${day.date}</strong> · ${COMPONENT_STATE_LABELS[day.state]}</p>${incidents}<p class="vh">${escapeHtml(service)}</p></div></details>`;
}

function serviceItem(service: ServiceView): string {
  return `<li class="service">
<div class="row"><h3>${escapeHtml(service.name)}</h3>${stateBadge(service.state)}</div>
<div class="bar" role="list" aria-label="${escapeHtml(service.name)}, one mark a day, oldest first">${service.days.map((d) => dayCell(d, service.name)).join("")}</div>
<p class="legend"><span><span class="long">${service.days.length} days ago</span><span class="short">30 days ago</span></span><span>${service.uptime.toFixed(2)} % uptime</span><span>Today</span></p>
</li>`;
}

const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f23;--muted:#57606a;--card:#f6f8fa;--line:#d0d7de;
--ok:#1a7f37;--maint:#0969da;--degr:#9a6700;--part:#bc4c00;--major:#cf222e}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--card:#161b22;--line:#30363d;
--ok:#3fb950;--maint:#4493f8;--degr:#d29922;--part:#db6d28;--major:#f85149}.overall{color:#0d1117!important}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
main,header,footer{max-width:52rem;margin:0 auto;padding:0 1rem}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}h3{font-size:1rem;margin:0}
.overall{padding:1rem;border-radius:.5rem;color:#fff;font-weight:600}.overall h2{margin:0}
.s-operational{--c:var(--ok)}.s-under_maintenance{--c:var(--maint)}.s-degraded_performance{--c:var(--degr)}.s-partial_outage{--c:var(--part)}.s-major_outage{--c:var(--major)}
.overall{background:var(--c)}.state{color:var(--c);font-weight:600}
.incident{border-left:.3rem solid var(--c);background:var(--card);padding:.75rem 1rem;margin:1rem 0;border-radius:.25rem}
.updates{list-style:none;padding:0;margin:0}.updates li{border-top:1px solid var(--line);padding:.5rem 0}
.update-status{font-weight:600;margin:0}.body{white-space:pre-line;margin:.25rem 0}.when,.affects,.legend,footer{color:var(--muted);font-size:.875rem}.when{margin:0}
.services{list-style:none;padding:0}.service{border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0}
.row{display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap}
.bar{display:flex;gap:2px;margin:.5rem 0;height:2.25rem}.day{flex:1;position:relative}
.day summary{display:block;height:2.25rem;background:var(--c);border-radius:2px;cursor:pointer;list-style:none}.day summary::-webkit-details-marker{display:none}
.day summary:focus-visible{outline:2px solid var(--fg);outline-offset:1px}
.tip{position:absolute;z-index:1;top:2.5rem;right:0;width:14rem;background:var(--card);border:1px solid var(--line);border-radius:.25rem;padding:.5rem;font-size:.875rem}
.day:nth-child(-n+45) .tip{left:0;right:auto}.tip p,.tip ul{margin:0}
.legend{display:flex;justify-content:space-between;margin:0}.short{display:none}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:40rem){.day:nth-child(-n+60){display:none}.long{display:none}.short{display:inline}.day:nth-child(-n+75) .tip{left:0;right:auto}}
`;

/** Adds the reader's local time after each UTC time (the page is whole without it). */
const SCRIPT = `
const f=new Intl.DateTimeFormat(undefined,{dateStyle:"medium",timeStyle:"short"});
for(const t of document.querySelectorAll("time[datetime]")){t.after(" ("+f.format(new Date(t.dateTime))+" your time)")}
`;

/** The e-mail sign-up form (double opt-in: src/http/email-links.ts), shown while e-mail is on. */
const SUBSCRIBE_FORM = `<form class="subscribe" method="post" action="/status/subscribe"><label for="subscribe-email">Get an e-mail about each incident</label> <input id="subscribe-email" name="email" type="email" required autocomplete="email" placeholder="you@example.com"> <button type="submit">Subscribe</button></form>`;

export function renderStatusHtml(snapshot: StatusSnapshot, options: { subscribe?: boolean } = {}): string {
  const incidents = snapshot.incidents.length
    ? snapshot.incidents.map(incidentSection).join("\n")
    : "<p>No incidents right now.</p>";
  const services = snapshot.services.length
    ? `<ul class="services">${snapshot.services.map(serviceItem).join("\n")}</ul>`
    : "<p>No services are listed yet.</p>";
  const title = escapeHtml(snapshot.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="alternate" type="application/atom+xml" title="${title}" href="/status/feed.atom">
<style>${STYLE}</style>
</head>
<body>
<header><h1>${title}</h1></header>
<main>
<section class="overall s-${snapshot.overall}" role="status" aria-live="polite"><h2>${overallDescription(snapshot.overall)}</h2></section>
<section aria-labelledby="current"><h2 id="current">Current incidents</h2>
${incidents}
</section>
<section aria-labelledby="services"><h2 id="services">Services, last 90 days</h2>
${services}
</section>
</main>
<footer>${options.subscribe ? SUBSCRIBE_FORM : ""}<p>Times are in UTC, with your own time zone's in brackets. <a href="/status.json">JSON</a> · <a href="/status/feed.atom">Atom feed</a></p></footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
