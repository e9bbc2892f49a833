import type { App, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { requestChange } from "../../changes/changes.ts";
import type { AppContext } from "../../context.ts";
import { CHANGE_VIEWS } from "../ids.ts";
import { decodeMetadata } from "../modal-metadata.ts";
import { reply, replyTargetSchema } from "../reply.ts";
import { changeRequestedMessage } from "../views/change.ts";
import { parseChangeSubmission } from "../views/change-modal.ts";

const metadataSchema = z.object({ reply: replyTargetSchema });

/**
 * The request form: input errors go back into the form; otherwise it closes at once (the ack) and the
 * change is stored under the view's id (a retried or double submission is one request) and answered.
 */
export function register(app: App, deps: AppContext): void {
  app.view<ViewSubmitAction>(CHANGE_VIEWS.request, async ({ ack, body, view, client }) => {
    const form = parseChangeSubmission(view.state.values, deps.clock.now());
    if (!form.ok) return ack({ response_action: "errors", errors: form.errors });
    await ack();
    const ctx = { ...deps, client };
    const replyTo = decodeMetadata(metadataSchema, view.private_metadata)?.reply ?? { userId: body.user.id };
    const result = await requestChange(ctx, {
      workspaceId: body.team?.id ?? body.user.team_id ?? "",
      requestKey: view.id,
      requesterId: body.user.id,
      fields: form.value,
    });
    const answer = changeRequestedMessage(result);
    if (answer) await reply(ctx, replyTo, answer);
  });
}
