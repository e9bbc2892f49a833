/**
 * The service catalog, while there is none in the database: an optional list of known service names from
 * the configuration. Unset, any name is accepted as typed. Pure: no I/O.
 */

/** "checkout, payments-api" → the names, trimmed, empty ones and repeats (case-insensitive) left out. */
export function parseServiceList(text: string | undefined): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const part of (text ?? "").split(",")) {
    const name = part.trim();
    if (name === "" || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    names.push(name);
  }
  return names;
}

export type ServiceLookup = { ok: true; name: string } | { ok: false; suggestions: string[] };

/** Edit distance (Levenshtein), for "did you mean": names here are short, so the quadratic table is fine. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * A service by name, as the catalog spells it (case-insensitive). An empty catalog accepts any name. An
 * unknown name comes back with up to three close names: those containing it or within a third of its length
 * in edits, closest first.
 */
export function lookupService(catalog: readonly string[], typed: string): ServiceLookup {
  const name = typed.trim();
  if (catalog.length === 0) return { ok: true, name };
  const wanted = name.toLowerCase();
  const exact = catalog.find((known) => known.toLowerCase() === wanted);
  if (exact) return { ok: true, name: exact };
  const allowed = Math.max(1, Math.floor(wanted.length / 3));
  const suggestions = catalog
    .map((known) => ({ known, edits: distance(known.toLowerCase(), wanted) }))
    .filter(({ known, edits }) => edits <= allowed || known.toLowerCase().includes(wanted))
    .sort((a, b) => a.edits - b.edits)
    .slice(0, 3)
    .map(({ known }) => known);
  return { ok: false, suggestions };
}
