// AssemblyScript source of the CSV kernel embedded in csv-kernel.ts (not compiled by tsc: excluded in tsconfig).
// Rebuild: npm run build:csv-kernel (compiles with assemblyscript and rewrites the base64 in csv-kernel.ts).
//
// Two passes over one chunk of ASCII text (one byte per character, so byte offsets are the character offsets the
// JS side uses):
//   tokenize  — the same record and field boundaries as tokenizeText in csv-tokenizer.ts, statement for statement
//               (quotes, "" escapes, junk after a closing quote, runaway quotes, CRLF / lone CR, blank lines).
//   preparse  — for each record, the values the JS reader would parse from its spans, where they are plain: the time
//               (as scan in time-parse.ts), two coordinates (as parseDecimalIn after trim in field-range.ts) and the
//               category's raw spelling as a small integer. Anything outside those fast paths is left unflagged,
//               and the JS reader reads that record itself. Results only ever speed up what JS would compute.

const LF: i32 = 10, CR: i32 = 13, QUOTE: i32 = 34;
const MAX_QUOTED_LINES: i32 = 100;
const MAX_QUOTED_CHARS: i32 = 1 << 20;

@inline function ch(text: usize, i: i32): i32 { return <i32>load<u8>(text + <usize>i); }

/** Start of the memory the JS side may use (above the kernel's own static data). */
export function base(): usize { return __heap_base; }

/**
 * Tokenizes text[0, len). Writes per record: field start index (fs, n + 1 entries), first line, raw start / end,
 * malformed flag (bad) and has-rewritten-field flag (rwRec); per field: span start / end; per rewritten field:
 * (field index, value start, closing quote, junk end, escaped). Results in out (i32): n, nf, consumed, next line,
 * expected, rewrites. Returns n, or -1 when a capacity is too small (the caller grows and calls again).
 */
export function tokenize(text: usize, len: i32, delim: i32, final: i32, startLine: i32, expectedIn: i32,
  span: usize, capF: i32, fs: usize, lines: usize, rs: usize, re: usize, bad: usize, rwRec: usize, capR: i32,
  rw: usize, capW: i32, out: usize): i32 {
  let expected = expectedIn;
  let nf = 0, n = 0, nrw = 0;
  let pos = 0;
  let line = startLine;
  let consumed = 0;
  let consumedLine = line;
  while (pos < len) {
    const recStart = pos;
    const recLine = line;
    const fieldsBefore = nf;
    const rwBefore = nrw;
    let c = ch(text, pos);
    if (c == LF || (c == CR && pos + 1 < len && ch(text, pos + 1) == LF)) {
      pos += c == LF ? 1 : 2;
      line++;
      consumed = pos; consumedLine = line;
      continue;
    }
    if (c == CR && pos + 1 >= len && !final) break;
    let recEnd = -1;
    let multiLine = false, malformed = false;
    let stop = false; // the record is incomplete: leave it for the next chunk
    while (true) {
      if (pos < len && ch(text, pos) == QUOTE) {
        let q = pos + 1;
        const fieldLine = line;
        let escaped = false;
        let closed = -1, runaway = false;
        const limit = min(len, pos + 1 + MAX_QUOTED_CHARS);
        while (q < limit) {
          const c2 = ch(text, q);
          if (c2 == QUOTE) {
            if (q + 1 < len && ch(text, q + 1) == QUOTE) { escaped = true; q += 2; continue; }
            if (q + 1 >= len && !final) break;
            closed = q;
            break;
          }
          if (c2 == LF) {
            multiLine = true;
            if (++line - recLine > MAX_QUOTED_LINES) { runaway = true; break; }
          }
          q++;
        }
        if (closed < 0) {
          if (!runaway && !final && limit == len) { nf = fieldsBefore; nrw = rwBefore; line = recLine; stop = true; break; }
          malformed = true;
          break;
        }
        const vStart = pos + 1;
        pos = closed + 1;
        let junkEnd = pos;
        if (pos < len) {
          const c3 = ch(text, pos);
          if (c3 != delim && c3 != LF && c3 != CR) {
            if (line > fieldLine) { malformed = true; break; }
            let e = pos;
            while (e < len) { const d = ch(text, e); if (d == delim || d == LF || d == CR) break; e++; }
            junkEnd = e;
            pos = e;
          }
        }
        if (escaped || junkEnd > closed + 1) {
          if (nrw >= capW) return -1;
          const w = rw + <usize>(nrw * 20);
          store<i32>(w, nf); store<i32>(w, vStart, 4); store<i32>(w, closed, 8); store<i32>(w, junkEnd, 12); store<i32>(w, escaped ? 1 : 0, 16);
          nrw++;
        }
        if (nf >= capF) return -1;
        store<i32>(span + <usize>(nf << 3), vStart); store<i32>(span + <usize>(nf << 3), closed, 4);
        nf++;
      } else {
        let e = pos;
        while (e < len) { const d = ch(text, e); if (d == delim || d == LF || d == CR) break; e++; }
        if (nf >= capF) return -1;
        store<i32>(span + <usize>(nf << 3), pos); store<i32>(span + <usize>(nf << 3), e, 4);
        nf++;
        pos = e;
      }
      if (pos >= len) {
        if (!final) { nf = fieldsBefore; nrw = rwBefore; line = recLine; stop = true; break; }
        recEnd = len;
        break;
      }
      const d = ch(text, pos);
      if (d == delim) { pos++; continue; }
      if (d == LF) { recEnd = pos; pos++; line++; break; }
      if (pos + 1 >= len && !final) { nf = fieldsBefore; nrw = rwBefore; line = recLine; stop = true; break; }
      recEnd = pos;
      pos += pos + 1 < len && ch(text, pos + 1) == LF ? 2 : 1;
      line++;
      break;
    }
    if (stop) break;
    const count = nf - fieldsBefore;
    if (!malformed && multiLine && expected > 0 && count != expected) malformed = true;
    if (malformed) {
      nf = fieldsBefore;
      nrw = rwBefore;
      let e = recStart;
      while (e < len) { const d = ch(text, e); if (d == LF || d == CR) break; e++; }
      if (!final && (e >= len || (e + 1 >= len && ch(text, e) == CR))) { line = recLine; break; }
      recEnd = e;
      pos = e >= len ? len : e + (ch(text, e) == CR && e + 1 < len && ch(text, e + 1) == LF ? 2 : 1);
      line = recLine + 1;
    } else if (expected == 0) expected = count;
    if (n >= capR) return -1;
    const o = <usize>(n << 2);
    store<i32>(fs + o, fieldsBefore);
    store<i32>(lines + o, recLine);
    store<i32>(rs + o, recStart);
    store<i32>(re + o, recEnd);
    store<u8>(bad + <usize>n, malformed ? 1 : 0);
    store<u8>(rwRec + <usize>n, nrw > rwBefore ? 1 : 0);
    n++;
    consumed = pos; consumedLine = line;
  }
  store<i32>(fs + <usize>(n << 2), nf);
  store<i32>(out, n); store<i32>(out, nf, 4); store<i32>(out, consumed, 8); store<i32>(out, consumedLine, 12);
  store<i32>(out, expected, 16); store<i32>(out, nrw, 20);
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// preparse

/** Flags per record. */
const F_LOCAL: u8 = 1;   // time parsed, wall clock of the source's zone (wall = local midnight + hour, rest = the remainder)
const F_ABS: u8 = 2;     // time parsed with a Z: wall + rest is the UTC instant
const F_TOD: u8 = 4;     // the time had a time of day (not a date only)
const F_COORDS: u8 = 8;  // both coordinates parsed
const F_COUNT: u8 = 16;  // the record is well formed: field count as expected, no rewritten field

let tWall: f64 = 0, tRest: f64 = 0, tFlags: u8 = 0;
let pg0: i32 = 0, pg1: i32 = 0, pg2: i32 = 0, pg3: i32 = 0, pg4: i32 = 0, pg5: i32 = 0, pg6: i32 = 0;

@inline function setGroup(k: i32, v: i32): void {
  if (k == 0) pg0 = v; else if (k == 1) pg1 = v; else if (k == 2) pg2 = v; else if (k == 3) pg3 = v;
  else if (k == 4) pg4 = v; else if (k == 5) pg5 = v; else pg6 = v;
}

/** Separators of scan in time-parse.ts: - / space : T t . , tab. */
@inline function isSep(c: i32): bool {
  return c == 45 || c == 47 || c == 32 || c == 58 || c == 84 || c == 116 || c == 46 || c == 44 || c == 9;
}

function daysInMonth(y: i32, m: i32): i32 {
  if (m == 2) return (y & 3) == 0 && (y % 100 != 0 || y % 400 == 0) ? 29 : 28;
  return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
}

/**
 * Days of Date.UTC(y, mo - 1, d) by H. Hinnant's days-from-civil (utcDayMs in time-parse.ts), in integers: every
 * quotient is of non-negative numbers (years from 1000), so truncation is the floor the JS version takes.
 */
function civilDays(y: i32, mo: i32, d: i32): i32 {
  const yy = mo <= 2 ? y - 1 : y;
  const era = yy / 400;
  const yoe = yy - era * 400;
  const doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/** Exact powers of ten 10^0 … 10^22 (all exactly representable). */
const POW10 = memory.data<f64>([1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18, 1e19, 1e20, 1e21, 1e22]);

@inline function pow10(p: i32): f64 { return load<f64>(POW10 + <usize>(p << 3)); }

/** Math.round for x ≥ 0 (ties up, as JS; f64.nearest would round ties to even). */
@inline function roundHalfUp(x: f64): f64 {
  const r = Math.floor(x);
  return x - r >= 0.5 ? r + 1 : r;
}

/**
 * scan() of time-parse.ts on text[s, e) for the inputs it handles without a numeric UTC offset and with at most 9
 * digits per group; false for everything else (the JS reader then parses the field itself and, where it is
 * invalid, rejects the row with its reason).
 */
function scanTime(text: usize, s: i32, e: i32, dayFirst: bool): bool {
  let gi = -1, firstDigits = 0, fracDigits = 0, yDigits = 0;
  let ampm = 0;
  let z = false;
  let i = s;
  while (i < e) {
    let c = ch(text, i);
    if (c >= 48 && c <= 57) {
      gi++;
      if (gi > 6) return false;
      let v = 0;
      let digits = 0;
      do { v = v * 10 + (c - 48); digits++; i++; } while (i < e && (c = ch(text, i)) >= 48 && c <= 57 && digits < 10);
      if (digits > 9) return false; // an integer beyond i32: leave to JS
      setGroup(gi, v);
      if (gi == 0) firstDigits = digits;
      if (gi == 2) yDigits = digits;
      if (gi == 6) fracDigits = digits;
      continue;
    }
    if (isSep(c) && !(c == 45 && gi >= 3)) { i++; continue; }
    if (gi >= 3 && (c == 43 || c == 45)) return false; // a numeric offset: JS
    if ((c == 90 || c == 122) && gi >= 3) { z = true; i++; continue; }
    if ((c == 65 || c == 97 || c == 80 || c == 112) && i + 1 < e && (ch(text, i + 1) | 32) == 109) {
      ampm = (c | 32) == 97 ? 1 : 2;
      i += 2;
      continue;
    }
    return false;
  }
  if (gi < 2) return false;
  let y: i32, mo: i32, d: i32;
  if (firstDigits == 4) { y = pg0; mo = pg1; d = pg2; yDigits = 4; }
  else if (dayFirst) { d = pg0; mo = pg1; y = pg2; }
  else { mo = pg0; d = pg1; y = pg2; }
  if (yDigits <= 2) y += y < 70 ? 2000 : 1900;
  else if (yDigits != 4 || y < 1000) return false;
  let h = gi >= 3 ? pg3 : 0;
  const mi = gi >= 4 ? pg4 : 0, sec = gi >= 5 ? pg5 : 0;
  let ms: f64 = 0;
  if (gi >= 6) ms = fracDigits <= 3 ? <f64>(pg6 * <i32>pow10(3 - fracDigits)) : roundHalfUp(<f64>pg6 / pow10(fracDigits - 3));
  if (ampm) {
    if (h < 1 || h > 12) return false;
    if (ampm == 1 && h == 12) h = 0;
    else if (ampm == 2 && h != 12) h += 12;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 60) return false;
  tWall = <f64>civilDays(y, mo, d) * 86400000 + <f64>(h * 3600000);
  tRest = <f64>((mi * 60 + sec) * 1000) + ms;
  tFlags = (z ? F_ABS : F_LOCAL) | (gi >= 3 ? F_TOD : 0);
  return true;
}

let num: f64 = 0;

@inline function isSpace(c: i32): bool { return c == 32 || (c >= 9 && c <= 13); }

/** trim() then the fast path of parseDecimalIn (field-range.ts) on text[s, e); false for empty or anything else. */
function decimal(text: usize, s0: i32, e0: i32): bool {
  let s = s0, e = e0;
  while (s < e && isSpace(ch(text, s))) s++;
  while (e > s && isSpace(ch(text, e - 1))) e--;
  let i = s;
  let neg = false;
  if (i < e) { const c = ch(text, i); if (c == 45) { neg = true; i++; } else if (c == 43) i++; }
  // the significant digits as an integer (exact: at most 15 of them are used)
  let m: i64 = 0;
  let sig = 0;
  const intStart = i;
  for (; i < e; i++) {
    const d = ch(text, i) - 48;
    if (d < 0 || d > 9) break;
    if (sig > 0 || d > 0) { m = m * 10 + d; sig++; }
  }
  let digits = i - intStart, frac = 0;
  if (i < e && ch(text, i) == 46) {
    const fracStart = ++i;
    for (; i < e; i++) {
      const d = ch(text, i) - 48;
      if (d < 0 || d > 9) break;
      if (sig > 0 || d > 0) { m = m * 10 + d; sig++; }
    }
    frac = i - fracStart;
    digits += frac;
  }
  if (digits == 0 || sig > 15) return false;
  let exp = 0;
  if (i < e) {
    const c = ch(text, i);
    if (c != 101 && c != 69) return false;
    i++;
    let eneg = false;
    if (i < e) { const d = ch(text, i); if (d == 45 || d == 43) { eneg = d == 45; i++; } }
    const from = i;
    for (; i < e; i++) {
      const d = ch(text, i);
      if (d < 48 || d > 57 || exp > 1000) break;
      exp = exp * 10 + (d - 48);
    }
    if (i == from || i < e) return false;
    if (eneg) exp = -exp;
  }
  const p = exp - frac;
  if (p > 22 || p < -22) return false;
  const mf = <f64>m;
  const v = p >= 0 ? mf * pow10(p) : mf / pow10(-p);
  num = neg ? -v : v;
  return true;
}

// category spellings: open addressing over FNV-1a of the raw bytes; entries (key offset, length) point into a key
// area. Codes are entry indices (the JS side maps each to its cleaned text once).
let catSlots: usize = 0, catMask: i32 = 0, catEntries: usize = 0, catMax: i32 = 0, catKeys: usize = 0, catKeysCap: i32 = 0;
let catCount: i32 = 0, catKeysUsed: i32 = 0;

/** Sets the category table's memory (slots: a power of two, zeroed; 0 = empty, else entry + 1). */
export function catInit(slots: usize, nSlots: i32, entries: usize, maxEntries: i32, keys: usize, keysCap: i32): void {
  catSlots = slots; catMask = nSlots - 1; catEntries = entries; catMax = maxEntries; catKeys = keys; catKeysCap = keysCap;
  catCount = 0; catKeysUsed = 0;
}

export function catSize(): i32 { return catCount; }

export function catKeyBytes(): i32 { return catKeysUsed; }

/** Code of the spelling text[s, e), added if new; -1 when the table is full. */
function catCode(text: usize, s: i32, e: i32): i32 {
  const len = e - s;
  let h: u32 = 0x811c9dc5 ^ <u32>len;
  for (let i = s; i < e; i++) h = (h ^ <u32>ch(text, i)) * 0x01000193;
  let k = <i32>h & catMask;
  while (true) {
    const at = load<i32>(catSlots + <usize>(k << 2));
    if (at == 0) break;
    const ent = catEntries + <usize>((at - 1) << 3);
    if (load<i32>(ent, 4) == len && memory.compare(catKeys + <usize>load<i32>(ent), text + <usize>s, <usize>len) == 0) return at - 1;
    k = (k + 1) & catMask;
  }
  if (catCount >= catMax || catKeysUsed + len > catKeysCap) return -1;
  const ent = catEntries + <usize>(catCount << 3);
  store<i32>(ent, catKeysUsed); store<i32>(ent, len, 4);
  memory.copy(catKeys + <usize>catKeysUsed, text + <usize>s, <usize>len);
  catKeysUsed += len;
  catCount++;
  store<i32>(catSlots + <usize>(k << 2), catCount);
  return catCount - 1;
}

/**
 * For records [0, n) of the last tokenize: wall (f64), rest (f64), coordinates a and b (f64, as read: lat, lon or
 * x, y), category code (i32, -1: read it in JS) and flags (u8, F_*). Columns are field indices within the record;
 * tCol < 0 skips the time, aCol < 0 the coordinates.
 */
export function preparse(text: usize, n: i32, span: usize, fs: usize, bad: usize, rwRec: usize, expected: i32,
  tCol: i32, dayFirst: i32, aCol: i32, bCol: i32, catCol: i32,
  wall: usize, rest: usize, av: usize, bv: usize, cat: usize, flags: usize): void {
  for (let r = 0; r < n; r++) {
    const o8 = <usize>(r << 3);
    let f: u8 = 0;
    store<i32>(cat + <usize>(r << 2), -1);
    const f0 = load<i32>(fs + <usize>(r << 2));
    const count = load<i32>(fs + <usize>((r + 1) << 2)) - f0;
    if (load<u8>(bad + <usize>r) == 0 && load<u8>(rwRec + <usize>r) == 0 && count == expected) {
      f |= F_COUNT;
      if (tCol >= 0) {
        const sp = span + <usize>((f0 + tCol) << 3);
        if (scanTime(text, load<i32>(sp), load<i32>(sp, 4), dayFirst != 0)) {
          f |= tFlags;
          store<f64>(wall + o8, tWall);
          store<f64>(rest + o8, tRest);
        }
      }
      if (aCol >= 0) {
        const sa = span + <usize>((f0 + aCol) << 3), sb = span + <usize>((f0 + bCol) << 3);
        if (decimal(text, load<i32>(sa), load<i32>(sa, 4))) {
          const a = num;
          if (decimal(text, load<i32>(sb), load<i32>(sb, 4))) {
            f |= F_COORDS;
            store<f64>(av + o8, a);
            store<f64>(bv + o8, num);
          }
        }
      }
      if (catCol >= 0) {
        const sc = span + <usize>((f0 + catCol) << 3);
        store<i32>(cat + <usize>(r << 2), catCode(text, load<i32>(sc), load<i32>(sc, 4)));
      }
    }
    store<u8>(flags + <usize>r, f);
  }
}
