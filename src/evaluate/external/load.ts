/**
 * Loads every `--external` file of a run against its tensor, units and test span, and returns them as
 * BacktestResults marked `external: { file, sha256, kind }`. The loader is chosen by the file's extension:
 * .npy (count tensor), .csv / .parquet (long table), .geojson / .json (boxes).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { BacktestResult } from '../backtest/engine.js';
import { UserError } from '../../util/errors.js';
import { loadBoxes } from './boxes-geojson.js';
import { loadLongTable } from './long-table.js';
import { resolveMissing } from './missing.js';
import { loadNpyForecast } from './npy-forecast.js';
import { externalBacktest } from './to-backtest.js';
import type { ExternalContext, ExternalSpec, ExternalValues } from './types.js';

export async function loadExternal(spec: ExternalSpec, ctx: ExternalContext, seed = 1): Promise<BacktestResult> {
  if (!existsSync(spec.file)) throw new UserError(`--external ${spec.name}: file ${spec.file} not found`);
  const bytes = readFileSync(spec.file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const ext = extname(spec.file).toLowerCase();
  let v: ExternalValues;
  if (ext === '.npy') v = loadNpyForecast(spec, ctx, bytes);
  else if (ext === '.csv' || ext === '.parquet') v = await loadLongTable(spec, ctx);
  else if (ext === '.geojson' || ext === '.json') v = loadBoxes(spec, ctx);
  else if (ext === '.gpkg' || ext === '.shp' || ext === '.zip') {
    throw new UserError(`${spec.file}: GeoPackage / Shapefile boxes are not read`, 'convert them to GeoJSON (WGS84), e.g. ogr2ogr -f GeoJSON -t_srs EPSG:4326 boxes.geojson boxes.gpkg');
  } else throw new UserError(`${spec.file}: unknown forecast format "${ext}"`, 'use .npy (count tensor), .csv / .parquet (long table) or .geojson (boxes)');
  if (spec.negative && v.kind !== 'count') throw new UserError(`--external ${spec.name}: negative= applies to count forecasts only`);
  const missing = resolveMissing(spec, ctx, v);
  return externalBacktest(spec.name, ctx, v, {
    file: spec.file, sha256, kind: v.kind, notes: [...v.notes, ...missing.notes], skippedPeriods: missing.skippedPeriods,
  }, seed);
}

export async function loadExternals(specs: ExternalSpec[] | undefined, ctx: ExternalContext, seed = 1): Promise<BacktestResult[]> {
  const out: BacktestResult[] = [];
  for (const s of specs ?? []) out.push(await loadExternal(s, ctx, seed));
  return out;
}

/** One note line per external row, for the protocol's notes. */
export function externalNotes(backtests: BacktestResult[]): string[] {
  return backtests.filter((b) => b.external).map((b) => {
    const e = b.external!;
    return `external ${b.spec} (${e.kind}, ${e.file}, sha256 ${e.sha256.slice(0, 12)}…): ${e.notes.join('; ')}`;
  });
}
