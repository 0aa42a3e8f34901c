/**
 * GeoJSON point FeatureCollection → RowBatch. Properties become columns (union over all features) and the point
 * geometry becomes the columns __lon / __lat. The file is parsed whole: FeatureCollections from open-data portals
 * are bounded by their export limits, and a streaming JSON parser would need another dependency.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../../util/errors.js';
import type { RowBatch } from './csv-tokenizer.js';

export async function readGeoJsonRows(path: string): Promise<{ names: string[]; batch: RowBatch }> {
  let doc: { type?: string; features?: unknown[] };
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    // JSON.parse's message quotes the text around the error: never echo file content
    throw new UserError(`${path}: not valid JSON`, 'check that the file is a complete GeoJSON FeatureCollection');
  }
  if (doc?.type !== 'FeatureCollection' || !Array.isArray(doc.features)) throw new UserError(`${path}: not a GeoJSON FeatureCollection`);
  const feats = doc.features as { properties?: Record<string, unknown> | null; geometry?: { type?: string; coordinates?: unknown } | null }[];
  const colOf = new Map<string, number>();
  const names: string[] = [];
  for (const f of feats) for (const k of Object.keys(f?.properties ?? {})) if (!colOf.has(k)) { colOf.set(k, names.length); names.push(k); }
  const lonCol = names.length, latCol = names.length + 1;
  names.push('__lon', '__lat');
  const w = names.length, n = feats.length;
  const fields = new Array<string>(n * w).fill('');
  const fieldStart = new Int32Array(n + 1), line = new Int32Array(n), rawStart = new Int32Array(n), rawEnd = new Int32Array(n);
  const raws: string[] = new Array(n);
  let off = 0;
  for (let i = 0; i < n; i++) {
    const f = feats[i];
    const base = i * w;
    fieldStart[i] = base;
    line[i] = i + 1;
    for (const [k, v] of Object.entries(f?.properties ?? {})) {
      if (v !== null && v !== undefined) fields[base + colOf.get(k)!] = typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    const g = f?.geometry;
    if (g?.type === 'Point' && Array.isArray(g.coordinates) && g.coordinates.length >= 2) {
      fields[base + lonCol] = String(g.coordinates[0]);
      fields[base + latCol] = String(g.coordinates[1]);
    }
    raws[i] = JSON.stringify(f);
    rawStart[i] = off;
    off += raws[i].length;
    rawEnd[i] = off;
    off += 1;
  }
  fieldStart[n] = n * w;
  return { names, batch: { n, fields, fieldStart, line, text: raws.join('\n'), rawStart, rawEnd } };
}
