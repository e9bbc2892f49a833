/**
 * Reads again every `intervalMs` until `done` holds, for waiting on a write another request or process has
 * claimed but not finished (an acknowledgement, an escalation step, an incident being inserted). Returns the
 * first value that is done, or undefined when the attempts run out.
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { attempts, intervalMs }: { attempts: number; intervalMs: number },
): Promise<T | undefined> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const value = await read();
    if (done(value)) return value;
    if (attempt < attempts - 1) await new Promise((r) => setTimeout(r, intervalMs));
  }
  return undefined;
}
