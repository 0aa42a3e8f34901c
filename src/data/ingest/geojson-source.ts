/**
 * GeoJSON point FeatureCollection → RowBatch. Properties become columns (union over all features) and the point
 * geometry becomes the columns __lon / __lat. The file is parsed whole: FeatureCollections from open-data portals
 * are bounded by their export limits, and a streaming JSON parser would need another dependency.
 *
 * Hostile files are bounded: only the columns the spec uses are materialised (30,000 distinct property keys once
 * took 3.2 GB as a features × keys grid), a feature nested deeper than MAX_DEPTH is a reject (JSON.stringify and
 * String() recurse and overflowed the stack at 10,000 levels), and properties named __lat/__lon are renamed so
 * they can never stand in for the geometry.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../../util/errors.js';
import { MALFORMED_NESTED, type RowBatch } from './csv-tokenizer.js';

export const MAX_DEPTH = 64;
export const GEOMETRY_LON = '__lon', GEOMETRY_LAT = '__lat';

type Feature = { properties?: unknown; geometry?: { type?: string; coordinates?: unknown } | null } | null;

export interface GeoJsonDoc {
  /** Property columns, then GEOMETRY_LON and GEOMETRY_LAT. */
  names: string[];
  features: Feature[];
}

/** Parse a FeatureCollection (text already decoded) and collect its column names. */
export async function readGeoJson(path: string, decode: (b: Uint8Array) => string): Promise<GeoJsonDoc> {
  let text = decode(await readFile(path));
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let doc: { type?: string; features?: unknown[] };
  try {
    doc = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the error: never echo file content
    throw new UserError(`${path}: not valid JSON`, 'check that the file is a complete GeoJSON FeatureCollection');
  }
  if (doc?.type !== 'FeatureCollection' || !Array.isArray(doc.features)) throw new UserError(`${path}: not a GeoJSON FeatureCollection`);
  const features = doc.features as Feature[];
  const seen = new Set<string>();
  const names: string[] = [];
  for (const f of features) {
    const p = propsOf(f);
    if (p) for (const k of Object.keys(p)) if (!seen.has(k)) { seen.add(k); names.push(columnName(k)); }
  }
  names.push(GEOMETRY_LON, GEOMETRY_LAT);
  return { names, features };
}

/** A property key as a column name: never one of the geometry's names. */
function columnName(key: string): string {
  return key === GEOMETRY_LON || key === GEOMETRY_LAT ? `properties.${key}` : key;
}

function propsOf(f: Feature): Record<string, unknown> | null {
  const p = f !== null && typeof f === 'object' ? f.properties : null;
  return p !== null && typeof p === 'object' && !Array.isArray(p) ? p as Record<string, unknown> : null;
}

/** The features as one batch holding only the columns `keep` (indices into doc.names), in that order. */
export function geoJsonBatch(doc: GeoJsonDoc, keep: number[]): RowBatch {
  const { names, features } = doc;
  const lonAt = keep.indexOf(names.length - 2), latAt = keep.indexOf(names.length - 1);
  const slot = new Map<string, number>();
  keep.forEach((k, j) => { if (k < names.length - 2) slot.set(names[k], j); });
  const w = keep.length, n = features.length;
  const fields = new Array<string>(n * w).fill('');
  const fieldStart = new Int32Array(n + 1), line = new Int32Array(n), rawStart = new Int32Array(n), rawEnd = new Int32Array(n);
  const malformed = new Uint8Array(n);
  const raws: string[] = new Array(n);
  let off = 0;
  for (let i = 0; i < n; i++) {
    const f = features[i];
    const base = i * w;
    fieldStart[i] = base;
    line[i] = i + 1;
    if (deeperThan(f, MAX_DEPTH)) {
      malformed[i] = MALFORMED_NESTED;
      raws[i] = `(feature ${i + 1} is nested more than ${MAX_DEPTH} levels deep; its text is not kept)`;
    } else {
      const p = propsOf(f);
      if (p) for (const [k, v] of Object.entries(p)) {
        const j = slot.get(columnName(k));
        if (j !== undefined && v !== null && v !== undefined) fields[base + j] = typeof v === 'object' ? JSON.stringify(v) : String(v);
      }
      const g = f?.geometry;
      if (g?.type === 'Point' && Array.isArray(g.coordinates) && g.coordinates.length >= 2) {
        if (lonAt >= 0) fields[base + lonAt] = coordinate(g.coordinates[0]);
        if (latAt >= 0) fields[base + latAt] = coordinate(g.coordinates[1]);
      }
      raws[i] = JSON.stringify(f) ?? 'null';
    }
    rawStart[i] = off;
    off += raws[i].length;
    rawEnd[i] = off;
    off += 1;
  }
  fieldStart[n] = n * w;
  return { n, fields, fieldStart, line, text: raws.join('\n'), rawStart, rawEnd, malformed };
}

/** A coordinate as text; anything but a number or a string (an array, an object) reads as not a number. */
function coordinate(v: unknown): string {
  return typeof v === 'number' ? String(v) : typeof v === 'string' ? v : 'NaN';
}

/** True when a JSON value nests deeper than `max` (iterative: the point is not to recurse on hostile input). */
export function deeperThan(v: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (x === null || typeof x !== 'object') continue;
    if (d >= max) return true;
    for (const y of Array.isArray(x) ? x : Object.values(x as object)) if (y !== null && typeof y === 'object') stack.push([y, d + 1]);
  }
  return false;
}
