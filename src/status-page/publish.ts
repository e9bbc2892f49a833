import { type AppContext, policyOf } from "../context.ts";
import type { Incident } from "../domain/incident.ts";
import {
  initialPublicText,
  publicByPolicy,
  publicIncidentName,
  resolvedPublicText,
  updatePublicText,
} from "../domain/status-page.ts";
import { queuePublicEmails } from "../email/queue.ts";
import { newReference } from "../reference.ts";
import {
  getPublicIncident,
  type PublicFields,
  type PublicUpdate,
  savePublicIncident,
} from "../store/status-page.ts";
import { appendEvent } from "../store/timeline.ts";

/**
 * What the public status page shows of an incident, decided from what responders do in Slack: published by
 * the severity policy (SEV1 and SEV2 by default) or by a responder's tick, with public texts written apart
 * from the internal ones. Drills are never public. Each step is recorded on the incident's timeline.
 */

/** The public side of an incident as it stands now. */
function publicFields(incident: Incident, published: boolean): PublicFields {
  return {
    number: incident.number,
    name: publicIncidentName(incident.affectedServices, incident.severity),
    services: incident.affectedServices,
    severity: incident.severity,
    status: incident.status,
    published,
    declaredAt: incident.declaredAt,
    resolvedAt: incident.status === "resolved" ? incident.resolvedAt : undefined,
  };
}

/** The status page must never break what a responder did: a failure is logged with a reference, and noted. */
async function safely(ctx: AppContext, incident: Incident, step: string, work: () => Promise<void>) {
  try {
    await work();
  } catch (error) {
    const ref = newReference();
    ctx.logger.error({ err: error, ref, incident: incident.number, step }, "status page update failed");
  }
}

/** Puts the incident on the page with `update`, and e-mails its subscribers. */
async function publish(
  ctx: AppContext,
  incident: Incident,
  by: "policy" | "responder",
  eventKey: string,
  update: PublicUpdate,
) {
  const at = ctx.clock.now();
  const fields = publicFields(incident, true);
  const saved = await savePublicIncident(ctx.store.models, incident.id, fields, at, update);
  await appendEvent(ctx.store.models, {
    incidentId: incident.id,
    type: "status_page_published",
    at,
    actorId: "firebreak",
    payload: { by },
    key: eventKey,
  });
  if (saved.appended) await queuePublicEmails(ctx, incident.id, fields, update);
}

const initialUpdate = (incident: Incident): PublicUpdate => ({
  key: "initial",
  at: incident.declaredAt,
  status: "investigating",
  body: initialPublicText(incident.affectedServices, incident.declaredAt),
});

/** At declaration: public when the responder ticked "Publish to status page" or the severity's policy says so. */
export function publishOnDeclare(ctx: AppContext, incident: Incident, ticked: boolean): Promise<void> {
  if (incident.drill) return Promise.resolve();
  const byPolicy = publicByPolicy(policyOf(ctx, incident));
  if (!ticked && !byPolicy) return Promise.resolve();
  return safely(ctx, incident, "publish on declare", () =>
    publish(
      ctx,
      incident,
      byPolicy ? "policy" : "responder",
      "status-page:published:declare",
      initialUpdate(incident),
    ),
  );
}

/**
 * After any change of the incident (severity, status, resolve, reopen): a published incident's public side
 * follows it, with a public update when it is resolved or reopened; an incident never published becomes
 * public when a new severity's policy says so. One a responder took off the page stays off.
 */
export function syncStatusPage(ctx: AppContext, incident: Incident): Promise<void> {
  if (incident.drill) return Promise.resolve();
  return safely(ctx, incident, "sync", async () => {
    const current = await getPublicIncident(ctx.store.models, incident.id);
    if (!current) {
      if (incident.status === "resolved" || !publicByPolicy(policyOf(ctx, incident))) return;
      await publish(
        ctx,
        incident,
        "policy",
        `status-page:published:${incident.severity}`,
        initialUpdate(incident),
      );
      return;
    }
    if (!current.published) return;
    const due = lifecycleUpdate(incident);
    const update = due && !current.updates.some((u) => u.key === due.key) ? due : undefined;
    const fields = publicFields(incident, true);
    // Most changes (an acknowledgement, a role) change nothing the public sees: no write then.
    if (!update && samePublicFields(current, fields)) return;
    const saved = await savePublicIncident(ctx.store.models, incident.id, fields, ctx.clock.now(), update);
    if (saved.appended && update) await recordPublicUpdate(ctx, incident, update, "firebreak");
  });
}

function samePublicFields(stored: PublicFields, fields: PublicFields): boolean {
  return (
    stored.name === fields.name &&
    stored.services.join("\n") === fields.services.join("\n") &&
    stored.severity === fields.severity &&
    stored.status === fields.status &&
    stored.resolvedAt?.getTime() === fields.resolvedAt?.getTime()
  );
}

/** The public update a resolve or a reopen brings (once each, by its time). */
function lifecycleUpdate(incident: Incident): PublicUpdate | undefined {
  if (incident.status === "resolved" && incident.resolvedAt)
    return {
      key: `resolved:${incident.resolvedAt.getTime()}`,
      at: incident.resolvedAt,
      status: "resolved",
      body: resolvedPublicText(incident.declaredAt, incident.resolvedAt),
    };
  if (incident.reopenedAt && incident.status === "investigating")
    return {
      key: `reopened:${incident.reopenedAt.getTime()}`,
      at: incident.reopenedAt,
      status: "investigating",
      body: updatePublicText(
        "The issue has returned and we are investigating again.",
        "investigating",
        incident.nextUpdateDueAt,
      ),
    };
  return undefined;
}

/** Notes a public update on the timeline and e-mails it to the subscribers (each once, by its key). */
async function recordPublicUpdate(
  ctx: AppContext,
  incident: Incident,
  update: PublicUpdate,
  actorId: string,
) {
  await notePublicUpdate(ctx, incident, update, actorId);
  await queuePublicEmails(ctx, incident.id, publicFields(incident, true), update);
}

async function notePublicUpdate(ctx: AppContext, incident: Incident, update: PublicUpdate, actorId: string) {
  await appendEvent(ctx.store.models, {
    incidentId: incident.id,
    type: "public_update_posted",
    at: update.at,
    actorId,
    payload: { text: update.body },
    key: `status-page:update:${update.key}`,
  });
}

export interface PublicUpdateInput {
  /** The "Publish to status page" box as submitted; undefined: no box, so the incident stays as it is. */
  publish: boolean | undefined;
  /** The public text; empty keeps the update internal. */
  text: string;
  /** The submission's own key (Slack's view id), so a retried submit changes nothing twice. */
  key: string;
}

/**
 * The public half of "Post update", after the internal update was posted: publishes or unpublishes as the
 * box says, and shows the public text (never the internal one) on the page when the incident is public.
 */
export function applyPublicUpdate(
  ctx: AppContext,
  incident: Incident,
  actorId: string,
  input: PublicUpdateInput,
): Promise<void> {
  if (incident.drill) return Promise.resolve();
  return safely(ctx, incident, "public update", async () => {
    const { models } = ctx.store;
    const current = await getPublicIncident(models, incident.id);
    const at = ctx.clock.now();
    const publishing = input.publish ?? current?.published === true;
    if (!publishing) {
      if (!current?.published) return;
      await savePublicIncident(models, incident.id, publicFields(incident, false), at);
      await appendEvent(models, {
        incidentId: incident.id,
        type: "status_page_unpublished",
        at,
        actorId,
        payload: {},
        key: `status-page:unpublished:${input.key}`,
      });
      return;
    }
    const text = input.text.trim();
    const update: PublicUpdate | undefined =
      text === ""
        ? undefined
        : {
            key: `update:${input.key}`,
            at,
            status: incident.status,
            body: updatePublicText(text, incident.status, incident.nextUpdateDueAt),
          };
    if (!current?.published) {
      await publish(
        ctx,
        incident,
        "responder",
        `status-page:published:${input.key}`,
        update ?? initialUpdate(incident),
      );
      // publish() e-mailed it already: queueing it again could send it twice once the first has gone.
      if (update) await notePublicUpdate(ctx, incident, update, actorId);
      return;
    }
    if (!update) return;
    const saved = await savePublicIncident(models, incident.id, publicFields(incident, true), at, update);
    if (saved.appended) await recordPublicUpdate(ctx, incident, update, actorId);
  });
}

/**
 * For the update modal's box: whether the incident is on the page now (one declared before the status page
 * existed counts as its policy says, as the next change would publish it).
 */
export async function shownOnStatusPage(ctx: AppContext, incident: Incident): Promise<boolean> {
  if (incident.drill) return false;
  const current = await getPublicIncident(ctx.store.models, incident.id);
  return current ? current.published : publicByPolicy(policyOf(ctx, incident));
}
