/** Small, pure text helpers shared by the domain modules: plain string work only. */

/** Letters NFKD does not take apart, spelled the way people would type them without the accent. */
const LIGATURES: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  Æ: "AE",
  œ: "oe",
  Œ: "OE",
  ø: "o",
  Ø: "O",
  đ: "d",
  Đ: "D",
  ł: "l",
  Ł: "L",
  þ: "th",
  Þ: "TH",
  ı: "i",
};

/** "Café Größe" → "Cafe Grosse": accents dropped via NFKD, a few ligatures spelled out; the rest untouched. */
export function foldAccents(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[ßæÆœŒøØđĐłŁþÞı]/g, (ch) => LIGATURES[ch] ?? ch);
}

/** Collapses every run of whitespace (newlines included) to one space and trims: for one-line displays. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Cuts text to at most `max` characters, ending with "…" when cut (never splits a surrogate pair). */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars
    .slice(0, Math.max(0, max - 1))
    .join("")
    .trimEnd()}…`;
}
