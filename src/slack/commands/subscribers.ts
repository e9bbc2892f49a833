import { parseSubscribersCommand } from "../../domain/email.ts";
import { mayEditSubscribers } from "../../email/editors.ts";
import { changeSubscription, listSubscriptions } from "../../email/subscribers.ts";
import type { SlackContext } from "../context.ts";
import { reply } from "../reply.ts";
import {
  subscriberListText,
  subscribersProblemText,
  subscribersRefusalText,
  subscriptionChangeText,
} from "../views/subscribers.ts";
import type { SubcommandRequest } from "./incident-subcommands.ts";

/** `/incident subscribers add|remove <e-mail> <service…>` (by editors only: src/email/editors.ts) and `list`. */
export async function subscribersCommand(ctx: SlackContext, request: SubcommandRequest): Promise<void> {
  const command = parseSubscribersCommand(request.args);
  const say = (text: string) => reply(ctx, request.replyTo, { text });
  switch (command.kind) {
    case "invalid":
      return say(subscribersProblemText(command));
    case "list":
      return say(subscriberListText(await listSubscriptions(ctx)));
    default: {
      const permission = await mayEditSubscribers(ctx, request.workspaceId, request.userId);
      if (!permission.allowed) return say(subscribersRefusalText(permission.refusal));
      const result = await changeSubscription(ctx, command.kind, command.address, command.services);
      return say(subscriptionChangeText(command.kind, command.address, result));
    }
  }
}
