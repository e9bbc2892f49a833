import { ALL_SERVICES, SUBSCRIBERS_USAGE, type SubscribersCommand } from "../../domain/email.ts";
import type { SubscriberList, SubscriptionChange } from "../../email/subscribers.ts";
import { escapeMrkdwn } from "../mrkdwn.ts";

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
