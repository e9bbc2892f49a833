import type { Incident } from "./incident.ts";
import { foldAccents } from "./text.ts";

/**
 * "Is this already being handled?" Before a new incident is declared, recent open incidents that share an
 * affected service or have a similar title are shown as likely duplicates. A warning, never a block.
 */

export type DuplicateReason = `shared service: ${string}` | `similar title (${number}%)`;

export interface DuplicateCandidate {
  title: string;
  affectedServices: readonly string[];
  declaredAt: Date;
}

/** What the check reads of an open incident. */
export type DuplicateCheckFields = Pick<Incident, "title" | "affectedServices" | "declaredAt" | "status">;

export interface DuplicateMatch<T extends DuplicateCheckFields = Incident> {
  incident: T;
  reasons: DuplicateReason[];
  /** Title similarity from 0 to 1. */
  titleSimilarity: number;
  /** For sorting: one point per shared service plus the title similarity. */
  score: number;
}

export interface DuplicateOptions {
  /** How far back before the candidate's declaration to look. Default two hours. */
  windowMs?: number;
  /** The title similarity (0–1) from which a title counts as similar, inclusive. Default 0.5. */
  titleSimilarity?: number;
}

export const DEFAULT_DUPLICATE_WINDOW_MS = 2 * 60 * 60 * 1000;
export const DEFAULT_TITLE_SIMILARITY = 0.5;

const STOP_WORDS = new Set(
  (
    "a an and are as at be been but by can for from has have in into is it its no not of on or our so " +
    "some than that the their there this to too was we were will with"
  ).split(" "),
);

/** The words of a title that carry meaning: lowercase, accents folded, no stop words or 1-letter tokens. */
export function titleTokens(title: string): Set<string> {
  return new Set(
    foldAccents(title)
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((token) => token.length >= 2 && !STOP_WORDS.has(token)),
  );
}

/**
 * Jaccard index of the two titles' token sets: shared words / all distinct words. Chosen over the overlap
 * coefficient (shared / smaller set) because that one scores any title containing a one-word title as 100%
 * ("Database" vs "Database backups slow"), and two titles sharing one generic word as 50% ("Login failing"
 * vs "Search failing"); Jaccard is symmetric and penalises what the titles do not share. Two titles with
 * no meaningful word at all score 0: there is no evidence they are the same.
 */
export function titleSimilarity(a: string, b: string): number {
  const left = titleTokens(a);
  const right = titleTokens(b);
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const token of left) if (right.has(token)) shared += 1;
  return shared / (left.size + right.size - shared);
}

const serviceKey = (service: string) => service.trim().toLowerCase();

/**
 * Open incidents declared in the window before (or at) the candidate's declaration that share a service
 * (compared case-insensitively, named as the existing incident spells it) or have a title at least
 * `titleSimilarity` similar; strongest first, then most recent.
 */
export function findLikelyDuplicates<T extends DuplicateCheckFields>(
  candidate: DuplicateCandidate,
  recentOpen: readonly T[],
  options: DuplicateOptions = {},
): DuplicateMatch<T>[] {
  const windowMs = options.windowMs ?? DEFAULT_DUPLICATE_WINDOW_MS;
  const threshold = options.titleSimilarity ?? DEFAULT_TITLE_SIMILARITY;
  const end = candidate.declaredAt.getTime();
  const start = end - windowMs;
  const wanted = new Set(candidate.affectedServices.map(serviceKey).filter((s) => s !== ""));

  const matches: DuplicateMatch<T>[] = [];
  for (const incident of recentOpen) {
    const at = incident.declaredAt.getTime();
    if (incident.status === "resolved" || at < start || at > end) continue;
    const seen = new Set<string>();
    const shared = incident.affectedServices.filter((service) => {
      const key = serviceKey(service);
      if (!wanted.has(key) || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const similarity = titleSimilarity(candidate.title, incident.title);
    const reasons: DuplicateReason[] = shared.map((s): DuplicateReason => `shared service: ${s.trim()}`);
    if (similarity >= threshold) reasons.push(`similar title (${Math.round(similarity * 100)}%)`);
    if (reasons.length === 0) continue;
    matches.push({ incident, reasons, titleSimilarity: similarity, score: shared.length + similarity });
  }
  return matches.sort(
    (a, b) => b.score - a.score || b.incident.declaredAt.getTime() - a.incident.declaredAt.getTime(),
  );
}
