/**
 * Staging drained incident columns into DuckDB in column batches: each batch of up to 2,048 rows (DuckDB's vector
 * size) is one data chunk whose numeric vectors are filled by typed-array copies and appended in one call. The
 * row-by-row appender (seven append calls and endRow per incident, each crossing into C++) was 19% of an ingest.
 *
 * The stage holds codes, not text, wherever it can: the category as its dictionary code (joined to `stage_cat`
 * at merge time) and, for sources without ids, the two 32-bit lanes of the content hash, formatted as the "h…" id
 * by the merge. Only source ids and attribute JSON remain strings.
 */
import type { DuckDBAppender, DuckDBConnection, DuckDBType, DuckDBVector } from '@duckdb/node-api';
import { copyDataToVector, dataChunkGetVector, DOUBLE, INTEGER, UINTEGER, USMALLINT, VARCHAR, DuckDBDataChunk } from './duckdb.js';
import type { IncidentAccumulator } from './ingest/normalize.js';
import { ID_SLOT, ID_SLOTS_AVAILABLE, readIdSlot, writeIdSlot } from './ingest/id-slots.js';

export type Drained = ReturnType<IncidentAccumulator['drain']>;

/** Column layout of the stage table for one ingest (fixed by the first batch: hashed ids or not, attributes or not). */
export interface StageLayout {
  hashed: boolean;
  attrs: boolean;
}

/** CREATE statement of the temp stage table for a layout (the merge reads the columns by these names). */
export function stageTableSql(l: StageLayout): string {
  const id = l.hashed ? 'ha UINTEGER, hb UINTEGER' : 'id VARCHAR';
  return `CREATE OR REPLACE TEMP TABLE stage (${id}, t_ms DOUBLE, cat USMALLINT, lat DOUBLE, lon DOUBLE${l.attrs ? ', attrs VARCHAR' : ''}, line INTEGER)`;
}

function stageTypes(l: StageLayout): DuckDBType[] {
  return [...(l.hashed ? [UINTEGER, UINTEGER] : [VARCHAR]), DOUBLE, USMALLINT, DOUBLE, DOUBLE, ...(l.attrs ? [VARCHAR] : []), INTEGER];
}

type Numeric = Float64Array | Uint32Array | Uint16Array | Int32Array;

/**
 * Copy src[from, from + m) into a numeric vector. The vectors of @duckdb/node-api keep their values in a typed
 * array `items` that flush() copies to DuckDB; when that (internal) shape is not there, fall back to setItem.
 */
function fillNumeric(vec: DuckDBVector, src: Numeric, from: number, m: number): void {
  const items = (vec as unknown as { items?: unknown }).items;
  if (items && (items as Numeric).constructor === src.constructor && (items as Numeric).length >= m) {
    (items as Numeric).set(src.subarray(from, from + m) as never);
  } else {
    for (let i = 0; i < m; i++) (vec as unknown as { setItem(i: number, v: number): void }).setItem(i, src[from + i]);
  }
  vec.flush();
}

/**
 * Copy src[from, from + m) into column k of a chunk straight into its raw vector (valid values only: the stage's
 * numeric columns are never null, and a reset chunk's validity is all valid); through the API's vector object
 * where the chunk's raw handle is not there.
 */
function copyNumeric(chunk: DuckDBDataChunk, k: number, src: Numeric, from: number, m: number): void {
  const raw = (chunk as unknown as { chunk?: unknown }).chunk;
  if (raw === undefined) { fillNumeric(chunk.getColumnVector(k), src, from, m); return; }
  const w = src.BYTES_PER_ELEMENT;
  copyDataToVector(dataChunkGetVector(raw, k), 0, src.buffer, src.byteOffset + from * w, m * w);
}

/** Scratch slots for one vector (2,048 rows); layout in id-slots.ts. */
const slots = new Uint8Array(2048 * ID_SLOT);

/**
 * Strings into a VARCHAR vector. Short ASCII strings (attribute JSON rarely, ids read as strings) are written as
 * inlined string_t slots (writeIdSlot) in a buffer copied into the vector in one call; the rest (longer or
 * non-ASCII strings, nulls) go through setItem, one native call each. One call per string was 1.8 s of a
 * 10M-row ingest.
 */
function fillStrings(vec: DuckDBVector, get: (i: number) => string | null | undefined, from: number, m: number): void {
  const v = vec as unknown as { setItem(i: number, v: string | null): void; vector?: unknown };
  if (!ID_SLOTS_AVAILABLE || v.vector === undefined || m > 2048) {
    for (let i = 0; i < m; i++) v.setItem(i, get(from + i) ?? null);
    vec.flush();
    return;
  }
  const rest: number[] = [];
  for (let i = 0; i < m; i++) {
    const s = get(from + i);
    if (s == null || !writeIdSlot(slots, i * ID_SLOT, s, 0, s.length)) rest.push(i);
  }
  copyDataToVector(v.vector, 0, slots.buffer, 0, m * ID_SLOT);
  // after the copy: setItem + flush assign only these (over their stale slots, into the vector's heap) and write
  // the validity mask
  for (const i of rest) v.setItem(i, get(from + i) ?? null);
  vec.flush();
}

/**
 * Ids read as slots (id-slots.ts): rows [from, from + m) copied into the vector in one call; the rows whose id is a
 * string (ids[i] !== '') are then assigned one by one over their (stale) slots.
 */
function fillIdSlots(vec: DuckDBVector, idSlots: Uint8Array, ids: string[], from: number, m: number): void {
  const v = vec as unknown as { setItem(i: number, v: string | null): void; vector?: unknown };
  if (v.vector === undefined) { fillStrings(vec, (i) => ids[i] === '' ? readIdSlot(idSlots, i * ID_SLOT) : ids[i], from, m); return; }
  const src = idSlots.subarray(from * ID_SLOT, (from + m) * ID_SLOT);
  copyDataToVector(v.vector, 0, src.buffer, src.byteOffset, src.byteLength);
  for (let i = 0; i < m; i++) if (ids[from + i] !== '') v.setItem(i, ids[from + i]);
  vec.flush();
}

/** Appends drained batches to the stage table through data chunks. */
export class ChunkStager {
  private readonly chunk: DuckDBDataChunk;
  private readonly size: number;

  constructor(private readonly app: DuckDBAppender, readonly layout: StageLayout) {
    this.chunk = DuckDBDataChunk.create(stageTypes(layout));
    this.size = 2048;
  }

  static async open(con: DuckDBConnection, layout: StageLayout): Promise<ChunkStager> {
    await con.run(stageTableSql(layout));
    return new ChunkStager(await con.createAppender('stage', 'main', 'temp'), layout);
  }

  append(c: Drained): void {
    const { hashed, attrs } = this.layout;
    const attrJson = attrs ? attrsToJson(c.attrNames, c.attrs) : undefined;
    const ch = this.chunk;
    for (let from = 0; from < c.n; from += this.size) {
      const m = Math.min(this.size, c.n - from);
      ch.reset();
      ch.rowCount = m; // also drops the chunk's cached vector views, sized for the last count
      let k = 0;
      if (hashed) {
        copyNumeric(ch, k++, c.hashA!, from, m);
        copyNumeric(ch, k++, c.hashB!, from, m);
      } else {
        if (c.idSlots) fillIdSlots(ch.getColumnVector(k++), c.idSlots, c.id, from, m);
        else fillStrings(ch.getColumnVector(k++), (i) => c.id[i], from, m);
      }
      copyNumeric(ch, k++, c.t, from, m);
      copyNumeric(ch, k++, c.cat, from, m);
      copyNumeric(ch, k++, c.lat, from, m);
      copyNumeric(ch, k++, c.lon, from, m);
      if (attrs) fillStrings(ch.getColumnVector(k++), (i) => attrJson?.(i), from, m);
      copyNumeric(ch, k++, c.lines, from, m);
      this.app.appendDataChunk(ch);
    }
  }

  close(): void {
    this.app.flushSync();
    this.app.closeSync();
  }

  /** Best effort after a failure (the ingest then drops the stage tables). */
  abandon(): void {
    try { this.app.closeSync(); } catch { /* rolled back below */ }
  }
}

/**
 * The rows that repeat an earlier row's content, as the temp table stage_rep (line, rn) the merge joins on, from
 * the counts the reader kept (IncidentAccumulator.repeatedRows). Rows absent from it are first occurrences.
 */
export async function stageRepeats(con: DuckDBConnection, r: { n: number; lines: Int32Array; rn: Int32Array }): Promise<void> {
  await con.run('CREATE OR REPLACE TEMP TABLE stage_rep (line INTEGER, rn INTEGER)');
  const app = await con.createAppender('stage_rep', 'main', 'temp');
  const ch = DuckDBDataChunk.create([INTEGER, INTEGER]);
  for (let from = 0; from < r.n; from += 2048) {
    const m = Math.min(2048, r.n - from);
    ch.reset();
    ch.rowCount = m;
    copyNumeric(ch, 0, r.lines, from, m);
    copyNumeric(ch, 1, r.rn, from, m);
    app.appendDataChunk(ch);
  }
  app.flushSync();
  app.closeSync();
}

/** The category dictionary as a temp table the merge joins on (code → name). */
export async function stageCategories(con: DuckDBConnection, categories: string[]): Promise<void> {
  await con.run('CREATE OR REPLACE TEMP TABLE stage_cat (code USMALLINT, category VARCHAR)');
  const a = await con.createAppender('stage_cat', 'main', 'temp');
  for (let i = 0; i < categories.length; i++) { a.appendUSmallInt(i); a.appendVarchar(categories[i]); a.endRow(); }
  a.flushSync();
  a.closeSync();
}

/** Row i's attributes as a JSON object text (null values omitted), or undefined when there are none. */
export function attrsToJson(names: string[], cols: (string | null)[][]): ((i: number) => string | undefined) | undefined {
  if (!names.length) return undefined;
  const keys = names.map((k) => JSON.stringify(k) + ':');
  return (i) => {
    let s = '';
    for (let k = 0; k < cols.length; k++) {
      const v = cols[k][i];
      if (v === null) continue;
      s += (s ? ',' : '{') + keys[k] + JSON.stringify(v);
    }
    return s ? s + '}' : undefined;
  };
}
