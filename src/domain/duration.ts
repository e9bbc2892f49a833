const UNITS = [
  { name: "d", ms: 86_400_000 },
  { name: "h", ms: 3_600_000 },
  { name: "min", ms: 60_000 },
  { name: "s", ms: 1_000 },
] as const;

/**
 * "45 s", "12 min", "1 h 12 min", "3 d 4 h": the largest non-zero unit and the one right below it, each
 * rounded down, the second left out when zero ("1 d 0 h 5 min" is "1 d", not "1 d 5 min": past a day,
 * minutes are noise). Under a second is "0 s". A negative or non-finite duration is a bug: it throws.
 */
export function humanDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(`humanDuration needs a duration ≥ 0 ms, got ${ms}`);
  const index = UNITS.findIndex((unit) => ms >= unit.ms);
  if (index === -1) return "0 s";
  const parts: string[] = [];
  let rest = ms;
  for (const unit of UNITS.slice(index, index + 2)) {
    const count = Math.floor(rest / unit.ms);
    rest -= count * unit.ms;
    if (count > 0) parts.push(`${count} ${unit.name}`);
  }
  return parts.join(" ");
}
