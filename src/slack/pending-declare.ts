import { z } from "zod";
import type { DuplicateMatch } from "../domain/duplicates.ts";
import { SEVERITIES } from "../domain/incident.ts";
import { truncate } from "../domain/text.ts";
import { type DeclareInput, requestDeclare } from "../incidents/declare.ts";
import type { ReplyTarget } from "../notifier.ts";
import type { SlackContext } from "./context.ts";
import { reply } from "./reply.ts";

/**
 * A declaration held back by the duplicate warning, carried in the "Declare anyway" button's value (≤ 2000
 * characters) or the warning modal's private_metadata (≤ 3000), and parsed back like any outside input.
 */
const pendingDeclareSchema = z.object({
  workspaceId: z.string(),
  declareKey: z.string(),
  title: z.string().max(150),
  description: z.string().max(3000),
  severity: z.enum(SEVERITIES),
  services: z.array(z.string().max(80)).max(50),
  reporterId: z.string(),
  commanderId: z.string().optional(),
  isPrivate: z.boolean(),
  drill: z.boolean().optional(),
  type: z.string().max(64).optional(),
  publish: z.boolean().optional(),
  linkedNumbers: z.array(z.number().int()).max(10),
  reply: z.object({ userId: z.string(), responseUrl: z.url().optional() }).optional(),
});
export type PendingDeclare = z.infer<typeof pendingDeclareSchema>;

/** Slack's limits for where the pending declaration travels. */
export const MAX_BUTTON_VALUE = 2000;
export const MAX_PRIVATE_METADATA = 3000;

/**
 * The pending declaration as JSON of at most `maxLength` characters. A form's description (up to 3000) and
 * services can make it longer than Slack takes; then the description is cut, and services dropped from the
 * end as a last resort, so the warning can still be shown.
 */
export function encodePendingDeclare(
  input: DeclareInput,
  duplicates: readonly DuplicateMatch[],
  replyTo?: ReplyTarget,
  maxLength = MAX_BUTTON_VALUE,
): string {
  const pending: PendingDeclare = {
    workspaceId: input.workspaceId,
    // A new key: "declare anyway" is a new request, and its own retries must still be one incident.
    declareKey: `anyway:${input.declareKey}`,
    title: input.title,
    description: input.description,
    severity: input.severity,
    services: input.services,
    reporterId: input.reporterId,
    commanderId: input.commanderId,
    isPrivate: input.isPrivate,
    drill: input.drill,
    type: input.type,
    publish: input.publish,
    linkedNumbers: duplicates.slice(0, 10).map((match) => match.incident.number),
    reply: replyTo,
  };
  let json = JSON.stringify(pending);
  while (json.length > maxLength) {
    const over = json.length - maxLength;
    const description = Array.from(pending.description);
    if (description.length > 0) {
      const keep = description.length - over - 1;
      pending.description = keep > 0 ? truncate(pending.description, keep + 1) : "";
    } else if (pending.services.length > 0) {
      pending.services = pending.services.slice(0, -1);
    } else {
      break;
    }
    json = JSON.stringify(pending);
  }
  return json;
}

function decodePendingDeclare(raw: string): PendingDeclare | undefined {
  try {
    const parsed = pendingDeclareSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * "Declare anyway", from the warning's button or its modal: declares what was held back, without the
 * duplicate check, if the one who clicked is the one who asked.
 */
export async function declareAnyway(
  ctx: SlackContext,
  raw: string,
  userId: string,
  replyTo: ReplyTarget,
): Promise<void> {
  const pending = decodePendingDeclare(raw);
  if (!pending || pending.reporterId !== userId)
    return reply(ctx, replyTo, { text: "That declaration has expired. Please declare again." });
  const { reply: pendingReply, ...input } = pending;
  await requestDeclare(ctx, input, { replyTo: pendingReply ?? replyTo });
}
