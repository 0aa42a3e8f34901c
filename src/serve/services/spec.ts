/** Request shapes shared by several endpoints (zod), and turning them into the library's inputs with 400s that say how to fix them. */
import { z } from 'zod';
import { parseUnitSpec } from '../../space/build-units.js';
import { parsePeriodUnit, type PeriodUnit } from '../../time/bins.js';
import { createForecaster } from '../../models/registry.js';
import '../../models/all.js';
import { HttpError } from '../http-error.js';
import { DATASET_NAME } from './datasets.js';

export const datasetName = z.string().regex(DATASET_NAME, 'letters, digits, ".", "_" or "-" (at most 64)');
export const modelSpec = z.string().min(1).max(300).describe('model spec, e.g. moving-average:window=30 (see GET /api/models)');
/** Only server-built unit sets: polygons:FILE would let a request read any file on the server. */
export const unitsSpec = z.string().regex(/^(grid:\d+(\.\d+)?|h3:\d+)$/, 'grid:METRES (e.g. grid:500) or h3:RES (e.g. h3:8)').default('grid:500');
export const periodName = z.enum(['hour', 'day', 'week', 'month']).default('day');
export const coverageShare = z.number().gt(0).lte(1).default(0.05).describe('share of the total area flagged, e.g. 0.05');

export interface AnalysisSpec { dataset: string; units: string; period: PeriodUnit; categories?: string[] }

export const analysisFields = {
  dataset: datasetName,
  units: unitsSpec,
  period: periodName,
  categories: z.array(z.string().min(1)).optional(),
};

/** Fail with 400 on a bad model spec before any data is loaded. */
export function checkModel(spec: string): void {
  try {
    createForecaster(spec);
  } catch (e) {
    throw new HttpError(400, (e as Error).message, 'GET /api/models lists the models and their parameters');
  }
}

/** Unit sets a request may build: grid cells of at least 50 m and H3 resolutions up to 10 (bounded work per request). */
export function checkUnits(spec: string): void {
  const { kind, value } = parseUnitSpec(spec);
  const v = Number(value);
  if (kind === 'grid' && !(v >= 50 && v <= 50_000)) throw new HttpError(400, `units "${spec}": grid cells must be 50–50000 m`, 'e.g. grid:500');
  if (kind === 'h3' && !(Number.isInteger(v) && v >= 0 && v <= 10)) throw new HttpError(400, `units "${spec}": H3 resolution must be 0–10`, 'e.g. h3:8');
}

export function periodOf(s: string): PeriodUnit {
  try { return parsePeriodUnit(s); } catch (e) { throw new HttpError(400, (e as Error).message); }
}
