import { z } from "zod";
import type { AppContext } from "../context.ts";
import { APPROVER_ROLES, type ApproverRole, type ChangeNote, type ChangeRequest } from "../domain/change.ts";
import type { DeliveryHandler } from "../jobs/deliveries.ts";
import type { SendOutcome } from "../send-outcome.ts";
import { getChange } from "../store/changes.ts";
import { type Delivery, enqueueDelivery } from "../store/deliveries.ts";

/**
 * Direct messages about change requests (approval requests, emergency notices, decisions), queued as
 * Slack work in each person's lane and keyed by change, note, status and person, so each goes out once, at
 * Slack's pace, across restarts. The item holds references; the message is built from the change as it is
 * when sent, so a request sent after the change was decided shows the decision instead of live buttons.
 */

export const CHANGE_NOTE_WORK = "change-note";

/** What a queued note holds: the change, which note, and the role a person is asked or told as. */
const notePayload = z.discriminatedUnion("note", [
  z.object({ changeId: z.string(), note: z.literal("decided") }),
  z.object({
    changeId: z.string(),
    note: z.enum(["approval_request", "emergency_notice"]),
    role: z.enum(APPROVER_ROLES),
  }),
]);

export type QueuedNote =
  | { note: "decided" }
  | { note: "approval_request" | "emergency_notice"; role: ApproverRole };

export async function queueChangeNote(
  ctx: AppContext,
  change: ChangeRequest,
  userId: string,
  note: QueuedNote,
): Promise<void> {
  await enqueueDelivery(ctx.store.models, {
    key: `${CHANGE_NOTE_WORK}:${change.id}:${note.note}:${change.status}:${userId}`,
    kind: CHANGE_NOTE_WORK,
    channel: userId,
    payload: { changeId: change.id, ...note },
    at: ctx.clock.now(),
  });
}

async function sendNote(ctx: AppContext, item: Delivery): Promise<SendOutcome<unknown>> {
  const payload = notePayload.safeParse(item.payload);
  if (!payload.success) return { status: "refused", code: "bad_change_note" };
  const change = await getChange(ctx.store.models, payload.data.changeId);
  if (!change) return { status: "not_found", code: "change_gone" };
  const { changeId: _, note, ...rest } = payload.data;
  const message = { kind: note, change, ...rest } as ChangeNote;
  return ctx.notifier.sendDirect(item.channel, { kind: "change", note: message });
}

export function changeDeliveryHandlers(ctx: AppContext): Record<string, DeliveryHandler> {
  return { [CHANGE_NOTE_WORK]: { send: (item) => sendNote(ctx, item) } };
}
