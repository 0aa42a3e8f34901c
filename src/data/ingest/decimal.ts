/**
 * Strict decimal numbers for source fields. Number() also reads "0x29" (= 41), "0b101", "0o17", "Infinity" and
 * an empty string (= 0); an incident file means none of those, so they must be rejects, not coordinates.
 */
export function parseDecimal(s: string): number {
  let i = 0, end = s.length;
  while (i < end && s.charCodeAt(i) <= 32) i++;
  while (end > i && s.charCodeAt(end - 1) <= 32) end--;
  let j = i;
  let c = s.charCodeAt(j);
  if (c === 43 || c === 45) j++; // + -
  let digits = 0;
  while (j < end && (c = s.charCodeAt(j)) >= 48 && c <= 57) { j++; digits++; }
  if (j < end && s.charCodeAt(j) === 46) { // .
    j++;
    while (j < end && (c = s.charCodeAt(j)) >= 48 && c <= 57) { j++; digits++; }
  }
  if (digits === 0) return NaN;
  if (j < end && (s.charCodeAt(j) | 32) === 101) { // e E
    j++;
    c = s.charCodeAt(j);
    if (c === 43 || c === 45) j++;
    let exp = 0;
    while (j < end && (c = s.charCodeAt(j)) >= 48 && c <= 57) { j++; exp++; }
    if (exp === 0) return NaN;
  }
  return j === end ? Number(s.slice(i, end)) : NaN;
}
