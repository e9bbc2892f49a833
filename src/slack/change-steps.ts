import { actOnChange, type ChangeRequestAction } from "../changes/changes.ts";
import type { ReplyTarget } from "../notifier.ts";
import { changeId } from "../store/changes.ts";
import type { SlackContext } from "./context.ts";
import { reply } from "./reply.ts";
import {
  approverLookupFailedText,
  changeCardMessage,
  changeRefusalText,
  changeStepLine,
  noSuchChangeText,
} from "./views/change.ts";

/** Runs an action on a change (by command or button) and answers with what happened and the card. */
export async function answerChangeAction(
  ctx: SlackContext,
  replyTo: ReplyTarget,
  change: { workspaceId: string; number: number },
  userId: string,
  action: ChangeRequestAction,
  options: { replaceOriginal?: boolean } = {},
): Promise<void> {
  const { number } = change;
  const result = await actOnChange(ctx, changeId(change.workspaceId, number), userId, action, {
    clickedRequest: options.replaceOriginal === true,
  });
  if (!result.ok) {
    const text =
      result.reason === "not_found" ? noSuchChangeText(number) : approverLookupFailedText(result.ref);
    return reply(ctx, replyTo, { text });
  }
  const { step } = result;
  if (!step.ok) return reply(ctx, replyTo, { text: changeRefusalText(number, step.refusal) });
  await reply(ctx, replyTo, { ...changeCardMessage(step.change, changeStepLine(step)), ...options });
}
