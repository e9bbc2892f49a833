import { ALL_SERVICES, SUBSCRIBERS_USAGE, type SubscribersCommand } from "../../domain/email.ts";
import type { EditRefusal } from "../../email/editors.ts";
import type { SubscriberList, SubscriptionChange } from "../../email/subscribers.ts";
import { escapeMrkdwn } from "../mrkdwn.ts";
import { groupMention, mention } from "./blocks.ts";

/** The answers to `/incident subscribers …`, shown only to whoever typed it. */

const names = (items: readonly string[]) => items.map((item) => `*${escapeMrkdwn(item)}*`).join(", ");

export function subscribersProblemText(command: Extract<SubscribersCommand, { kind: "invalid" }>): string {
  const given = escapeMrkdwn(command.given);
  switch (command.problem) {
    case "unknown":
      return `I don't understand \`${given}\`. Use ${SUBSCRIBERS_USAGE}.`;
    case "missing_address":
      return `Which e-mail address? Use ${SUBSCRIBERS_USAGE}.`;
    case "bad_address":
      return `\`${given}\` is not an e-mail address. Use ${SUBSCRIBERS_USAGE}.`;
    case "missing_service":
      return `Which services should ${given} hear about? Use ${SUBSCRIBERS_USAGE}.`;
  }
}

export function subscriptionChangeText(
  action: "add" | "remove",
  address: string,
  result: SubscriptionChange,
): string {
  if (!result.ok) {
    const hint = result.suggestions.length > 0 ? ` Did you mean ${names(result.suggestions)}?` : "";
    return `I don't know the service *${escapeMrkdwn(result.unknownService)}*.${hint} Nothing was changed.`;
  }
  const who = escapeMrkdwn(address);
  const lines: string[] = [];
  if (result.changed.length > 0)
    lines.push(
      action === "add"
        ? `:white_check_mark: ${who} will get an e-mail about public incidents of ${names(result.changed)}.`
        : `:white_check_mark: ${who} will no longer get e-mails about ${names(result.changed)}.`,
    );
  if (result.unchanged.length > 0)
    lines.push(
      action === "add"
        ? `${who} was already subscribed to ${names(result.unchanged)}.`
        : `${who} was not subscribed to ${names(result.unchanged)}.`,
    );
  return lines.join("\n");
}

/** The answer to someone who may not change the lists: who may, and that listing is still theirs. */
export function subscribersRefusalText(refusal: EditRefusal): string {
  const list = "`/incident subscribers list` still shows who gets them.";
  if (refusal.kind === "membership_unknown")
    return `I could not check who is in ${groupMention(refusal.groupId)}, so nothing was changed. Please try again in a minute (ref ${refusal.ref}).`;
  const others = [
    ...(refusal.editors?.userIds.map(mention) ?? []),
    ...(refusal.editors?.groupIds.map((id) => `members of ${groupMention(id)}`) ?? []),
  ];
  const who = ["the commander of an open incident", ...others];
  const anyOf = who.length > 1 ? `${who.slice(0, -1).join(", ")} or ${who.at(-1)}` : who.join("");
  return `Only ${anyOf} can change who is e-mailed about incidents: ask one of them, or whoever runs Firebreak to add you to EMAIL_EDITORS. Nothing was changed. ${list}`;
}

export function subscriberListText(list: SubscriberList): string {
  const lines = [
    list.sending
      ? "*E-mail subscribers* (public incidents: declaration, public updates, resolution)"
      : "*E-mail subscribers* — e-mail is off until `SMTP_URL` is set",
    `• Every service: ${list.defaults.length > 0 ? list.defaults.map(escapeMrkdwn).join(", ") : "nobody"}`,
    ...list.services.map(
      ({ service, addresses }) =>
        `• ${service === ALL_SERVICES ? "Every service (from the status page)" : `*${escapeMrkdwn(service)}*`}: ${addresses.map(escapeMrkdwn).join(", ")}`,
    ),
  ];
  return lines.join("\n");
}
