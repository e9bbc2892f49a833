import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppContext } from "../context.ts";
import { addressOfToken, unsubscribeByToken } from "../email/links.ts";
import type { Route } from "./server.ts";
import { escapeHtml } from "./status-html.ts";

/**
 * `/status/unsubscribe?token=…`, the link in every stakeholder e-mail. GET asks for a click (mail scanners
 * open links; they must not unsubscribe anyone); POST, from that button or a mail client's one-click
 * List-Unsubscribe (RFC 8058), unsubscribes.
 */

const PATH = "/status/unsubscribe";

function page(response: ServerResponse, status: number, title: string, body: string) {
  response.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  response.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body style="font-family: sans-serif; max-width: 40em; margin: 2em auto; padding: 0 1em">${body}</body></html>`,
  );
}

const tokenOf = (request: IncomingMessage) =>
  new URL(request.url ?? "/", "http://localhost").searchParams.get("token") ?? "";

const notOurs = (response: ServerResponse) =>
  page(
    response,
    400,
    "Link not recognised",
    "<h1>This unsubscribe link is not valid</h1><p>It may have been cut short: open the whole link from the e-mail, or ask the team that runs this status page to remove your address.</p>",
  );

export function emailUnsubscribeRoutes(ctx: Pick<AppContext, "config" | "store" | "clock">): Route[] {
  return [
    {
      method: "GET",
      path: PATH,
      handle: (request, response) => {
        const token = tokenOf(request);
        const address = addressOfToken(ctx, token);
        if (!address) return notOurs(response);
        page(
          response,
          200,
          "Unsubscribe",
          `<h1>Unsubscribe ${escapeHtml(address)}?</h1><p>You will no longer get e-mails about incidents.</p><form method="post" action="${escapeHtml(`${PATH}?token=${encodeURIComponent(token)}`)}"><button type="submit">Unsubscribe</button></form>`,
        );
      },
    },
    {
      method: "POST",
      path: PATH,
      handle: async (request, response) => {
        request.resume();
        const address = await unsubscribeByToken(ctx, tokenOf(request));
        if (!address) return notOurs(response);
        page(
          response,
          200,
          "Unsubscribed",
          `<h1>Unsubscribed</h1><p>${escapeHtml(address)} will no longer get e-mails about incidents.</p>`,
        );
      },
    },
  ];
}
