/**
 * Tokenized rows → validated incident columns. Every field is read straight from the batch's flat field array
 * into growable typed arrays; rows that fail a check become Rejects (file, line, reason, field, raw text).
 */
import { UserError } from '../../util/errors.js';
import type { IncidentTable } from '../incident-table.js';
import { fieldText, MALFORMED_QUOTE, type RowBatch } from './csv-tokenizer.js';
import { ID_SLOT, ID_SLOTS_AVAILABLE, readIdSlot, writeIdSlot } from './id-slots.js';
import { FR, fieldRange, parseDecimalIn, SpanCache, trimRange } from './field-range.js';
import { MAX_DEPTH } from './geojson-source.js';
import type { Reject, RejectReason } from './reject.js';
import type { CoordPreference } from './spec.js';
import { lastHadTime, parseDateAndTime, parseDateTimeIn, wallHourToUtc, type TimeFormat } from './time-parse.js';
import { PRE_ABS, PRE_COORDS, PRE_COUNT, PRE_LOCAL, PRE_TOD, type CsvKernel, type PreParsed, type PreparseColumns } from './csv-kernel.js';
import { toWgs84 } from './crs.js';
import { contentHash, HASH, hashHex, stringHash32 } from './content-hash.js';
import { RepeatCounter } from './repeat-counter.js';

/** Column indices into a row, -1 when absent. */
export interface ResolvedColumns {
  names: string[];
  id: number[];
  time: number;
  date: number;
  lat: number;
  lon: number;
  x: number;
  y: number;
  category: number;
  attrs: number[];
  crs?: string;
}

export interface NormalizeSettings {
  file: string;
  tz: string;
  timeFormat: TimeFormat;
  coords: CoordPreference;
  /** Points outside [minLon, minLat, maxLon, maxLat] are rejects; `bboxFrom` says whose box it is (for the reason). */
  bbox?: [number, number, number, number];
  bboxFrom?: string;
  /** [from, to) epoch ms of plausible times; others are rejects (an epoch of year 279,000 broke every reader). */
  timeWindow: [number, number];
}

/**
 * Parts of a composite id joined by ":" so that ("x:y","z") and ("x","y:z") differ: a ":" or a backslash inside a
 * part is escaped with a backslash. Parts holding neither (every real id seen) join exactly as before, so ids
 * already stored stay valid and re-ingesting a file still adds nothing.
 */
export function joinIdParts(parts: string[]): string {
  let id = '';
  for (let k = 0; k < parts.length; k++) {
    const v = parts[k];
    id += (k ? ':' : '') + (v.includes(':') || v.includes('\\') ? v.replaceAll('\\', '\\\\').replaceAll(':', '\\:') : v);
  }
  return id;
}

/** What an accumulator has read, as plain data that can cross a worker boundary (see exportPart / absorb). */
export interface AccumulatorPart {
  n: number;
  rows: number;
  dateOnly: number;
  rejects: Reject[];
  t: Float64Array;
  lat: Float64Array;
  lon: Float64Array;
  cat: Uint16Array;
  line: Int32Array;
  /** Source ids (empty when ids are content hashes); '' where the id is in idSlots. */
  ids: string[];
  /** ID_SLOT bytes per row: the short ids (see id-slots.ts), when the accumulator keeps them as slots. */
  idSlots: Uint8Array | null;
  hashKey: Float64Array | null;
  hashLanes: Uint32Array | null;
  categories: string[];
  attrCols: (string | null)[][];
}

/** How an accumulator keeps what it reads (the same on every thread that reads one file). */
export interface AccumulatorOptions {
  /** Keep short single-column ids as DuckDB string slots (id-slots.ts): the store stages them without strings. */
  idSlots?: boolean;
  /**
   * Content-hashed rows: count repeats of the same content in file order (repeatedRows). Only for the accumulator
   * that sees the whole file in order (not a range reader's).
   */
  countRepeats?: boolean;
  /** About how many rows the file holds, at most (sizes the repeat counter). */
  rowsHint?: number;
}

const WS_RUN = /[\t\n\r]| {2}/;

/** A category as stored: trimmed, and a line break, tab or run of spaces inside a quoted name made one space. */
function cleanCategory(raw: string): string {
  const t = raw.trim();
  return WS_RUN.test(t) ? t.replace(/\s+/g, ' ') : t;
}

// location check outcome, shared scratch to avoid allocating per row
const LOC = { lat: 0, lon: 0, reason: '' as RejectReason | '', field: '' };

export class IncidentAccumulator {
  n = 0;
  rows = 0;
  dateOnly = 0;
  readonly rejects: Reject[] = [];
  private cap = 4096;
  private t = new Float64Array(this.cap);
  private lat = new Float64Array(this.cap);
  private lon = new Float64Array(this.cap);
  private cat = new Uint16Array(this.cap);
  private line = new Int32Array(this.cap);
  private ids: string[] = [];
  /** Short ids as DuckDB string slots (id-slots.ts), row k at k * ID_SLOT; ids[k] is '' for those rows. */
  private readonly slotIds: boolean;
  private idSlots = new Uint8Array(0);
  private readonly categories: string[] = [];
  private readonly catIndex = new Map<string, number>();
  /** Cleaned category text of each raw spelling (files repeat a few dozen), looked up by span: no string per row. */
  private readonly catClean = new SpanCache<string>(100_000);
  private attrCols: (string | null)[][];
  /** Content hash per accepted row (53-bit key and both 32-bit lanes), for sources without ids. */
  private hashCap = 0;
  private hashKey = new Float64Array(0);
  private hashLanes = new Uint32Array(0);
  private readonly catHash = new Map<string, number>();
  private readonly project: ((x: number, y: number) => [number, number]) | null;
  private readonly expected: number;
  /** No id column: ids are content hashes (hashedIds). */
  private readonly hashed: boolean;
  private readonly repeats: RepeatCounter | null;
  /** What the compiled kernel pre-parses for this file (null: nothing it can, e.g. epoch times or two time columns). */
  private readonly fastCols: PreparseColumns | null;
  /** Per category code of the current kernel: cleaned text, category code, category hash. */
  private kernel: CsvKernel | null = null;
  private kernelGeneration = 0;
  private kCatText: string[] = [];
  private kCatCode: number[] = [];
  private kCatHash: number[] = [];

  /** The location pairs to try, in order (those the file has), and their field labels for rejects: fixed per file. */
  private readonly coordOrder: ('ll' | 'xy')[];
  private readonly llField: string;
  private readonly xyField: string;

  /**
   * `opts.idSlots`: keep short single-column ids as slots (for the store, which stages them without strings);
   * finish() turns them back into strings either way.
   */
  constructor(private readonly cols: ResolvedColumns, private readonly s: NormalizeSettings, opts: AccumulatorOptions = {}) {
    this.slotIds = opts.idSlots === true && ID_SLOTS_AVAILABLE && cols.id.length === 1;
    if (this.slotIds) this.idSlots = new Uint8Array(this.cap * ID_SLOT);
    this.attrCols = cols.attrs.map(() => []);
    this.project = cols.x >= 0 && cols.y >= 0 && cols.crs ? toWgs84(cols.crs) : null;
    this.expected = cols.names.length;
    this.hashed = cols.id.length === 0;
    this.repeats = this.hashed && opts.countRepeats ? new RepeatCounter(undefined, opts.rowsHint) : null;
    const pref = s.coords, hasLL = cols.lat >= 0 && cols.lon >= 0, hasXY = this.project !== null;
    const order: ('ll' | 'xy')[] =
      pref === 'latlon' ? ['ll'] : pref === 'xy' ? ['xy'] : pref === 'xy-then-latlon' ? ['xy', 'll'] : ['ll', 'xy'];
    this.coordOrder = order.filter((k) => (k === 'll' ? hasLL : hasXY));
    this.llField = `${cols.names[cols.lat]},${cols.names[cols.lon]}`;
    this.xyField = `${cols.names[cols.x]},${cols.names[cols.y]}`;
    const tCol = cols.date >= 0 && cols.time >= 0 ? -1 : cols.time >= 0 ? cols.time : cols.date;
    const first = this.coordOrder[0];
    this.fastCols = tCol < 0 || s.timeFormat === 'epoch-s' || s.timeFormat === 'epoch-ms' || first === undefined || cols.category < 0 ? null : {
      time: tCol, dayFirst: s.timeFormat === 'dmy', a: first === 'll' ? cols.lat : cols.x, b: first === 'll' ? cols.lon : cols.y,
      category: cols.category, expected: this.expected,
    };
  }

  /** Validate records from..b.n of a batch. */
  addBatch(b: RowBatch, from = 0): void {
    const pre = b.preparse !== undefined && this.fastCols !== null ? b.preparse(this.fastCols) : null;
    if (pre !== null && (pre.kernel !== this.kernel || pre.generation !== this.kernelGeneration)) {
      // category codes hold for one kernel's table, in one generation of it
      this.kernel = pre.kernel;
      this.kernelGeneration = pre.generation;
      this.kCatText = []; this.kCatCode = []; this.kCatHash = [];
    }
    for (let i = from; i < b.n; i++) {
      this.rows++;
      if (pre !== null && this.fastRecord(b, i, pre)) continue;
      this.record(b, i);
    }
  }

  /**
   * Record i from the kernel's pre-parsed values (csv-kernel.ts), when they are all there and the row is accepted;
   * false (nothing kept) otherwise, and record() then reads the row from its fields, rejects included. Every check
   * is record()'s, on the values record() would parse.
   */
  private fastRecord(b: RowBatch, i: number, pre: PreParsed): boolean {
    const f = pre.flags[i];
    if ((f & (PRE_COUNT | PRE_COORDS)) !== (PRE_COUNT | PRE_COORDS) || (f & (PRE_LOCAL | PRE_ABS)) === 0) return false;
    const w = pre.cat[i];
    if (w < 0) return false;
    const c = this.cols, s = this.s;
    const t = (f & PRE_ABS) !== 0 ? pre.wall[i] + pre.rest[i] : wallHourToUtc(pre.wall[i], s.tz) + pre.rest[i];
    if (!(t >= s.timeWindow[0] && t < s.timeWindow[1])) return false;
    let catText = this.kCatText[w];
    if (catText === undefined) {
      const k = b.fieldStart[i] + c.category;
      catText = this.kCatText[w] = cleanCategory(b.text.slice(b.span![2 * k], b.span![2 * k + 1]));
    }
    if (catText === '') return false;
    let lat = pre.a[i], lon = pre.b[i];
    if (lat === 0 && lon === 0) return false;
    if (this.coordOrder[0] === 'll') {
      if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return false;
    } else {
      const [x, y] = this.project!(lat, lon);
      lon = x; lat = y;
      if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return false;
    }
    const box = s.bbox;
    if (box && !inBox(box, lon, lat)) return false;
    let id: string;
    if (c.id.length === 0) {
      let ch = this.kCatHash[w];
      if (ch === undefined) ch = this.kCatHash[w] = this.catHashOf(catText);
      id = this.hashRow(t, lat, lon, ch);
    } else {
      const read = this.readId(b, b.fieldStart[i]);
      if (read === null) return false;
      id = read;
    }
    let code = this.kCatCode[w];
    if (code === undefined) code = this.kCatCode[w] = this.categoryCode(catText, b.line[i]);
    this.acceptCode(t, lat, lon, code, id, b.line[i]);
    if (c.time < 0 && (f & PRE_TOD) === 0) this.dateOnly++;
    this.addAttrs(b, b.fieldStart[i]);
    return true;
  }

  /** Record i of a batch read from its fields: accepted, or rejected with its reason. */
  private record(b: RowBatch, i: number): void {
    const c = this.cols, s = this.s;
    const bad = b.malformed?.[i];
    if (bad) {
      if (bad === MALFORMED_QUOTE) this.reject(b, i, 'unterminated-quote', 'a quoted field never closes; the row was cut at its line end');
      else this.reject(b, i, 'nested-too-deep', `nested more than ${MAX_DEPTH} levels`);
      return;
    }
    const base = b.fieldStart[i];
    const count = b.fieldStart[i + 1] - base;
    if (count !== this.expected) { this.reject(b, i, 'column-count', `${count} fields, expected ${this.expected}`); return; }
    // time
    let t: number;
    let tField: number;
    if (c.date >= 0 && c.time >= 0) { t = parseDateAndTime(fieldText(b, base + c.date), fieldText(b, base + c.time), s.timeFormat, s.tz); tField = c.date; }
    else {
      tField = c.time >= 0 ? c.time : c.date;
      fieldRange(b, base + tField);
      t = parseDateTimeIn(FR.src, FR.s, FR.e, s.timeFormat, s.tz);
    }
    if (Number.isNaN(t)) { this.reject(b, i, 'bad-date', c.names[tField]); return; }
    if (!(t >= s.timeWindow[0] && t < s.timeWindow[1])) { this.reject(b, i, 'time-out-of-range', c.names[tField]); return; }
    const dateOnly = c.time < 0 && !lastHadTime();
    // category (the cleaned text of each raw spelling is cached: files repeat a few dozen spellings)
    fieldRange(b, base + c.category);
    let catText = this.catClean.get(FR.src, FR.s, FR.e);
    if (catText === undefined) {
      const catRaw = FR.src.slice(FR.s, FR.e);
      catText = cleanCategory(catRaw);
      this.catClean.set(catRaw, catText);
    }
    if (catText === '') { this.reject(b, i, 'missing-category', c.names[c.category]); return; }
    // location
    if (!this.locate(b, base)) { this.reject(b, i, LOC.reason as RejectReason, LOC.field); return; }
    const box = s.bbox;
    if (box && !inBox(box, LOC.lon, LOC.lat)) {
      // a point that lands inside the box once lat and lon trade places has its columns swapped
      const why = inBox(box, LOC.lat, LOC.lon) ? 'lat-lon-swapped' : 'outside-bbox';
      this.reject(b, i, why, `${LOC.field} (${s.bboxFrom ?? 'bbox'} [${box.join(', ')}])`);
      return;
    }
    // id
    let id: string;
    if (c.id.length) {
      const read = this.readId(b, base);
      if (read === null) {
        this.reject(b, i, 'missing-id', c.id.length === 1 ? c.names[c.id[0]] : c.id.map((k) => c.names[k]).join('+'));
        return;
      }
      id = read;
    } else {
      id = this.contentId(t, LOC.lat, LOC.lon, catText);
    }
    this.accept(t, LOC.lat, LOC.lon, catText, id, b.line[i]);
    if (dateOnly) this.dateOnly++;
    this.addAttrs(b, base);
  }

  /**
   * The id of the record whose fields start at `base` ('' when it went into the slots), or null when it is
   * missing (every id field blank).
   */
  private readId(b: RowBatch, base: number): string | null {
    const c = this.cols;
    if (c.id.length === 1) {
      fieldRange(b, base + c.id[0]);
      trimRange();
      if (FR.e === FR.s) return null;
      if (this.slotIds) {
        if (this.n === this.cap) this.grow();
        return writeIdSlot(this.idSlots, this.n * ID_SLOT, FR.src, FR.s, FR.e) ? '' : FR.src.slice(FR.s, FR.e);
      }
      return FR.src.slice(FR.s, FR.e);
    }
    const parts = c.id.map((k) => fieldText(b, base + k).trim());
    if (parts.every((p) => p === '')) return null;
    return joinIdParts(parts);
  }

  private addAttrs(b: RowBatch, base: number): void {
    const attrs = this.cols.attrs;
    for (let k = 0; k < attrs.length; k++) {
      const v = fieldText(b, base + attrs[k]);
      this.attrCols[k].push(v === '' ? null : v);
    }
  }

  /**
   * Content hash of the normalised fields; the id string is built in finish(). Identical rows within one file are
   * genuine repeats (CHI_Crime.csv has 858 such contents): the k-th occurrence gets the suffix "-k" (k ≥ 2), so
   * each is kept and a re-ingest of the same file maps every row to the same id again.
   */
  private contentId(t: number, lat: number, lon: number, cat: string): string {
    return this.hashRow(t, lat, lon, this.catHashOf(cat));
  }

  private catHashOf(cat: string): number {
    let ch = this.catHash.get(cat);
    if (ch === undefined) this.catHash.set(cat, (ch = stringHash32(cat)));
    return ch;
  }

  /** Keep the content hash of the row about to be accepted (`ch`: its category's hash); its id is built later. */
  private hashRow(t: number, lat: number, lon: number, ch: number): string {
    const k = this.n;
    if (k === this.hashCap) {
      this.hashCap = Math.max(4096, this.hashCap * 2);
      const a = new Float64Array(this.hashCap); a.set(this.hashKey); this.hashKey = a;
      const b = new Uint32Array(this.hashCap * 2); b.set(this.hashLanes); this.hashLanes = b;
    }
    this.hashKey[k] = contentHash(t, lat, lon, ch);
    this.hashLanes[2 * k] = HASH[0];
    this.hashLanes[2 * k + 1] = HASH[1];
    return '';
  }

  /** Turn the stored hashes into ids, numbering repeats in file order (sorting beats a Map of 10^5..10^6 keys). */
  private hashIds(): void {
    const n = this.n;
    const sorted = this.hashKey.slice(0, n).sort();
    const repeated = new Map<number, number>();
    for (let i = 1; i < n; i++) if (sorted[i] === sorted[i - 1]) repeated.set(sorted[i], 0);
    this.ids = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      HASH[0] = this.hashLanes[2 * i]; HASH[1] = this.hashLanes[2 * i + 1];
      const base = 'h' + hashHex();
      const key = this.hashKey[i];
      const occ = repeated.get(key);
      if (occ === undefined) { this.ids[i] = base; continue; }
      repeated.set(key, occ + 1);
      this.ids[i] = occ === 0 ? base : `${base}-${occ + 1}`;
    }
  }

  private locate(b: RowBatch, base: number): boolean {
    const c = this.cols;
    let firstReason: RejectReason | '' = '', firstField = '';
    for (const kind of this.coordOrder) {
      const ok = kind === 'll' ? this.readPair(b, base, c.lat, c.lon, true) : this.readXY(b, base);
      if (ok) return true;
      if (!firstReason) { firstReason = LOC.reason; firstField = LOC.field; }
    }
    LOC.reason = firstReason || 'missing-coordinates';
    LOC.field = firstField || 'lat,lon';
    return false;
  }

  /**
   * Two coordinate fields, trimmed and parsed as decimals straight from their spans; false (reason in LOC) when either
   * is missing, not a finite number or both are zero. Leaves the numbers in LOC.lat / LOC.lon as read (lat, lon).
   */
  private readPair(b: RowBatch, base: number, first: number, second: number, latLon: boolean): boolean {
    LOC.field = latLon ? this.llField : this.xyField;
    fieldRange(b, base + first);
    trimRange();
    const aSrc = FR.src, aS = FR.s, aE = FR.e;
    fieldRange(b, base + second);
    trimRange();
    if (aS === aE || FR.s === FR.e) return fail('missing-coordinates');
    const u = parseDecimalIn(aSrc, aS, aE), v = parseDecimalIn(FR.src, FR.s, FR.e);
    if (!Number.isFinite(u) || !Number.isFinite(v)) return fail('non-finite-coordinates');
    if (u === 0 && v === 0) return fail('zero-coordinates');
    if (latLon && (Math.abs(u) > 90 || Math.abs(v) > 180)) return fail('coordinates-out-of-range');
    LOC.lat = u; LOC.lon = v;
    return true;
  }

  private readXY(b: RowBatch, base: number): boolean {
    if (!this.readPair(b, base, this.cols.x, this.cols.y, false)) return false;
    const [lon, lat] = this.project!(LOC.lat, LOC.lon);
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) return fail('non-finite-coordinates');
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return fail('coordinates-out-of-range');
    LOC.lat = lat; LOC.lon = lon;
    return true;
  }

  private reject(b: RowBatch, i: number, reason: RejectReason, field: string): void {
    this.rejects.push({ file: this.s.file, line: b.line[i], reason, field, raw: b.text.slice(b.rawStart[i], b.rawEnd[i]) });
  }

  private accept(t: number, lat: number, lon: number, category: string, id: string, line: number): void {
    this.acceptCode(t, lat, lon, this.categoryCode(category, line), id, line);
  }

  private acceptCode(t: number, lat: number, lon: number, code: number, id: string, line: number): void {
    if (this.n === this.cap) this.grow();
    const k = this.n++;
    this.t[k] = t; this.lat[k] = lat; this.lon[k] = lon; this.line[k] = line;
    this.cat[k] = code;
    // content-hashed ids are built from the hashes when asked for (hashIds, drain)
    if (!this.hashed) this.ids.push(id);
    else if (this.repeats) this.repeats.add(this.hashLanes[2 * k], this.hashLanes[2 * k + 1], line);
  }

  /**
   * With `countRepeats`: the rows (line, k) that are the k-th (k ≥ 2) of the same content so far, in file order;
   * null when not counted (ids from the file, not asked for, or too many distinct rows to count in memory).
   */
  repeatedRows(): { n: number; lines: Int32Array; rn: Int32Array } | null {
    const r = this.repeats;
    return r && !r.overflowed ? { n: r.repeats, lines: r.lines, rn: r.rn } : null;
  }

  private categoryCode(category: string, line: number): number {
    let ci = this.catIndex.get(category);
    if (ci === undefined) {
      ci = this.categories.length;
      if (ci > 0xffff) {
        throw new UserError(`${this.s.file}:${line}: more than 65,536 distinct categories in column ${this.cols.names[this.cols.category]}`,
          'categories are stored as 16-bit codes; check that --category-col names the offense type, not a free-text or id column');
      }
      this.categories.push(category);
      this.catIndex.set(category, ci);
    }
    return ci;
  }

  /**
   * Everything accepted and rejected so far as plain, transferable data (a worker of the parallel reader sends one
   * part per byte range; its lines count from the range's first line). Use once: the accumulator is spent after.
   */
  exportPart(): AccumulatorPart {
    const n = this.n, hashed = this.hashedIds;
    return {
      n, rows: this.rows, dateOnly: this.dateOnly, rejects: this.rejects,
      t: this.t.slice(0, n), lat: this.lat.slice(0, n), lon: this.lon.slice(0, n), cat: this.cat.slice(0, n), line: this.line.slice(0, n),
      ids: hashed ? [] : this.ids, idSlots: this.slotIds ? this.idSlots.slice(0, n * ID_SLOT) : null, hashKey: hashed ? this.hashKey.slice(0, n) : null, hashLanes: hashed ? this.hashLanes.slice(0, 2 * n) : null,
      categories: this.categories, attrCols: this.attrCols,
    };
  }

  /** Append a part read elsewhere (exportPart), its lines shifted by `lineOffset`; rows keep their order after ours. */
  absorb(p: AccumulatorPart, lineOffset: number): void {
    this.rows += p.rows;
    this.dateOnly += p.dateOnly;
    for (const r of p.rejects) this.rejects.push({ ...r, line: r.line + lineOffset });
    if (!p.n) return;
    const codes = new Uint16Array(p.categories.length);
    const firstLine = new Int32Array(p.categories.length).fill(-1);
    for (let i = 0; i < p.n; i++) if (firstLine[p.cat[i]] < 0) firstLine[p.cat[i]] = p.line[i] + lineOffset;
    // codes assigned in order of first appearance in the part, as accept() would have assigned them
    const order = Array.from(p.categories.keys()).filter((c) => firstLine[c] >= 0).sort((a, b) => firstLine[a] - firstLine[b]);
    for (const c of order) codes[c] = this.categoryCode(p.categories[c], firstLine[c]);
    while (this.cap < this.n + p.n) this.grow();
    const k = this.n, hashed = this.hashedIds;
    this.t.set(p.t, k); this.lat.set(p.lat, k); this.lon.set(p.lon, k);
    for (let i = 0; i < p.n; i++) { this.cat[k + i] = codes[p.cat[i]]; this.line[k + i] = p.line[i] + lineOffset; }
    if (hashed) {
      if (this.hashCap < k + p.n) {
        this.hashCap = Math.max(4096, k + p.n, this.hashCap * 2);
        const a = new Float64Array(this.hashCap); a.set(this.hashKey.subarray(0, k)); this.hashKey = a;
        const b = new Uint32Array(this.hashCap * 2); b.set(this.hashLanes.subarray(0, 2 * k)); this.hashLanes = b;
      }
      this.hashKey.set(p.hashKey!, k);
      this.hashLanes.set(p.hashLanes!, 2 * k);
      const rep = this.repeats;
      if (rep) for (let i = 0; i < p.n; i++) rep.add(p.hashLanes![2 * i], p.hashLanes![2 * i + 1], p.line[i] + lineOffset);
    } else {
      for (let i = 0; i < p.n; i++) this.ids.push(p.ids[i]);
      // both sides were built with the same options: slots come with slots
      if (this.slotIds) this.idSlots.set(p.idSlots!, k * ID_SLOT);
    }
    for (let a = 0; a < this.attrCols.length; a++) {
      const dst = this.attrCols[a], src = p.attrCols[a];
      for (let i = 0; i < p.n; i++) dst.push(src[i]);
    }
    this.n += p.n;
  }

  private grow(): void {
    this.cap *= 2;
    const g64 = (a: Float64Array) => { const b = new Float64Array(this.cap); b.set(a); return b; };
    this.t = g64(this.t); this.lat = g64(this.lat); this.lon = g64(this.lon);
    const c = new Uint16Array(this.cap); c.set(this.cat); this.cat = c;
    const l = new Int32Array(this.cap); l.set(this.line); this.line = l;
    if (this.slotIds) { const d = new Uint8Array(this.cap * ID_SLOT); d.set(this.idSlots); this.idSlots = d; }
  }

  /** True when ids are content hashes (no id column). */
  get hashedIds(): boolean {
    return this.hashed;
  }

  /**
   * The rows accepted since the last drain, then forget them (the category dictionary and counters stay). For
   * streaming into the store: hashed ids come back WITHOUT the "-k" repeat suffix, which the store's merge adds
   * (numbering repeats by line, as finish() does), since repeats may span drains.
   */
  drain(opts: { hashLanes?: boolean; reuse?: boolean } = {}): { n: number; id: string[]; idSlots?: Uint8Array; hashA?: Uint32Array; hashB?: Uint32Array; t: Float64Array; lat: Float64Array; lon: Float64Array; cat: Uint16Array; categories: string[]; lines: Int32Array; attrs: (string | null)[][]; attrNames: string[] } {
    const n = this.n;
    // hashLanes: the two 32-bit lanes of each content hash instead of its "h" + 16 hex digits id (the DuckDB
    // store formats the id in SQL; building 10^7 strings here cost more than the rest of the row)
    let hashA: Uint32Array | undefined, hashB: Uint32Array | undefined;
    if (this.hashedIds && opts.hashLanes) {
      hashA = new Uint32Array(n); hashB = new Uint32Array(n);
      for (let i = 0; i < n; i++) { hashA[i] = this.hashLanes[2 * i]; hashB[i] = this.hashLanes[2 * i + 1]; }
    }
    const id = this.hashedIds ? (hashA ? [] : Array.from({ length: n }, (_, i) => {
      HASH[0] = this.hashLanes[2 * i]; HASH[1] = this.hashLanes[2 * i + 1];
      return 'h' + hashHex();
    })) : this.ids;
    const out = {
      n, id, idSlots: this.slotIds ? this.idSlots.subarray(0, n * ID_SLOT) : undefined, hashA, hashB, t: this.t.subarray(0, n), lat: this.lat.subarray(0, n), lon: this.lon.subarray(0, n), cat: this.cat.subarray(0, n),
      categories: this.categories, lines: this.line.subarray(0, n), attrs: this.attrCols.map((c) => c), attrNames: this.cols.attrs.map((k) => this.cols.names[k]),
    };
    // fresh buffers: the caller may still hold the returned views while the next batch is read (`reuse`: it has
    // copied them before it returns, as the DuckDB store does, so the same buffers serve the next batch)
    this.n = 0;
    this.ids = [];
    if (!opts.reuse) {
      this.t = new Float64Array(this.cap); this.lat = new Float64Array(this.cap); this.lon = new Float64Array(this.cap);
      this.cat = new Uint16Array(this.cap); this.line = new Int32Array(this.cap);
      if (this.slotIds) this.idSlots = new Uint8Array(this.cap * ID_SLOT);
    }
    for (let k = 0; k < this.attrCols.length; k++) this.attrCols[k] = [];
    if (!opts.reuse) { this.hashCap = 0; this.hashKey = new Float64Array(0); this.hashLanes = new Uint32Array(0); }
    return out;
  }

  finish(): { table: IncidentTable; lines: Int32Array } {
    const n = this.n;
    if (this.hashCap > 0) this.hashIds();
    if (this.slotIds) for (let i = 0; i < n; i++) if (this.ids[i] === '') this.ids[i] = readIdSlot(this.idSlots, i * ID_SLOT);
    let attrs: Record<string, (string | null)[]> | undefined;
    if (this.cols.attrs.length) {
      attrs = {};
      this.cols.attrs.forEach((k, j) => { attrs![this.cols.names[k]] = this.attrCols[j]; });
    }
    return {
      table: {
        n, id: this.ids, t: this.t.slice(0, n), lat: this.lat.slice(0, n), lon: this.lon.slice(0, n), cat: this.cat.slice(0, n),
        categories: this.categories, tz: this.s.tz, attrs,
      },
      lines: this.line.slice(0, n),
    };
  }
}

function inBox(b: readonly number[], lon: number, lat: number): boolean {
  return lon >= b[0] && lat >= b[1] && lon <= b[2] && lat <= b[3];
}

function fail(reason: RejectReason): boolean {
  LOC.reason = reason;
  return false;
}
