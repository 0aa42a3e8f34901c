/**
 * Where a job's data comes from — a dataset in the store or a synthetic city — and how it is discretised; the
 * built dataset is cached per worker thread, so a grid search's many small jobs on one dataset load it once.
 */
import { z } from 'zod';
import { createForecaster } from '../../models/registry.js';
import { openIncidentStore } from '../../store/open.js';
import { syntheticCityTable } from '../../store/synthetic-city.js';
import { buildDataset, type Dataset } from '../../tensor/dataset.js';
import { parsePeriodUnit } from '../../time/bins.js';
import { UserError } from '../../util/errors.js';
import type { JobContext } from './registry.js';

export const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a local date YYYY-MM-DD');

export const JobData = z.union([
  z.object({
    /** Store location (DuckDB path or postgres:// URL); default: the worker's --store. */
    store: z.string().optional(),
    dataset: z.string(),
    from: localDate.optional(),
    to: localDate.optional(),
  }).strict(),
  z.object({
    synthetic: z.object({
      incidents: z.number().int().min(1).max(5_000_000),
      days: z.number().int().min(2).default(365),
      seed: z.number().int().default(1),
      hotspots: z.number().int().min(1).optional(),
    }).strict(),
  }).strict(),
]);

/** A model spec the registry accepts (checked when the job is submitted, not when it runs). */
export const modelSpec = z.string().superRefine((spec, ctx) => {
  try { createForecaster(spec); } catch (e) { ctx.addIssue({ code: 'custom', message: (e as Error).message }); }
});

/** Schema fields shared by every job that works on a discretised dataset. */
export const DatasetParams = {
  data: JobData,
  units: z.string().default('grid:1000'),
  period: z.string().default('day'),
  categories: z.array(z.string()).optional(),
};

export interface JobDatasetParams { data: z.infer<typeof JobData>; units: string; period: string; categories?: string[] }

export async function loadJobDataset(p: JobDatasetParams, ctx: JobContext): Promise<Dataset> {
  const key = JSON.stringify([p.data, p.units, p.period, p.categories ?? null]);
  const hit = ctx.cache.get(key) as Dataset | undefined;
  if (hit) return hit;
  let table;
  if ('synthetic' in p.data) {
    table = syntheticCityTable(p.data.synthetic);
  } else {
    const store = await openIncidentStore(p.data.store ?? ctx.store);
    try {
      table = await store.loadIncidents({ dataset: p.data.dataset, from: p.data.from, to: p.data.to });
    } finally {
      await store.close();
    }
    if (table.n === 0) throw new UserError(`dataset "${p.data.dataset}" has no incidents in the selection`);
  }
  const data = buildDataset(table, { units: p.units, period: parsePeriodUnit(p.period), categories: p.categories });
  ctx.cache.clear(); // one dataset per thread is enough for a grid search and bounds memory
  ctx.cache.set(key, data);
  return data;
}

