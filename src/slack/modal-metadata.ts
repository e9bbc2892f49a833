import { z } from "zod";
import { replyTargetSchema } from "./reply.ts";

/**
 * The private_metadata of every incident modal: which incident it is about and whom to answer. Slack hands
 * it back untouched, but it is parsed like any other input so a stale or foreign view fails clearly.
 */
export const incidentModalMetadataSchema = z.object({ incidentId: z.string(), reply: replyTargetSchema });

export function encodeMetadata(value: unknown): string {
  return JSON.stringify(value);
}

export function decodeMetadata<T>(schema: z.ZodType<T>, raw: string): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
