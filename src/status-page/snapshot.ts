import { createHash } from "node:crypto";
import type { AppContext } from "../context.ts";
import type { Status } from "../domain/incident.ts";
import {
  type ComponentState,
  daysBetween,
  type HistoryDay,
  type HistoryIncident,
  serviceHistory,
  stateForSeverity,
  worstState,
} from "../domain/status-page.ts";
import {
  openPublicIncidents,
  type PublicIncident,
  publicHistory,
  publicIncidentsByIds,
} from "../store/status-page.ts";

/** Everything the status page, its JSON and its feed show, read from the database at one moment. */
export interface StatusSnapshot {
  title: string;
  /** When it was read; the page's "today". */
  at: Date;
  overall: ComponentState;
  services: ServiceView[];
  /** Open public incidents, most recent first. */
  incidents: IncidentView[];
  /** Every public update of the last 90 days, newest first (the feed). */
  updates: UpdateView[];
}

export interface ServiceView {
  /** Stable across renders: a hash of the name. */
  id: string;
  name: string;
  state: ComponentState;
  uptime: number;
  days: HistoryDay[];
}

export interface IncidentView {
  id: string;
  name: string;
  status: Status;
  state: ComponentState;
  services: string[];
  declaredAt: Date;
  resolvedAt?: Date | undefined;
  /** The latest public update's time (or the declaration's). */
  updatedAt: Date;
  /** Newest first. */
  updates: UpdateView[];
}

export interface UpdateView {
  /** Unique and stable: the incident's id and the update's key. */
  id: string;
  incidentId: string;
  incidentName: string;
  at: Date;
  status: Status;
  body: string;
}

export const HISTORY_DAYS = 90;

export function serviceId(name: string): string {
  return createHash("sha256").update(name.toLowerCase()).digest("hex").slice(0, 12);
}

function incidentView(incident: PublicIncident): IncidentView {
  // Reversed first, so updates stored at the same instant keep the later one first.
  const updates = [...incident.updates]
    .reverse()
    .map(
      (u): UpdateView => ({
        id: `${incident._id}:${u.key}`,
        incidentId: incident._id,
        incidentName: incident.name,
        at: new Date(u.at),
        status: u.status,
        body: u.body,
      }),
    )
    .sort((a, b) => b.at.getTime() - a.at.getTime());
  return {
    id: incident._id,
    name: incident.name,
    status: incident.status,
    state: stateForSeverity(incident.severity),
    services: incident.services,
    declaredAt: new Date(incident.declaredAt),
    resolvedAt: incident.resolvedAt && new Date(incident.resolvedAt),
    updatedAt: updates[0]?.at ?? new Date(incident.declaredAt),
    updates,
  };
}

/** Reads the page's data: the open live set, the 90 day documents, and the incidents they name, by `_id`. */
export async function readStatusSnapshot(ctx: Pick<AppContext, "store" | "clock" | "config">) {
  const { models } = ctx.store;
  const at = ctx.clock.now();
  const days = daysBetween(new Date(at.getTime() - (HISTORY_DAYS - 1) * 86_400_000), at, HISTORY_DAYS);
  const [open, history] = await Promise.all([openPublicIncidents(models), publicHistory(models, days)]);
  const openViews = open.map(incidentView).sort((a, b) => b.declaredAt.getTime() - a.declaredAt.getTime());
  const openIds = new Set(open.map((i) => i._id));
  // Open incidents last until now on the bars, whatever their day documents say.
  const past: HistoryIncident[] = history.filter((h) => !openIds.has(h.id));
  const all: HistoryIncident[] = [
    ...past,
    ...openViews.map((i) => ({
      id: i.id,
      name: i.name,
      services: i.services,
      state: i.state,
      from: i.declaredAt,
    })),
  ];
  const names = new Map<string, string>();
  for (const name of [...ctx.config.statusPage.services, ...all.flatMap((i) => i.services)])
    if (!names.has(name.toLowerCase())) names.set(name.toLowerCase(), name);
  const histories = serviceHistory([...names.values()], all, at, HISTORY_DAYS);
  const services = histories.map(
    (h): ServiceView => ({
      id: serviceId(h.service),
      name: h.service,
      state: worstState(
        openViews
          .filter((i) => i.services.some((s) => s.toLowerCase() === h.service.toLowerCase()))
          .map((i) => i.state),
      ),
      uptime: h.uptime,
      days: h.days,
    }),
  );
  const resolved = await publicIncidentsByIds(
    models,
    past.map((h) => h.id),
  );
  const updates = [...openViews, ...resolved.map(incidentView)]
    .flatMap((i) => i.updates)
    .sort((a, b) => b.at.getTime() - a.at.getTime());
  return {
    title: ctx.config.statusPage.title,
    at,
    overall: worstState(openViews.map((i) => i.state)),
    services,
    incidents: openViews,
    updates,
  } satisfies StatusSnapshot;
}
