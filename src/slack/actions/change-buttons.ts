import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { ChangeRequestAction } from "../../changes/changes.ts";
import type { AppContext } from "../../context.ts";
import { parseChangeKey } from "../../domain/change.ts";
import { actionValue } from "../action-value.ts";
import { answerChangeAction } from "../change-steps.ts";
import { CHANGE_ACTIONS } from "../ids.ts";
import { reply } from "../reply.ts";

type ButtonBody = BlockAction<ButtonAction>;

const BUTTON_ACTIONS: Record<keyof typeof CHANGE_ACTIONS, ChangeRequestAction> = {
  approve: { kind: "approve" },
  reject: { kind: "reject" },
  schedule: { kind: "move", move: "schedule" },
  start: { kind: "move", move: "start" },
  complete: { kind: "move", move: "complete" },
  fail: { kind: "move", move: "fail" },
};

/**
 * The change buttons (value: the change's number): Approve and Reject on an approval request, the next step
 * on a change's card. The clicked message is replaced by the outcome, so its buttons cannot be clicked twice;
 * a click that comes twice anyway is refused by the state machine and changes nothing.
 */
export function register(app: App, deps: AppContext): void {
  for (const [name, action] of Object.entries(BUTTON_ACTIONS)) {
    app.action<ButtonBody>(
      CHANGE_ACTIONS[name as keyof typeof CHANGE_ACTIONS],
      async ({ ack, body, client }) => {
        await ack();
        const ctx = { ...deps, client };
        const replyTo = { userId: body.user.id, responseUrl: body.response_url };
        const number = parseChangeKey(actionValue(body.actions[0]));
        const workspaceId = body.team?.id ?? body.user.team_id ?? "";
        if (number === undefined)
          return reply(ctx, replyTo, { text: "That change request is no longer valid." });
        await answerChangeAction(ctx, replyTo, { workspaceId, number }, body.user.id, action, {
          replaceOriginal: true,
        });
      },
    );
  }
}
