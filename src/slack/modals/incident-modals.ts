import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { TIMELINE_PAYLOADS } from "../../domain/timeline.ts";
import { assignRole, changeSeverity, resolve } from "../../incidents/changes.ts";
import { requestDeclare } from "../../incidents/declare.ts";
import { postUpdate } from "../../incidents/status-updates.ts";
import { applyPublicUpdate } from "../../status-page/publish.ts";
import { getIncidentById } from "../../store/incidents.ts";
import type { SlackContext } from "../context.ts";
import { INCIDENT_VIEWS } from "../ids.ts";
import { decodeMetadata, incidentModalMetadataSchema } from "../modal-metadata.ts";
import { declareAnyway, encodePendingDeclare, MAX_PRIVATE_METADATA } from "../pending-declare.ts";
import { reply, replyTargetSchema } from "../reply.ts";
import { parseDeclareSubmission } from "../views/declare-modal.ts";
import { duplicateWarningModal } from "../views/duplicate-warning.ts";
import { changeResultText } from "../views/incident-change.ts";
import { parseResolveSubmission } from "../views/resolve-modal.ts";
import { parseRoleSubmission } from "../views/role-modal.ts";
import { parseSeveritySubmission } from "../views/severity-modal.ts";
import { parseUpdateSubmission } from "../views/update-modal.ts";

type SubmissionArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const declareMetadataSchema = z.object({
  reply: replyTargetSchema,
  fromMessage: TIMELINE_PAYLOADS.declared.shape.fromMessage,
  /** Set when "Declare incident" was clicked on an alert: the two are linked once declared. */
  alertId: z.string().optional(),
});

/**
 * Modal submissions. Input errors go back into the modal (`response_action: "errors"`); otherwise the modal
 * closes at once (the ack) and the work follows, answered privately to the submitter.
 */
export function register(app: App, deps: AppContext): void {
  const closeThenWork = (
    callbackId: string,
    work: (ctx: SlackContext, args: SubmissionArgs) => Promise<void>,
  ) => {
    app.view<ViewSubmitAction>(callbackId, async (args) => {
      await work({ ...deps, client: args.client }, args);
    });
  };

  closeThenWork(INCIDENT_VIEWS.declare, async (ctx, { ack, body, view }) => {
    const form = parseDeclareSubmission(view.state.values);
    if (!form.ok) return ack({ response_action: "errors", errors: form.errors });
    const metadata = decodeMetadata(declareMetadataSchema, view.private_metadata);
    const replyTo = metadata?.reply ?? { userId: body.user.id };
    const input = {
      workspaceId: body.team?.id ?? body.user.team_id ?? "",
      // The view id is the same for a double-submitted or retried form, so it declares once.
      declareKey: view.id,
      title: form.value.title,
      description: form.value.description,
      severity: form.value.severity,
      services: form.value.services,
      reporterId: body.user.id,
      commanderId: form.value.commanderId,
      isPrivate: form.value.isPrivate,
      // An alert is never practice: its form has no Drill box, and a forged one is not taken.
      drill: form.value.drill && !metadata?.alertId,
      type: form.value.type,
      publish: form.value.publish,
      fromMessage: metadata?.fromMessage,
      alertId: metadata?.alertId,
    };
    await requestDeclare(ctx, input, {
      replyTo,
      onDuplicates: async (duplicates) => {
        const pending = encodePendingDeclare(input, duplicates, replyTo, MAX_PRIVATE_METADATA);
        await ack({ response_action: "push", view: duplicateWarningModal(duplicates, pending) });
      },
      onDeclaring: () => ack(),
    });
  });

  closeThenWork(INCIDENT_VIEWS.duplicateWarning, async (ctx, { ack, body, view }) => {
    // "Declare anyway": close the warning and the form beneath it.
    await ack({ response_action: "clear" });
    await declareAnyway(ctx, view.private_metadata, body.user.id, { userId: body.user.id });
  });

  /** The incident modals share one shape: metadata names the incident, the form is parsed, a change runs. */
  const incidentModal = <T>(
    callbackId: string,
    parse: (values: unknown) => { ok: true; value: T } | { ok: false; errors: Record<string, string> },
    change: (
      ctx: SlackContext,
      incident: NonNullable<Awaited<ReturnType<typeof getIncidentById>>>,
      userId: string,
      value: T,
      /** The view's id: the same for a retried or double-submitted form. */
      submissionKey: string,
    ) => ReturnType<typeof resolve>,
  ) =>
    closeThenWork(callbackId, async (ctx, { ack, body, view }) => {
      const form = parse(view.state.values);
      if (!form.ok) return ack({ response_action: "errors", errors: form.errors });
      await ack();
      const metadata = decodeMetadata(incidentModalMetadataSchema, view.private_metadata);
      const replyTo = metadata?.reply ?? { userId: body.user.id };
      const incident = metadata && (await getIncidentById(ctx.store.models, metadata.incidentId));
      if (!incident) return reply(ctx, replyTo, { text: "That incident no longer exists." });
      const result = await change(ctx, incident, body.user.id, form.value, view.id);
      await reply(ctx, replyTo, { text: changeResultText(result, ctx.clock.now()) });
    });

  incidentModal(INCIDENT_VIEWS.update, parseUpdateSubmission, async (ctx, incident, userId, value, key) => {
    const result = await postUpdate(ctx, incident, userId, value);
    if (result.ok)
      await applyPublicUpdate(ctx, result.incident, userId, {
        publish: value.publish,
        text: value.publicText,
        key,
      });
    return result;
  });
  incidentModal(INCIDENT_VIEWS.severity, parseSeveritySubmission, (ctx, incident, userId, value) =>
    changeSeverity(ctx, incident, userId, value.severity),
  );
  incidentModal(INCIDENT_VIEWS.role, parseRoleSubmission, (ctx, incident, userId, value) =>
    assignRole(ctx, incident, userId, value.role, value.userId),
  );
  incidentModal(INCIDENT_VIEWS.resolve, parseResolveSubmission, (ctx, incident, userId, value) =>
    resolve(ctx, incident, userId, value),
  );
}
