/**
 * Waits for work the app does after it acks (acking first is the point), by polling a probe of the fake's
 * or the database's state. This waits for an outcome; it never stands in for a clock.
 */
export async function eventually<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
): Promise<T> {
  for (let attempt = 0; attempt < 250; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}
