import { z } from "zod";

const withValue = z.object({ value: z.string() });

/**
 * A clicked element's `value` (the id a button carries), read like any outside input: "" when it is missing
 * or is not a string, so a tampered payload is refused as "no longer exists" rather than failing a listener.
 */
export function actionValue(action: unknown): string {
  const parsed = withValue.safeParse(action);
  return parsed.success ? parsed.data.value : "";
}
