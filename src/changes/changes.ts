import type { AppContext } from "../context.ts";
import {
  APPROVAL_MATRIX,
  type ApproverRole,
  type ChangeFields,
  type ChangeMove,
  type ChangeRequest,
  type ChangeStep,
  decideChange,
  submittedChange,
} from "../domain/change.ts";
import { newReference } from "../reference.ts";
import { createChange, getChange, stepChange } from "../store/changes.ts";
import { peopleInRole, rolesHeldBy } from "./approvers.ts";
import { queueApprovalRequests, queueChangeNote, queueRequestRefreshes } from "./notices.ts";

/**
 * Change requests: a request is stored submitted and the people of its required roles are asked, each by a
 * direct message with Approve and Reject; an emergency is approved at once and its roles are told. Every
 * later step (approve, reject, schedule, start, complete, fail) is checked by the domain's state machine
 * against the change as stored, done once, and answered with data the edge words.
 */

export interface NewChange {
  workspaceId: string;
  /** Slack's view id: a retried or double-submitted form is one request. */
  requestKey: string;
  requesterId: string;
  fields: ChangeFields;
}

/** Whom a new change went to, per role; a role nobody could be found for is `people: []`. */
export interface AskedRole {
  role: ApproverRole;
  people: string[];
  /** Slack could not say who is in a user group of the role (the log line has the detail). */
  ref?: string;
}

export type RequestResult =
  | { ok: false; reason: "not_configured" }
  /** `change` undefined: this repeated an earlier submission, which was answered already. */
  | { ok: true; change: ChangeRequest | undefined; asked: AskedRole[] };

export async function requestChange(ctx: AppContext, input: NewChange): Promise<RequestResult> {
  if (!ctx.config.changes.approvers) return { ok: false, reason: "not_configured" };
  const now = ctx.clock.now();
  const change = await createChange(ctx.store.models, input, (ids) =>
    submittedChange(
      { ...ids, workspaceId: input.workspaceId, requesterId: input.requesterId, ...input.fields },
      now,
    ),
  );
  if (!change) return { ok: true, change: undefined, asked: [] };
  return { ok: true, change, asked: await askApprovers(ctx, change, now) };
}

/** Queues the approval requests (or, for an emergency, the notices) to the people of each role. */
async function askApprovers(ctx: AppContext, change: ChangeRequest, now: Date): Promise<AskedRole[]> {
  const policy = APPROVAL_MATRIX[change.type];
  // Optional roles are told only of emergencies, which nobody approves by hand.
  const roles = [...policy.required, ...(policy.autoApprove ? policy.optional : [])];
  const asked: AskedRole[] = [];
  const requests: { userId: string; role: ApproverRole }[] = [];
  for (const role of roles) {
    const holders = await peopleInRole(ctx, role, now);
    if (!holders.ok) {
      const ref = newReference();
      ctx.logger.warn(
        { ref, change: change.number, role, error: holders.failure.code },
        "could not find approvers",
      );
      asked.push({ role, people: [], ref });
      continue;
    }
    // Nobody approves their own change, so the requester is not asked.
    const people = holders.people.filter((id) => id !== change.requesterId);
    if (policy.autoApprove)
      for (const userId of people)
        await queueChangeNote(ctx, change, userId, { note: "emergency_notice", role });
    else requests.push(...people.map((userId) => ({ userId, role })));
    asked.push({ role, people });
  }
  await queueApprovalRequests(ctx, change, requests);
  return asked;
}

/** What someone asks of a change, by command or button. */
export type ChangeRequestAction =
  | { kind: "approve" }
  | { kind: "reject"; reason?: string | undefined }
  | { kind: "move"; move: ChangeMove; reason?: string | undefined };

export type ActResult =
  | { ok: false; reason: "not_found" }
  /** Slack could not say who is in an approver group: nothing was done (`ref` is in the log line). */
  | { ok: false; reason: "lookup_failed"; ref: string }
  | { ok: true; number: number; step: ChangeStep };

/**
 * Runs one action on a change, as `actorId`; an approval that completes a change, or a reject, tells the
 * requester, and the approval requests already sent are brought up to date (but the actor's own when
 * `clickedRequest`: the click's answer replaced it).
 */
export async function actOnChange(
  ctx: AppContext,
  id: string,
  actorId: string,
  action: ChangeRequestAction,
  options: { clickedRequest?: boolean } = {},
): Promise<ActResult> {
  const { models } = ctx.store;
  const change = await getChange(models, id);
  if (!change) return { ok: false, reason: "not_found" };
  const now = ctx.clock.now();
  const held = await rolesHeldBy(ctx, change, actorId, now);
  if (!held.ok) {
    const ref = newReference();
    ctx.logger.warn({ ref, change: change.number, error: held.failure.code }, "could not check approvers");
    return { ok: false, reason: "lookup_failed", ref };
  }
  const step = await stepChange(models, id, (current) =>
    decideChange(current, { ...action, actorRoles: held.roles }, actorId, now),
  );
  if (!step) return { ok: false, reason: "not_found" };
  const decided = step.ok && (step.change.status === "approved" || step.change.status === "rejected");
  if (decided && step.statusChange)
    await queueChangeNote(ctx, step.change, step.change.requesterId, { note: "decided" });
  if (step.ok && (step.approval || step.statusChange?.from === "submitted"))
    await queueRequestRefreshes(ctx, step.change, options.clickedRequest ? actorId : undefined);
  return { ok: true, number: change.number, step };
}
