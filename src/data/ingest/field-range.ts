/**
 * Reading fields as spans [s, e) of a string, so that a CSV field that is only parsed (a time, a coordinate) or
 * looked up (a category spelling) never becomes a string of its own. Every function here returns exactly what the
 * string version it replaces returns on text.slice(s, e) (test/data/field-range.test.ts checks them against it);
 * anything outside their fast paths is handed to that string version.
 */
import type { RowBatch } from './csv-tokenizer.js';
import { parseDecimal } from './decimal.js';

/** The span of a field: `src.slice(s, e)` is its text. Shared scratch (one per thread), overwritten by fieldRange. */
export const FR = { src: '', s: 0, e: 0 };

/** Point FR at field f of a batch (see RowBatch.fields). */
export function fieldRange(b: RowBatch, f: number): void {
  const fs = b.fields;
  if (fs) { const v = fs[f]; FR.src = v; FR.s = 0; FR.e = v.length; return; }
  const r = b.rewritten === undefined ? undefined : b.rewritten.get(f);
  if (r !== undefined) { FR.src = r; FR.s = 0; FR.e = r.length; return; }
  FR.src = b.text; FR.s = b.span![2 * f]; FR.e = b.span![2 * f + 1];
}

/** The characters String.prototype.trim removes (ECMAScript WhiteSpace and LineTerminator). */
export function isTrimSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f ||
    c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Narrow FR to its text's trim(). */
export function trimRange(): void {
  const src = FR.src;
  let s = FR.s, e = FR.e;
  while (s < e && isTrimSpace(src.charCodeAt(s))) s++;
  while (e > s && isTrimSpace(src.charCodeAt(e - 1))) e--;
  FR.s = s; FR.e = e;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * parseDecimal(src.slice(s, e)) without the slice for plain decimals: [+-]digits[.digits][e[+-]digits] with at most
 * 15 significant digits and a power of ten within 10^±22. Then the digits form an exact integer below 2^53 and one
 * multiplication or division by an exact power of ten rounds once, correctly, as Number() does (the classic fast
 * path of decimal-to-double conversion). Anything else (more digits, surrounding spaces, other text) goes to
 * parseDecimal on the slice.
 */
export function parseDecimalIn(src: string, s: number, e: number): number {
  let i = s;
  let neg = false;
  if (i < e) { const c = src.charCodeAt(i); if (c === 45) { neg = true; i++; } else if (c === 43) i++; }
  // digits before and after the point; leading zeros are not significant
  let m = 0, sig = 0;
  const intStart = i;
  for (; i < e; i++) {
    const d = src.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    if (sig > 0 || d > 0) { m = m * 10 + d; sig++; }
  }
  let digits = i - intStart, frac = 0;
  if (i < e && src.charCodeAt(i) === 46) {
    const fracStart = ++i;
    for (; i < e; i++) {
      const d = src.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      if (sig > 0 || d > 0) { m = m * 10 + d; sig++; }
    }
    frac = i - fracStart;
    digits += frac;
  }
  if (digits === 0 || sig > 15) return parseDecimal(src.slice(s, e));
  let exp = 0;
  if (i < e) {
    const c = src.charCodeAt(i);
    if (c !== 101 && c !== 69) return parseDecimal(src.slice(s, e));
    i++;
    let eneg = false;
    if (i < e) { const d = src.charCodeAt(i); if (d === 45 || d === 43) { eneg = d === 45; i++; } }
    const from = i;
    for (; i < e; i++) {
      const d = src.charCodeAt(i);
      if (d < 48 || d > 57 || exp > 1000) break;
      exp = exp * 10 + (d - 48);
    }
    if (i === from || i < e) return parseDecimal(src.slice(s, e));
    if (eneg) exp = -exp;
  }
  const p = exp - frac;
  if (p > 22 || p < -22) return parseDecimal(src.slice(s, e));
  const v = p >= 0 ? m * POW10[p] : m / POW10[-p];
  return neg ? -v : v;
}

/**
 * A cache from a span's text to a value computed from that text (the cleaned category of each raw spelling),
 * looked up without slicing the span: open addressing on a hash of the char codes, compared char by char.
 */
export class SpanCache<V> {
  private keys: string[] = [];
  private vals: V[] = [];
  private slots = new Int32Array(256).fill(-1);
  private hashes: number[] = [];

  constructor(private readonly maxSize: number) {}

  get size(): number {
    return this.keys.length;
  }

  /** The value cached for src.slice(s, e), else undefined. */
  get(src: string, s: number, e: number): V | undefined {
    const h = hashSpan(src, s, e);
    const mask = this.slots.length - 1;
    for (let k = h & mask; ; k = (k + 1) & mask) {
      const at = this.slots[k];
      if (at < 0) return undefined;
      if (this.hashes[at] === h && sameText(this.keys[at], src, s, e)) return this.vals[at];
    }
  }

  /** Cache `value` for `key` (= src.slice(s, e) of a get that missed); ignored beyond maxSize entries. */
  set(key: string, value: V): void {
    if (this.keys.length >= this.maxSize) return;
    if (2 * (this.keys.length + 1) > this.slots.length) this.rehash(this.slots.length * 2);
    const h = hashSpan(key, 0, key.length);
    const mask = this.slots.length - 1;
    let k = h & mask;
    while (this.slots[k] >= 0) k = (k + 1) & mask;
    this.slots[k] = this.keys.length;
    this.keys.push(key); this.vals.push(value); this.hashes.push(h);
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let at = 0; at < this.keys.length; at++) {
      let k = this.hashes[at] & mask;
      while (this.slots[k] >= 0) k = (k + 1) & mask;
      this.slots[k] = at;
    }
  }
}

function hashSpan(src: string, s: number, e: number): number {
  let h = 0x811c9dc5 ^ (e - s);
  for (let i = s; i < e; i++) h = Math.imul(h ^ src.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function sameText(key: string, src: string, s: number, e: number): boolean {
  if (key.length !== e - s) return false;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) !== src.charCodeAt(s + i)) return false;
  return true;
}
