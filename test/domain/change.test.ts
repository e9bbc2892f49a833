import { describe, expect, it } from "vitest";
import {
  type ChangeRequest,
  type ChangeStep,
  decideChange,
  parseChangeKey,
  pendingRoles,
  REQUIRED_ROLES,
  submittedChange,
} from "../../src/domain/change.ts";
import { parseChangeCommand } from "../../src/domain/change-commands.ts";

const AT = new Date("2026-11-23T09:00:00Z");
const LATER = new Date("2026-11-23T10:00:00Z");

function change(type: ChangeRequest["type"]): ChangeRequest {
  return submittedChange(
    {
      id: "T1:CHG-1",
      workspaceId: "T1",
      number: 1,
      requesterId: "U0ALICE",
      type,
      title: "Upgrade the orders database",
      description: "",
      risk: "medium",
      scheduledAt: LATER,
      affectedServices: ["orders"],
      rollbackPlan: "Restore the snapshot",
      testingPlan: "Ran it on staging",
    },
    AT,
  );
}

/** The change after a step that must succeed. */
function stepped(step: ChangeStep): ChangeRequest {
  if (!step.ok) throw new Error(`refused: ${step.refusal.kind}`);
  return step.change;
}

describe("the approval matrix", () => {
  it("submits a new request at once: draft, then submitted, waiting for its type's required roles", () => {
    const standard = change("standard");
    expect(standard.status).toBe("submitted");
    expect(standard.history.map((h) => h.to)).toEqual(["draft", "submitted"]);
    expect(pendingRoles(standard)).toEqual(["tech-lead", "product-owner"]);
    expect(pendingRoles(change("major"))).toEqual(["tech-lead", "product-owner", "manager", "security-team"]);
  });

  it("approves an emergency at once, by Firebreak, with the reason recorded", () => {
    const emergency = change("emergency");
    expect(emergency.status).toBe("approved");
    expect(emergency.history.at(-1)).toMatchObject({
      from: "submitted",
      to: "approved",
      actorId: "firebreak",
    });
  });

  it("lists every role some type requires, which the approver map must name", () => {
    expect(REQUIRED_ROLES).toEqual([
      "on-call-engineer",
      "tech-lead",
      "product-owner",
      "manager",
      "security-team",
    ]);
  });
});

describe("approving and rejecting", () => {
  it("needs both required approvers of a standard change, each recorded with who and when", () => {
    const first = decideChange(
      change("standard"),
      { kind: "approve", actorRoles: ["tech-lead"] },
      "U0BOB",
      LATER,
    );
    expect(stepped(first).status).toBe("submitted");
    expect(first.ok && first.stepKey).toBe("approval:tech-lead");
    const second = decideChange(
      stepped(first),
      { kind: "approve", actorRoles: ["product-owner"] },
      "U0CAROL",
      LATER,
    );
    expect(stepped(second).status).toBe("approved");
    expect(stepped(second).approvals).toEqual([
      { role: "tech-lead", userId: "U0BOB", decision: "approved", at: LATER },
      { role: "product-owner", userId: "U0CAROL", decision: "approved", at: LATER },
    ]);
    expect(stepped(second).history.at(-1)).toEqual({
      from: "submitted",
      to: "approved",
      actorId: "U0CAROL",
      at: LATER,
    });
  });

  it("refuses a second decision by the same person, someone with no role, and the requester", () => {
    const once = stepped(
      decideChange(change("standard"), { kind: "approve", actorRoles: ["tech-lead"] }, "U0BOB", AT),
    );
    const twice = decideChange(once, { kind: "approve", actorRoles: ["tech-lead"] }, "U0BOB", AT);
    expect(twice).toMatchObject({ ok: false, refusal: { kind: "already_decided" } });
    const stranger = decideChange(once, { kind: "approve", actorRoles: [] }, "U0EVE", AT);
    expect(stranger).toMatchObject({
      ok: false,
      refusal: { kind: "not_approver", roles: ["tech-lead", "product-owner"] },
    });
    const own = decideChange(once, { kind: "approve", actorRoles: ["product-owner"] }, "U0ALICE", AT);
    expect(own).toMatchObject({ ok: false, refusal: { kind: "own_change" } });
    const sameRole = decideChange(once, { kind: "approve", actorRoles: ["tech-lead"] }, "U0DAN", AT);
    expect(sameRole).toMatchObject({
      ok: false,
      refusal: { kind: "role_approved", pending: ["product-owner"] },
    });
  });

  it("ends a change on a reject: nothing can be approved or moved after it", () => {
    const rejected = stepped(
      decideChange(
        change("standard"),
        { kind: "reject", actorRoles: ["tech-lead"], reason: "No rollback" },
        "U0BOB",
        AT,
      ),
    );
    expect(rejected.status).toBe("rejected");
    expect(rejected.approvals[0]).toMatchObject({ decision: "rejected", reason: "No rollback" });
    expect(
      decideChange(rejected, { kind: "approve", actorRoles: ["product-owner"] }, "U0CAROL", AT),
    ).toMatchObject({
      ok: false,
      refusal: { kind: "not_awaiting_approval", status: "rejected" },
    });
    expect(
      decideChange(rejected, { kind: "move", move: "schedule", actorRoles: [] }, "U0ALICE", AT),
    ).toMatchObject({
      ok: false,
      refusal: { kind: "wrong_status", status: "rejected" },
    });
  });
});

describe("moving an approved change along", () => {
  it("goes approved → scheduled → implementing → completed, once each, by the requester or an approver", () => {
    const move = (
      c: ChangeRequest,
      m: "schedule" | "start" | "complete" | "fail",
      by = "U0ALICE",
      roles: [] | ["tech-lead"] = [],
    ) => decideChange(c, { kind: "move", move: m, actorRoles: roles }, by, LATER);
    const scheduled = stepped(move(change("emergency"), "schedule"));
    expect(scheduled.status).toBe("scheduled");
    expect(move(scheduled, "schedule")).toMatchObject({ ok: false, refusal: { kind: "already_moved" } });
    expect(move(scheduled, "complete")).toMatchObject({
      ok: false,
      refusal: { kind: "wrong_status", move: "complete" },
    });
    expect(move(scheduled, "start", "U0EVE")).toMatchObject({ ok: false, refusal: { kind: "not_involved" } });
    const implementing = stepped(move(scheduled, "start", "U0BOB", ["tech-lead"]));
    const completed = stepped(move(implementing, "complete"));
    expect(completed.history.map((h) => h.to)).toEqual([
      "draft",
      "submitted",
      "approved",
      "scheduled",
      "implementing",
      "completed",
    ]);
    expect(move(completed, "fail")).toMatchObject({ ok: false, refusal: { kind: "wrong_status" } });
  });

  it("cannot schedule a change still waiting for approval", () => {
    const step = decideChange(
      change("routine"),
      { kind: "move", move: "schedule", actorRoles: [] },
      "U0ALICE",
      AT,
    );
    expect(step).toMatchObject({ ok: false, refusal: { kind: "wrong_status", status: "submitted" } });
  });
});

describe("/change text", () => {
  it("reads sub-commands and change keys", () => {
    expect(parseChangeCommand("")).toEqual({ ok: true, value: { kind: "help" } });
    expect(parseChangeCommand("approve chg-12")).toEqual({
      ok: true,
      value: { kind: "approve", number: 12 },
    });
    expect(parseChangeCommand("fail CHG-3 the migration  timed out")).toEqual({
      ok: true,
      value: { kind: "move", move: "fail", number: 3, reason: "the migration timed out" },
    });
    expect(parseChangeCommand("deploy CHG-3")).toEqual({
      ok: true,
      value: { kind: "help", unknown: "deploy" },
    });
    expect(parseChangeKey("CHG-0")).toBeUndefined();
  });

  it("says what is wrong, with the usage", () => {
    const missing = parseChangeCommand("approve");
    expect(missing).toEqual({
      ok: false,
      error: "Which change? Name it like CHG-12.\nUsage: `/change approve CHG-12`",
    });
    const bad = parseChangeCommand("start INC-4");
    expect(bad.ok || bad.error).toContain('"INC-4" is not a change');
    const extra = parseChangeCommand("schedule CHG-4 tomorrow");
    expect(extra.ok || extra.error).toContain("takes nothing after it");
  });
});
