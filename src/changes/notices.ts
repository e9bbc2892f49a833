import { z } from "zod";
import type { AppContext } from "../context.ts";
import { APPROVER_ROLES, type ApproverRole, type ChangeNote, type ChangeRequest } from "../domain/change.ts";
import type { DeliveryHandler } from "../jobs/deliveries.ts";
import type { SendOutcome } from "../send-outcome.ts";
import { getChange } from "../store/changes.ts";
import { type Delivery, enqueueDelivery } from "../store/deliveries.ts";
import { getLookup, getMessageLookup, putLookup, putMessageLookup } from "../store/lookups.ts";

/**
 * Direct messages about change requests (approval requests, emergency notices, decisions), queued as
 * Slack work in each person's lane and keyed by change, note, status and person, so each goes out once, at
 * Slack's pace, across restarts. The item holds references; the message is built from the change as it is
 * when sent, so a request sent after the change was decided shows the decision instead of live buttons.
 */

export const CHANGE_NOTE_WORK = "change-note";
/** Re-renders an approval request already sent, once someone decided: its buttons go when nothing is left. */
export const CHANGE_REQUEST_REFRESH = "change-request-refresh";

/** Who was asked to approve a change, as which role: written once, when it is submitted. */
const askedKey = (changeId: string) => `change-asked:${changeId}`;
/** Where one person's approval request went (`<channel> <ts>`), recorded once it is sent. */
const requestMessageKey = (changeId: string, userId: string) =>
  `change-request-message:${changeId}:${userId}`;

const askedPeople = z.array(z.object({ userId: z.string(), role: z.enum(APPROVER_ROLES) }));
type AskedPerson = z.infer<typeof askedPeople>[number];

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

/** Asks each person for their role's approval, and keeps the list so their requests can be refreshed. */
export async function queueApprovalRequests(
  ctx: AppContext,
  change: ChangeRequest,
  asked: readonly AskedPerson[],
): Promise<void> {
  if (asked.length === 0) return;
  await putLookup(ctx.store.models, askedKey(change.id), JSON.stringify(asked));
  for (const { userId, role } of asked)
    await queueChangeNote(ctx, change, userId, { note: "approval_request", role });
}

/**
 * After an approval or a rejection, every approval request already sent is re-rendered from the change: a
 * role now approved, or a change decided, loses its buttons and shows who decided. Queued in each person's
 * lane after their request, coalescing while pending; a request not sent yet is rendered fresh anyway.
 */
export async function queueRequestRefreshes(
  ctx: AppContext,
  change: ChangeRequest,
  except?: string,
): Promise<void> {
  const stored = await getLookup(ctx.store.models, askedKey(change.id));
  const asked = stored ? askedPeople.safeParse(JSON.parse(stored)) : undefined;
  for (const { userId, role } of asked?.success ? asked.data : []) {
    if (userId === except) continue;
    await enqueueDelivery(ctx.store.models, {
      key: `${CHANGE_REQUEST_REFRESH}:${change.id}:${userId}`,
      kind: CHANGE_REQUEST_REFRESH,
      channel: userId,
      payload: { changeId: change.id, role },
      at: ctx.clock.now(),
    });
  }
}

async function sendNote(ctx: AppContext, item: Delivery): Promise<SendOutcome<unknown>> {
  const payload = notePayload.safeParse(item.payload);
  if (!payload.success) return { status: "refused", code: "bad_change_note" };
  const change = await getChange(ctx.store.models, payload.data.changeId);
  if (!change) return { status: "not_found", code: "change_gone" };
  const { changeId: _, note, ...rest } = payload.data;
  const message = { kind: note, change, ...rest } as ChangeNote;
  const sent = await ctx.notifier.sendDirect(item.channel, { kind: "change", note: message });
  if (note === "approval_request" && sent.status === "done")
    await putMessageLookup(ctx.store.models, requestMessageKey(change.id, item.channel), sent.value);
  return sent;
}

const refreshPayload = z.object({ changeId: z.string(), role: z.enum(APPROVER_ROLES) });

async function refreshRequest(ctx: AppContext, item: Delivery): Promise<SendOutcome<unknown>> {
  const payload = refreshPayload.safeParse(item.payload);
  if (!payload.success) return { status: "refused", code: "bad_change_refresh" };
  const { changeId, role } = payload.data;
  const [change, sent] = await Promise.all([
    getChange(ctx.store.models, changeId),
    getMessageLookup(ctx.store.models, requestMessageKey(changeId, item.channel)),
  ]);
  // Not sent (yet, or ever): the request is rendered from the change when it goes out.
  if (!change || !sent) return { status: "done", value: undefined };
  return ctx.notifier.update(sent, { kind: "change", note: { kind: "approval_request", change, role } });
}

export function changeDeliveryHandlers(ctx: AppContext): Record<string, DeliveryHandler> {
  return {
    [CHANGE_NOTE_WORK]: { send: (item) => sendNote(ctx, item) },
    [CHANGE_REQUEST_REFRESH]: { send: (item) => refreshRequest(ctx, item), latestState: true },
  };
}
