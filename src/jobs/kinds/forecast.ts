/**
 * The `forecast` job (model fitting): fit one model on a whole dataset and forecast the next `horizon` periods.
 * The result holds area-level figures only — expected counts, P(≥1) and the flagged areas at a coverage — never
 * incident records.
 */
import { z } from 'zod';
import '../../models/all.js';
import { produceForecast } from '../../forecast/produce.js';
import { DatasetParams, loadJobDataset, modelSpec } from './dataset.js';
import { registerJobKind } from './registry.js';

export const ForecastParams = z.object({
  ...DatasetParams,
  model: modelSpec,
  horizon: z.number().int().min(1).default(1),
  /** Share of the total area to flag (default 0.02). */
  coverage: z.number().gt(0).lt(1).default(0.02),
  seed: z.number().int().default(1),
}).strict();

registerJobKind({
  kind: 'forecast',
  description: 'fit a model on a stored dataset or a synthetic city and forecast the next periods; result: expected counts per area',
  params: ForecastParams,
  async run(p, ctx) {
    const data = await loadJobDataset(p, ctx);
    ctx.progress(0.1, 'fitting');
    const f = await produceForecast(data, p.model, p.horizon, { coverage: p.coverage, seed: p.seed });
    ctx.progress(1, 'done');
    const round = (x: number) => Math.round(x * 1e6) / 1e6;
    return {
      model: f.model, params: f.params, unit: f.unit, tz: f.tz, categories: f.categories,
      periodStart: Array.from(f.periodStart), periodEnd: f.periodEnd, coverage: f.coverage, fitSeconds: f.fitSeconds,
      regionIds: f.regionIds, expected: Array.from(f.expected, round), pAny: Array.from(f.pAny, round),
      flagged: f.regionIds.filter((_, i) => f.flagged[i]),
    };
  },
});
