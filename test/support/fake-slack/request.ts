/** Reading Web API requests the way Slack does: form-encoded, JSON or multipart bodies. */
import type { IncomingMessage } from "node:http";
import { type Args, SlackError } from "./methods/common.ts";

/** Arguments that clients send as JSON strings inside form-encoded bodies (@slack/web-api does so). */
const JSON_FIELDS = ["blocks", "attachments", "view", "files", "metadata"];

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function multipart(contentType: string, body: Buffer): Promise<FormData> {
  return new Request("http://fake-slack.invalid/", {
    method: "POST",
    headers: { "content-type": contentType },
    body,
  }).formData();
}

/** Query string and body arguments; a malformed JSON body is Slack's `invalid_json`. */
export async function parseArgs(contentType: string, body: Buffer, query: URLSearchParams): Promise<Args> {
  const args: Args = Object.fromEntries(query);
  if (contentType.startsWith("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString() || "{}");
    } catch {
      throw new SlackError("invalid_json");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw new SlackError("invalid_json");
    Object.assign(args, parsed);
  } else if (contentType.startsWith("multipart/form-data")) {
    for (const [key, value] of await multipart(contentType, body)) {
      args[key] = typeof value === "string" ? value : Buffer.from(await value.arrayBuffer());
    }
  } else {
    Object.assign(args, Object.fromEntries(new URLSearchParams(body.toString())));
  }
  for (const key of JSON_FIELDS) {
    const value = args[key];
    if (typeof value !== "string") continue;
    try {
      args[key] = JSON.parse(value);
    } catch {
      // Left as sent: the handler answers with its own error for a malformed argument.
    }
  }
  return args;
}

/** The bytes POSTed to an upload URL: raw, or the first part of a multipart form (what @slack/web-api sends). */
export async function uploadedBytes(contentType: string, body: Buffer): Promise<Buffer> {
  if (!contentType.startsWith("multipart/form-data")) return body;
  const [first] = (await multipart(contentType, body)).values();
  if (first === undefined) return Buffer.alloc(0);
  return typeof first === "string" ? Buffer.from(first) : Buffer.from(await first.arrayBuffer());
}
