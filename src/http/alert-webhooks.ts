import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { correlationId } from "../correlation.ts";
import type { IncomingAlert } from "../domain/alert.ts";
import { ALERT_SOURCE_NAMES, ALERT_SOURCES, isAlertSourceName } from "../domain/alert-sources/index.ts";
import type { Logger } from "../logger.ts";
import type { Route, RouteParams } from "./server.ts";
import { sendJson } from "./server.ts";

/**
 * `POST /webhooks/alerts/:source`: monitoring systems (Alertmanager, Grafana, or anything speaking the generic
 * format) hand alerts to Firebreak here. Checks, in order, each answered before any later work is done:
 *
 *   404  unknown source, or no secret configured for it (a source without a secret is off, never open)
 *   401  no valid credentials: `Authorization: Bearer <secret>` (checked before the body is read), or
 *        `X-Firebreak-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the secret>`
 *   415  not JSON;  413  body over 256 KB (content-length first, then counted while reading)
 *   400  malformed JSON, or a body the source's schema refuses (every problem listed with its path)
 *   202  { accepted } once `onAlerts` has stored them (their Slack work is queued, not awaited);
 *        503 when it throws, so the sender retries, with the `ref` of the log line holding the detail
 *        (Alertmanager and Grafana retry on 5xx, not on 4xx)
 *
 * Nothing reaches `onAlerts` unless every check passed.
 */

export const ALERT_WEBHOOK_PATH = "/webhooks/alerts/:source";
export const MAX_ALERT_BODY_BYTES = 256 * 1024;
export const SIGNATURE_HEADER = "x-firebreak-signature";

export interface AlertWebhookDeps {
  /** Secret per source name; a source without one answers 404. */
  secrets: Partial<Record<string, string>>;
  /**
   * Takes validated alerts: stores and deduplicates them and queues their Slack work, without waiting for
   * Slack, so the 202 comes in the time the database takes. Throwing means "retry later".
   */
  onAlerts: (alerts: IncomingAlert[]) => Promise<{ accepted: number }>;
  logger: Logger;
}

/** The header value a sender puts in `X-Firebreak-Signature` for `body`. */
export function signBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Equal-length digests compared in constant time, so neither the content nor the length of a guess leaks. */
function sameSecret(given: string, secret: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(digest(given), digest(secret));
}

function bearerToken(request: IncomingMessage): string | undefined {
  return /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.authorization ?? "")?.[1];
}

type SignatureCheck = "valid" | "malformed" | "mismatch";

function checkSignature(header: string, secret: string, body: Buffer): SignatureCheck {
  const hex = /^sha256=([0-9a-f]{64})$/i.exec(header.trim())?.[1];
  if (!hex) return "malformed";
  const expected = createHmac("sha256", secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(hex, "hex")) ? "valid" : "mismatch";
}

function isJson(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
  return mediaType === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

type BodyRead = { ok: true; body: Buffer } | { ok: false };

/** Collects the body until it passes `limit` bytes; then stops reading at once and gives up. */
function readBody(request: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", fail);
      request.off("aborted", onAborted);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop();
        request.pause();
        done({ ok: false });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      done({ ok: true, body: Buffer.concat(chunks) });
    };
    const onAborted = () => {
      stop();
      fail(new Error("request aborted while reading the body"));
    };
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", fail);
    request.on("aborted", onAborted);
  });
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false; error: string } {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return { ok: false, error: "body is not valid UTF-8" };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `body is not valid JSON: ${(error as Error).message}` };
  }
}

function secretVariable(source: string): string {
  return `ALERT_WEBHOOK_SECRET_${source.toUpperCase()}`;
}

const CREDENTIALS_HELP =
  "send Authorization: Bearer <secret>, or X-Firebreak-Signature: sha256=<hex HMAC-SHA256 of the body>";

export function alertWebhookRoutes(deps: AlertWebhookDeps): Route[] {
  const { secrets, onAlerts, logger } = deps;

  const handle = async (request: IncomingMessage, response: ServerResponse, params: RouteParams) => {
    const source = params.source ?? "";
    const log = logger.child({ webhook: "alerts", source: source.slice(0, 50) });
    const refuse = (status: number, error: string, headers: Record<string, string> = {}) => {
      for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
      log.warn({ status, reason: error }, "alert webhook refused");
      sendJson(response, status, { error });
    };

    if (!isAlertSourceName(source))
      return refuse(
        404,
        `unknown alert source "${source.slice(0, 50)}"; known sources: ${ALERT_SOURCE_NAMES.join(", ")}`,
      );
    const secret = Object.hasOwn(secrets, source) ? secrets[source] : undefined;
    if (!secret)
      return refuse(
        404,
        `the ${source} alert webhook is disabled: set ${secretVariable(source)} (or ALERT_WEBHOOK_SECRET for every source) to enable it`,
      );

    // A right bearer token is enough, before reading anything; otherwise a signature has to be there.
    const bearer = bearerToken(request);
    const bearerValid = bearer !== undefined && sameSecret(bearer, secret);
    const signature = request.headers[SIGNATURE_HEADER];
    const signatureHeader = Array.isArray(signature) ? signature.join(",") : signature;
    const unauthorized = { "www-authenticate": 'Bearer realm="firebreak"' };
    if (!bearerValid && signatureHeader === undefined)
      return refuse(
        401,
        bearer === undefined
          ? `missing credentials: ${CREDENTIALS_HELP}`
          : "wrong bearer token: it does not match the secret configured for this source",
        unauthorized,
      );

    if (!isJson(request.headers["content-type"])) return refuse(415, "content-type must be application/json");
    const tooLarge = `body is larger than ${MAX_ALERT_BODY_BYTES / 1024} KB`;
    // Closing the connection stops the server reading the rest of an oversized upload.
    const close = { connection: "close" };
    const declared = Number(request.headers["content-length"]);
    if (Number.isFinite(declared) && declared > MAX_ALERT_BODY_BYTES) return refuse(413, tooLarge, close);
    const read = await readBody(request, MAX_ALERT_BODY_BYTES);
    if (!read.ok) return refuse(413, tooLarge, close);

    if (!bearerValid) {
      const check = checkSignature(signatureHeader ?? "", secret, read.body);
      if (check === "malformed")
        return refuse(401, "X-Firebreak-Signature must be sha256=<64 hex digits>", unauthorized);
      if (check === "mismatch")
        return refuse(401, "signature does not match the body and the secret for this source", unauthorized);
    }

    const json = parseJson(read.body);
    if (!json.ok) return refuse(400, json.error);
    const parsed = ALERT_SOURCES[source](json.value);
    if (!parsed.ok) return refuse(400, `invalid ${source} payload: ${parsed.error}`);
    if (parsed.alerts.length === 0) return sendJson(response, 202, { accepted: 0 });

    let accepted: number;
    try {
      ({ accepted } = await onAlerts(parsed.alerts));
    } catch (error) {
      log.error({ err: error, alerts: parsed.alerts.length }, "could not take alerts");
      response.setHeader("retry-after", "30");
      // The request's correlation id finds the line above, which holds the detail.
      return sendJson(response, 503, {
        error: "could not take the alerts right now; retry later",
        ref: correlationId(),
      });
    }
    log.info({ received: parsed.alerts.length, accepted }, "alerts received");
    sendJson(response, 202, { accepted });
  };

  return [{ method: "POST", path: ALERT_WEBHOOK_PATH, handle }];
}
