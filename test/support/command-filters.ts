/** Reading the filters out of MongoDB wire commands, for the checks that count what a code path scans. */

/** The filters a command carries (one per statement of an update or delete). */
export function filtersOf(name: string, command: Record<string, unknown>): Record<string, unknown>[] {
  const asFilter = (value: unknown) => (value ?? {}) as Record<string, unknown>;
  switch (name) {
    case "find":
    case "count":
      return [asFilter(command.filter ?? command.query)];
    case "findAndModify":
      return [asFilter(command.query)];
    case "update":
      return (command.updates as { q: unknown }[]).map((u) => asFilter(u.q));
    case "delete":
      return (command.deletes as { q: unknown }[]).map((d) => asFilter(d.q));
    case "aggregate":
      return [{ $aggregate: command.pipeline }];
    default:
      return [];
  }
}

/**
 * `{ _id: <a value> }` and nothing else: FerretDB pushes a filter down to its `_id` index only when `_id` is
 * its one field, so an equality guard beside it (`{ _id, state: "open" }`) scans the whole collection.
 */
export function isIdLookup(filter: Record<string, unknown>): boolean {
  const id = filter._id;
  if (id === undefined || Object.keys(filter).length !== 1) return false;
  const isOperator = typeof id === "object" && id !== null && Object.keys(id).some((k) => k.startsWith("$"));
  return !isOperator;
}
