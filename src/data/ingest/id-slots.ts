/**
 * Short source ids kept as bytes instead of strings while a file is read for the store. An id of up to 12 ASCII
 * characters (most police case numbers: "JA123456", "170123456") is written straight from the CSV text into a
 * 16-byte slot laid out as DuckDB's inlined duckdb_string_t (duckdb.h: uint32 length, then the bytes, zero-padded),
 * which the store copies into its VARCHAR vectors in one call per 2,048 rows (stage-chunks.ts). Such an id never
 * becomes a JavaScript string, is never cloned between threads as one, and leaves no garbage. Longer or non-ASCII ids
 * stay strings. At 10M rows the strings cost more main-thread time than any other part of staging.
 */
import { endianness } from 'node:os';

export const ID_SLOT = 16;
export const ID_INLINE_MAX = 12;
/** The slot layout is the host's own; the length is written little-endian, so big-endian hosts keep strings. */
export const ID_SLOTS_AVAILABLE = endianness() === 'LE';

/** Write src[s, e) into the slot at byte offset o when it fits (≤ 12 chars, all ASCII); false (slot untouched) otherwise. */
export function writeIdSlot(dst: Uint8Array, o: number, src: string, s: number, e: number): boolean {
  const n = e - s;
  if (n > ID_INLINE_MAX || n <= 0) return false;
  for (let k = s; k < e; k++) if (src.charCodeAt(k) > 127) return false;
  dst[o] = n; dst[o + 1] = 0; dst[o + 2] = 0; dst[o + 3] = 0;
  for (let k = 0; k < n; k++) dst[o + 4 + k] = src.charCodeAt(s + k);
  for (let k = n; k < ID_INLINE_MAX; k++) dst[o + 4 + k] = 0;
  return true;
}

/** The id a slot holds. */
export function readIdSlot(slots: Uint8Array, o: number): string {
  const n = slots[o];
  let s = '';
  for (let k = 0; k < n; k++) s += String.fromCharCode(slots[o + 4 + k]);
  return s;
}
