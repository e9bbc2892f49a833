import { indicatorOf, overallDescription } from "../domain/status-page.ts";
import type { IncidentView, StatusSnapshot } from "../status-page/snapshot.ts";

/**
 * `GET /status.json`: the page's data in the shape of Atlassian Statuspage's `summary.json` (v2), so tools
 * that read Statuspage read it (schema: docs/status-page.md). Firebreak has no page id, groups or
 * scheduled maintenance yet: those fields hold null, false or [].
 */

const PAGE_ID = "firebreak";

function incidentJson(incident: IncidentView, snapshot: StatusSnapshot) {
  const components = snapshot.services
    .filter((s) => incident.services.some((name) => name.toLowerCase() === s.name.toLowerCase()))
    .map((s) => ({ id: s.id, name: s.name, status: s.state }));
  return {
    id: incident.id,
    name: incident.name,
    status: incident.status,
    created_at: incident.declaredAt.toISOString(),
    updated_at: incident.updatedAt.toISOString(),
    started_at: incident.declaredAt.toISOString(),
    monitoring_at: incident.updates.find((u) => u.status === "monitoring")?.at.toISOString() ?? null,
    resolved_at: incident.resolvedAt?.toISOString() ?? null,
    impact: indicatorOf(incident.state),
    shortlink: null,
    page_id: PAGE_ID,
    incident_updates: incident.updates.map((u) => ({
      id: u.id,
      incident_id: incident.id,
      status: u.status,
      body: u.body,
      created_at: u.at.toISOString(),
      updated_at: u.at.toISOString(),
      display_at: u.at.toISOString(),
      affected_components: components.map((c) => ({ code: c.id, name: c.name, new_status: c.status })),
    })),
    components: components.map((c) => ({ id: c.id, name: c.name, status: c.status, page_id: PAGE_ID })),
  };
}

/** `url`: the page's public address (`STATUS_PAGE_URL`), null when not configured. */
export function renderStatusJson(snapshot: StatusSnapshot, url: string | null): string {
  const updatedAt = [snapshot.incidents[0]?.updatedAt, snapshot.updates[0]?.at]
    .filter((d): d is Date => d !== undefined)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  const body = {
    page: {
      id: PAGE_ID,
      name: snapshot.title,
      url,
      time_zone: "Etc/UTC",
      updated_at: updatedAt?.toISOString() ?? null,
    },
    status: { indicator: indicatorOf(snapshot.overall), description: overallDescription(snapshot.overall) },
    components: snapshot.services.map((s, position) => ({
      id: s.id,
      name: s.name,
      status: s.state,
      position: position + 1,
      description: null,
      showcase: true,
      group_id: null,
      page_id: PAGE_ID,
      group: false,
      only_show_if_degraded: false,
      uptime_90_days: s.uptime,
    })),
    incidents: snapshot.incidents.map((i) => incidentJson(i, snapshot)),
    scheduled_maintenances: [],
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
