import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { emailAddress } from "../domain/email.ts";
import { addressOfToken, confirmByToken, requestSubscription, unsubscribeByToken } from "../email/links.ts";
import type { Route } from "./server.ts";
import { escapeHtml } from "./status-html.ts";

/**
 * The status page's e-mail links: `POST /status/subscribe` (the page's form) sends a confirmation link,
 * `/status/subscribe/confirm?token=…` subscribes, `/status/unsubscribe?token=…` (in every e-mail)
 * unsubscribes. Each link's GET asks for a click (mail scanners open links; they must change nothing);
 * its POST, from that button or a mail client's one-click List-Unsubscribe (RFC 8058), acts.
 */

const FORM_LIMIT_BYTES = 2_048;

function page(response: ServerResponse, status: number, title: string, body: string) {
  response.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  response.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body style="font-family: sans-serif; max-width: 40em; margin: 2em auto; padding: 0 1em">${body}<p><a href="/status">Back to the status page</a></p></body></html>`,
  );
}

const tokenOf = (request: IncomingMessage) =>
  new URL(request.url ?? "/", "http://localhost").searchParams.get("token") ?? "";

const notOurs = (response: ServerResponse) =>
  page(
    response,
    400,
    "Link not recognised",
    "<h1>This link is not valid</h1><p>It may have been cut short: open the whole link from the e-mail, or ask the team that runs this status page.</p>",
  );

/** The form's body, or undefined when it is too large to be one. */
async function readForm(request: IncomingMessage): Promise<URLSearchParams | undefined> {
  let text = "";
  for await (const chunk of request) {
    text += String(chunk);
    if (text.length > FORM_LIMIT_BYTES) return undefined;
  }
  return new URLSearchParams(text);
}

const subscribeForm = z.object({ email: emailAddress });

/** A link's two steps: GET shows `question` with a button; POST runs `act` and shows its answer. */
function linkRoutes(
  path: string,
  ask: (address: string) => string,
  act: (token: string) => Promise<string | undefined>,
  done: (address: string) => string,
  purpose: "subscribe" | "unsubscribe",
  ctx: Pick<AppContext, "config">,
): Route[] {
  return [
    {
      method: "GET",
      path,
      handle: (request, response) => {
        const token = tokenOf(request);
        const address = addressOfToken(ctx, purpose, token);
        if (!address) return notOurs(response);
        const action = escapeHtml(`${path}?token=${encodeURIComponent(token)}`);
        page(
          response,
          200,
          "E-mail updates",
          `${ask(address)}<form method="post" action="${action}"><button type="submit">Yes</button></form>`,
        );
      },
    },
    {
      method: "POST",
      path,
      handle: async (request, response) => {
        request.resume();
        const address = await act(tokenOf(request));
        if (!address) return notOurs(response);
        page(response, 200, "E-mail updates", done(address));
      },
    },
  ];
}

export function emailLinkRoutes(ctx: Pick<AppContext, "config" | "store" | "clock">): Route[] {
  const who = (address: string) => escapeHtml(address);
  return [
    {
      method: "POST",
      path: "/status/subscribe",
      handle: async (request, response) => {
        const form = await readForm(request);
        const parsed = subscribeForm.safeParse({ email: form?.get("email") ?? "" });
        if (!parsed.success)
          return page(
            response,
            400,
            "Not an e-mail address",
            "<h1>That is not an e-mail address</h1><p>Go back and check the address you typed.</p>",
          );
        const pageUrl = ctx.config.statusPage.url ?? `http://${request.headers.host ?? "localhost"}/status`;
        await requestSubscription(ctx, parsed.data.email, pageUrl);
        page(
          response,
          202,
          "Check your inbox",
          `<h1>Check your inbox</h1><p>We sent a link to ${who(parsed.data.email)}: open it to confirm.</p>`,
        );
      },
    },
    ...linkRoutes(
      "/status/subscribe/confirm",
      (address) => `<h1>Get e-mail about incidents at ${who(address)}?</h1>`,
      (token) => confirmByToken(ctx, token),
      (address) => `<h1>Subscribed</h1><p>${who(address)} will get an e-mail about each incident.</p>`,
      "subscribe",
      ctx,
    ),
    ...linkRoutes(
      "/status/unsubscribe",
      (address) =>
        `<h1>Unsubscribe ${who(address)}?</h1><p>You will no longer get e-mails about incidents.</p>`,
      (token) => unsubscribeByToken(ctx, token),
      (address) => `<h1>Unsubscribed</h1><p>${who(address)} will no longer get e-mails about incidents.</p>`,
      "unsubscribe",
      ctx,
    ),
  ];
}
