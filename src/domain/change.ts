/**
 * Change requests and their approvals, from the seeds' change-management chapter: four types, each with the
 * roles that must approve it (the approval matrix), and one status flow checked here, purely:
 * draft → submitted → approved → scheduled → implementing → completed | failed, or submitted → rejected.
 * Every step is recorded with who and when; a step that already happened is refused, never done twice.
 */

export const CHANGE_TYPES = ["emergency", "routine", "standard", "major"] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

export const CHANGE_RISKS = ["low", "medium", "high"] as const;
export type ChangeRisk = (typeof CHANGE_RISKS)[number];

export const CHANGE_STATUSES = [
  "draft",
  "submitted",
  "approved",
  "rejected",
  "scheduled",
  "implementing",
  "completed",
  "failed",
] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

/** The roles the matrix names; CHANGE_APPROVERS maps each to people, user groups or an on-call schedule. */
export const APPROVER_ROLES = [
  "on-call-engineer",
  "tech-lead",
  "product-owner",
  "manager",
  "security-team",
  "cto",
] as const;
export type ApproverRole = (typeof APPROVER_ROLES)[number];

export interface ChangePolicy {
  /** Each must approve (one person per role) before the change is approved. */
  required: readonly ApproverRole[];
  /** Told of the change; their approval is not needed. */
  optional: readonly ApproverRole[];
  /** Approved as soon as it is submitted (emergencies): the required and optional roles are told. */
  autoApprove: boolean;
  /** How long the change may take, in hours. */
  maxDurationHours: number;
}

/** The seeds' approval matrix. */
export const APPROVAL_MATRIX: Readonly<Record<ChangeType, ChangePolicy>> = {
  emergency: {
    required: ["on-call-engineer"],
    optional: ["manager"],
    autoApprove: true,
    maxDurationHours: 2,
  },
  routine: { required: ["tech-lead"], optional: [], autoApprove: false, maxDurationHours: 24 },
  standard: {
    required: ["tech-lead", "product-owner"],
    optional: ["security-team"],
    autoApprove: false,
    maxDurationHours: 168,
  },
  major: {
    required: ["tech-lead", "product-owner", "manager", "security-team"],
    optional: ["cto"],
    autoApprove: false,
    maxDurationHours: 720,
  },
};

/** Every role some change type requires: an approver map must name people for each. */
export const REQUIRED_ROLES: readonly ApproverRole[] = APPROVER_ROLES.filter((role) =>
  CHANGE_TYPES.some((type) => APPROVAL_MATRIX[type].required.includes(role)),
);

/** The actor of what Firebreak does by itself (an emergency's approval). */
export const CHANGE_SYSTEM_ACTOR = "firebreak";

export interface Approval {
  role: ApproverRole;
  userId: string;
  decision: "approved" | "rejected";
  at: Date;
  reason?: string;
}

export interface StatusChange {
  /** Absent for the first entry (the draft being written). */
  from?: ChangeStatus;
  to: ChangeStatus;
  actorId: string;
  at: Date;
  reason?: string;
}

export interface ChangeFields {
  type: ChangeType;
  title: string;
  description: string;
  risk: ChangeRisk;
  scheduledAt: Date;
  affectedServices: string[];
  rollbackPlan: string;
  testingPlan: string;
}

export interface ChangeRequest extends ChangeFields {
  id: string;
  workspaceId: string;
  number: number;
  requesterId: string;
  status: ChangeStatus;
  approvals: Approval[];
  /** Every status the change went through, oldest first. */
  history: StatusChange[];
  /** Incidents declared on an affected service while it was being implemented. */
  linkedIncidents: number[];
}

/** `CHG-12`. */
export const changeKey = (number: number): string => `CHG-${number}`;

/** "CHG-12", "chg-12" or "12" → 12. */
export function parseChangeKey(text: string): number | undefined {
  const match = /^(?:chg-?)?(\d{1,9})$/i.exec(text.trim());
  const number = match ? Number(match[1]) : Number.NaN;
  return Number.isSafeInteger(number) && number > 0 ? number : undefined;
}

/**
 * A new request as it is stored: written as a draft and submitted at once; an emergency is approved at once
 * too (by Firebreak, as its policy says).
 */
export function submittedChange(
  base: ChangeFields & { id: string; workspaceId: string; number: number; requesterId: string },
  at: Date,
): ChangeRequest {
  const history: StatusChange[] = [
    { to: "draft", actorId: base.requesterId, at },
    { from: "draft", to: "submitted", actorId: base.requesterId, at },
  ];
  const auto = APPROVAL_MATRIX[base.type].autoApprove;
  if (auto)
    history.push({
      from: "submitted",
      to: "approved",
      actorId: CHANGE_SYSTEM_ACTOR,
      at,
      reason: `${base.type} changes are approved automatically`,
    });
  return { ...base, status: auto ? "approved" : "submitted", approvals: [], history, linkedIncidents: [] };
}

/** The required roles nobody has approved yet. */
export function pendingRoles(change: Pick<ChangeRequest, "type" | "approvals">): ApproverRole[] {
  return APPROVAL_MATRIX[change.type].required.filter(
    (role) => !change.approvals.some((a) => a.role === role && a.decision === "approved"),
  );
}

/** The moves after approval, each from one status to the next. */
export const CHANGE_MOVES = {
  schedule: { from: "approved", to: "scheduled" },
  start: { from: "scheduled", to: "implementing" },
  complete: { from: "implementing", to: "completed" },
  fail: { from: "implementing", to: "failed" },
} as const satisfies Record<string, { from: ChangeStatus; to: ChangeStatus }>;
export type ChangeMove = keyof typeof CHANGE_MOVES;
export const MOVE_NAMES = Object.keys(CHANGE_MOVES) as ChangeMove[];

/** The moves open from a status (buttons on the change's card). */
export const movesFrom = (status: ChangeStatus): ChangeMove[] =>
  MOVE_NAMES.filter((move) => CHANGE_MOVES[move].from === status);

/** Finished: nothing more can happen to it. */
export const isClosed = (status: ChangeStatus): boolean =>
  status === "completed" || status === "failed" || status === "rejected";

/**
 * What someone asks of a change. `actorRoles`: the change's required roles the actor holds now (worked out
 * by the caller from the approver map: people, user groups, who is on call).
 */
export type ChangeAction =
  | { kind: "approve"; actorRoles: readonly ApproverRole[] }
  | { kind: "reject"; actorRoles: readonly ApproverRole[]; reason?: string | undefined }
  | { kind: "move"; move: ChangeMove; actorRoles: readonly ApproverRole[]; reason?: string | undefined };

export type ChangeRefusal =
  /** Only people in one of the change's required roles may approve or reject it. */
  | { kind: "not_approver"; roles: readonly ApproverRole[] }
  /** Nobody approves their own change. */
  | { kind: "own_change" }
  /** This person already decided (a double click, a retry). */
  | { kind: "already_decided"; approval: Approval }
  /** Someone else in the only roles this person holds approved already. */
  | { kind: "role_approved"; approvals: Approval[]; pending: ApproverRole[] }
  /** It is not waiting for approval (approved, rejected, further along). */
  | { kind: "not_awaiting_approval"; status: ChangeStatus }
  /** The move already happened (a double click, a retry). */
  | { kind: "already_moved"; status: ChangeStatus }
  /** The move does not start from the change's status. */
  | { kind: "wrong_status"; move: ChangeMove; status: ChangeStatus }
  /** Only the requester or an approver may move it along. */
  | { kind: "not_involved"; roles: readonly ApproverRole[] };

export interface ChangeStepDone {
  ok: true;
  change: ChangeRequest;
  /** Names the step, so it is done once across retries and processes (`approval:tech-lead`, `status:scheduled`). */
  stepKey: string;
  approval?: Approval;
  statusChange?: StatusChange;
}

export type ChangeStep = ChangeStepDone | { ok: false; refusal: ChangeRefusal };

const refuse = (refusal: ChangeRefusal): ChangeStep => ({ ok: false, refusal });

/** Checks one action against the change as it is, and answers the change as it would be after it. */
export function decideChange(
  change: ChangeRequest,
  action: ChangeAction,
  actorId: string,
  at: Date,
): ChangeStep {
  const required = APPROVAL_MATRIX[change.type].required;
  if (action.kind === "move") return move(change, action, actorId, at, required);
  const mine = change.approvals.find((a) => a.userId === actorId);
  if (mine) return refuse({ kind: "already_decided", approval: mine });
  if (change.status !== "submitted") return refuse({ kind: "not_awaiting_approval", status: change.status });
  if (actorId === change.requesterId) return refuse({ kind: "own_change" });
  if (action.actorRoles.length === 0) return refuse({ kind: "not_approver", roles: required });
  const pending = pendingRoles(change);
  if (action.kind === "reject") {
    const approval: Approval = {
      role:
        action.actorRoles.find((role) => pending.includes(role)) ?? (action.actorRoles[0] as ApproverRole),
      userId: actorId,
      decision: "rejected",
      at,
      ...(action.reason && { reason: action.reason }),
    };
    const statusChange = statusStep(change, "rejected", actorId, at, action.reason);
    const rejected = { ...change, status: "rejected" as const, approvals: [...change.approvals, approval] };
    return done(rejected, "status:rejected", approval, statusChange);
  }
  const role = action.actorRoles.find((r) => pending.includes(r));
  if (!role) {
    const approvals = change.approvals.filter((a) => action.actorRoles.includes(a.role));
    return refuse({ kind: "role_approved", approvals, pending });
  }
  const approval: Approval = { role, userId: actorId, decision: "approved", at };
  const approved = { ...change, approvals: [...change.approvals, approval] };
  if (pendingRoles(approved).length > 0) return done(approved, `approval:${role}`, approval);
  const statusChange = statusStep(change, "approved", actorId, at);
  return done({ ...approved, status: "approved" }, `approval:${role}`, approval, statusChange);
}

function move(
  change: ChangeRequest,
  action: Extract<ChangeAction, { kind: "move" }>,
  actorId: string,
  at: Date,
  required: readonly ApproverRole[],
): ChangeStep {
  const { from, to } = CHANGE_MOVES[action.move];
  if (change.history.some((h) => h.to === to))
    return refuse({ kind: "already_moved", status: change.status });
  if (change.status !== from)
    return refuse({ kind: "wrong_status", move: action.move, status: change.status });
  if (actorId !== change.requesterId && action.actorRoles.length === 0)
    return refuse({ kind: "not_involved", roles: required });
  const statusChange = statusStep(change, to, actorId, at, action.reason);
  return done({ ...change, status: to }, `status:${to}`, undefined, statusChange);
}

function statusStep(
  change: ChangeRequest,
  to: ChangeStatus,
  actorId: string,
  at: Date,
  reason?: string,
): StatusChange {
  return { from: change.status, to, actorId, at, ...(reason && { reason }) };
}

function done(
  change: ChangeRequest,
  stepKey: string,
  approval?: Approval,
  statusChange?: StatusChange,
): ChangeStepDone {
  const history = statusChange ? [...change.history, statusChange] : change.history;
  return {
    ok: true,
    change: { ...change, history },
    stepKey,
    ...(approval && { approval }),
    ...(statusChange && { statusChange }),
  };
}

/** Whether a change touches any of the services (names compared case-insensitively). */
export function sharesService(changeServices: readonly string[], services: readonly string[]): boolean {
  const names = new Set(services.map((s) => s.toLowerCase()));
  return changeServices.some((s) => names.has(s.toLowerCase()));
}

/** What the people involved are told, as data; each has one view at the edge. */
export type ChangeNote =
  /** To each person of a required role: approve or reject, with buttons. */
  | { kind: "approval_request"; change: ChangeRequest; role: ApproverRole }
  /** An emergency, approved at once: the required and optional roles are told. */
  | { kind: "emergency_notice"; change: ChangeRequest; role: ApproverRole }
  /** To the requester: approved (with the next step's button) or rejected. */
  | { kind: "decided"; change: ChangeRequest }
  /** In an incident channel: a change being implemented on an affected service may be the cause. */
  | { kind: "possible_cause"; change: ChangeRequest; incidentNumber: number };
