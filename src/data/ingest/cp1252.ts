/**
 * Node 20's TextDecoder reads 'windows-1252' (and 'latin1', which the Encoding Standard maps to it) as ISO-8859-1:
 * bytes 0x80–0x9F come out as C1 control characters instead of €, ‚, „, …, ‘, ’, “, ”, –, — and the rest, which
 * is what those bytes mean in files exported from Windows tools. This maps them as the Encoding Standard's
 * windows-1252 table does (its five unassigned bytes stay U+0081, U+008D, U+008F, U+0090, U+009D).
 */
const HIGH = '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';
const C1 = /[\u0080-\u009f]/g;

/** Text decoded as ISO-8859-1 → the same bytes read as windows-1252. */
export function fixCp1252(s: string): string {
  C1.lastIndex = 0;
  return C1.test(s) ? s.replace(C1, (c) => HIGH[c.charCodeAt(0) - 0x80]) : s;
}
