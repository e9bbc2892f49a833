import { randomInt } from "node:crypto";

/** Letters and digits that cannot be misread for one another (no 0/O, 1/I/L). */
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/**
 * A short reference (e.g. `7KQ2M9`) for a failure: the person is shown it next to a plain sentence, and
 * the log line that holds the detail carries it too, so whoever is asked for help finds that line.
 */
export function newReference(): string {
  return Array.from({ length: 6 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
}
