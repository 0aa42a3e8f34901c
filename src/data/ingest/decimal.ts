/**
 * Strict decimal numbers for source fields. Number() also reads "0x29" (= 41), "0b101", "0o17", "Infinity" and
 * an empty string (= 0); an incident file means none of those, so they must be rejects, not coordinates.
 */
export function parseDecimal(s: string): number {
  const v = Number(s);
  if (!Number.isFinite(v)) return NaN;
  // Number() accepted it: what remains to refuse is a text without digits ("", " ") or with letters other than
  // an exponent's e (the 0x/0b/0o prefixes); one pass over the char codes, no allocation
  let digit = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digit = true;
    else if ((c | 32) >= 97 && (c | 32) <= 122 && (c | 32) !== 101) return NaN;
  }
  return digit ? v : NaN;
}
