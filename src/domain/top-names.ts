/** The largest of some named counts (sources, services), as the reports list them. */

export interface CountedName {
  name: string;
  count: number;
}

export const TOP_NAMES = 5;

/** The `limit` largest counts, ties by name. */
export function topNames(counts: Record<string, number>, limit = TOP_NAMES): CountedName[] {
  return Object.entries(counts)
    .map(([name, count]) => ({ name, count }))
    .filter((c) => c.count > 0)
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
    .slice(0, limit);
}
