/**
 * Slack reads `&`, `<` and `>` as control characters in message text: `<!channel>` pings everyone and
 * `<https://evil|bank>` disguises a link. Every piece of user text goes through this before it is shown.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
