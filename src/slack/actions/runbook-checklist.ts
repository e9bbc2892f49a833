import type { App, BlockAction, CheckboxesAction } from "@slack/bolt";
import type { AppContext } from "../../context.ts";
import { checkItem } from "../../runbooks/checklists.ts";
import { reply } from "../reply.ts";
import { isTicked, parseCheckboxBlockId, RUNBOOK_CHECK_ACTION } from "../views/runbook-checklist.ts";

type CheckboxBody = BlockAction<CheckboxesAction>;

/**
 * A runbook checklist's checkboxes: each names one item (its block_id), and its state after the click says
 * ticked or unticked. The posted checklist is then edited to show who ticked what (queued, in the use case).
 */
export function register(app: App, deps: AppContext): void {
  app.action<CheckboxBody>({ action_id: RUNBOOK_CHECK_ACTION }, async ({ ack, body, action, client }) => {
    await ack();
    const ctx = { ...deps, client };
    const replyTo = { userId: body.user.id, responseUrl: body.response_url };
    const ref = parseCheckboxBlockId(action.block_id);
    const change = ref
      ? await checkItem(ctx, {
          ...ref,
          userId: body.user.id,
          checked: isTicked(action.selected_options),
          clickKey: action.action_ts,
        })
      : undefined;
    if (!change?.ok)
      await reply(ctx, replyTo, {
        text: "That checklist item no longer exists. `/incident runbook` shows the incident's checklist as it is now.",
      });
  });
}
