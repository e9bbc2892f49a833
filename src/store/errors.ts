/**
 * A unique-index violation. MongoDB answers code 11000 for every write; FerretDB v1 does for inserts, but
 * reports one found by an update as InternalError (code 1) with SQLite's "UNIQUE constraint failed".
 */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    code === 11000 ||
    (code === 1 && typeof message === "string" && message.includes("UNIQUE constraint failed"))
  );
}
