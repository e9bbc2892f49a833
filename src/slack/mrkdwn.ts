/**
 * Slack reads `&`, `<` and `>` as control characters in message text: `<!channel>` pings everyone and
 * `<https://evil|bank>` disguises a link. Every piece of user text goes through this before it is shown.
 * The rule itself is pure text, so it lives in the domain, where templates use it too.
 */
export { escapeForSlack as escapeMrkdwn } from "../domain/text.ts";
