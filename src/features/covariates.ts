/**
 * Joins a per-region covariate table (CSV, or GeoJSON feature properties) to a unit set by a key column,
 * keeping numeric columns. Regions missing from the table get NaN (and are listed), never silently dropped.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Covariates } from '../models/forecaster.js';
import { UserError } from '../util/errors.js';
import { numericCell, tallyLine, type MissingTally } from './numeric-cell.js';

export interface CovariateJoin {
  covariates: Covariates;
  /** Region ids with no row in the table. */
  missingRegions: string[];
  /** Table keys that match no region (e.g. a city-total row). */
  unmatchedKeys: string[];
  /** Per column: cells of matched rows that were blank or not a number, so became missing values. */
  missingValues: MissingTally[];
}

type Row = Record<string, unknown>;

function readRows(path: string): Row[] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  if (path.endsWith('.geojson') || path.endsWith('.json')) {
    const fc = JSON.parse(text) as { features?: { properties?: Row }[] };
    if (!Array.isArray(fc.features)) throw new UserError(`${path}: not a GeoJSON FeatureCollection`);
    return fc.features.map((f) => f.properties ?? {});
  }
  return parse(text, { columns: (h: string[]) => h.map((s) => s.trim()), skip_empty_lines: true }) as Row[];
}

/** Normalise join keys so "011", "11" and 11 match. */
function normKey(v: unknown): string {
  const s = String(v ?? '').trim();
  return /^\d+$/.test(s) ? String(Number(s)) : s.toUpperCase();
}

export function joinCovariates(path: string, regionIds: string[], key: string, columns?: string[]): CovariateJoin {
  const rows = readRows(path);
  if (rows.length === 0) throw new UserError(`${path}: no rows`);
  if (!(key in rows[0])) throw new UserError(`${path}: no key column "${key}" (columns: ${Object.keys(rows[0]).join(', ')})`);
  const numeric = (columns ?? Object.keys(rows[0]).filter((c) => c !== key)).filter((c) => {
    if (!(c in rows[0])) throw new UserError(`${path}: no column "${c}"`);
    return rows.some((r) => numericCell(r[c]).kind === 'value');
  });
  const byKey = new Map<string, Row>(), lineOf = new Map<Row, number>();
  rows.forEach((r, i) => {
    const k = normKey(r[key]);
    if (k !== '') byKey.set(k, r);
    lineOf.set(r, i + 2);
  });
  const missingValues: MissingTally[] = numeric.map((column) => ({ column, blank: 0, unparsable: 0, lines: [] }));
  const k = numeric.length;
  const values = new Float64Array(regionIds.length * k).fill(NaN);
  const missingRegions: string[] = [];
  const matched = new Set<string>();
  regionIds.forEach((id, i) => {
    const row = byKey.get(normKey(id));
    if (!row) { missingRegions.push(id); return; }
    matched.add(normKey(id));
    numeric.forEach((c, j) => {
      const cell = numericCell(row[c]);
      values[i * k + j] = cell.kind === 'value' ? cell.value : NaN;
      tallyLine(missingValues[j], cell, lineOf.get(row) ?? 0);
    });
  });
  const unmatchedKeys = [...byKey.keys()].filter((kk) => !matched.has(kk));
  return { covariates: { names: numeric.map((c) => c.trim()), values }, missingRegions, unmatchedKeys, missingValues };
}

/** Side-by-side concatenation of several covariate blocks for the same regions. */
export function mergeCovariates(blocks: Covariates[], regions: number): Covariates {
  const names = blocks.flatMap((b) => b.names);
  const k = names.length;
  const values = new Float64Array(regions * k);
  let off = 0;
  for (const b of blocks) {
    const kb = b.names.length;
    for (let r = 0; r < regions; r++) for (let j = 0; j < kb; j++) values[r * k + off + j] = b.values[r * kb + j];
    off += kb;
  }
  return { names, values };
}
