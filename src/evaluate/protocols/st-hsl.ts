/**
 * ST-HSL (Li et al., ICDE 2022) Chicago protocol: daily counts on the 14 × 12 grid for THEFT, BATTERY, ASSAULT and
 * CRIMINAL DAMAGE; trn (609 days) + val (30) + tst (92) concatenated, each of the 92 test days forecast one step
 * ahead from every day before it. The paper's headline MAE / MAPE score only cells with a true count > 0
 * (`mask = label > 0` in utils.cal_metrics_r), which rewards predicting ≥ 1 everywhere, so unmasked MAE / RMSE,
 * Poisson deviance, log score and hot-spot metrics (hit rate, PAI, PEI at 1% and 5% of the area) are reported too.
 */
import { runBacktests } from '../backtest/parallel.js';
import { loadStshnData } from './stshn-data.js';
import { buildStshnGrid } from '../../space/stshn-grid.js';
import { countFields, periodPoints } from './count-fields.js';
import { FieldLayout } from './field-layout.js';
import { hotspotFields } from './hotspot-fields.js';
import { probabilityFields } from './probability-fields.js';
import { externalNotes, loadExternals } from '../external/load.js';
import { registerProtocol } from './registry.js';
import { perPeriod, summarise } from './summarise.js';
import type { ProtocolOptions, ProtocolResult } from './types.js';

export { STSHN_TENSORS as ST_HSL_DATA } from './stshn-data.js';
export const HOTSPOT_COVERAGES = [0.01, 0.05];

export async function runStHsl(models: string[], opts: ProtocolOptions = {}): Promise<ProtocolResult> {
  const { data, splits } = await loadStshnData(models, opts.dataDir);
  const { tensor } = data;
  const [testStart, testEnd] = splits.tst;
  const C = tensor.categories, RC = tensor.regions * C;
  const cats = tensor.categoryNames;
  // external files are read (and refused) before any model runs
  const units = data.units ?? buildStshnGrid();
  const externals = await loadExternals(opts.external, { tensor, units, testStart, testEnd, missing: opts.externalMissing ?? 'refuse' }, opts.seed);
  const modelRuns = await runBacktests(data, models, {
    testStart, testEnd, horizon: 1, refitEvery: opts.refitEvery ?? 1, seed: opts.seed, workers: opts.workers,
    onModelProgress: (m, done, total) => opts.onProgress?.(models[m], done / total),
  });
  const backtests = [...modelRuns, ...externals];
  const layout = new FieldLayout();
  const counts = countFields(layout, cats);
  const groups: Record<string, number[]> = { all: cats.map((_, c) => c) };
  cats.forEach((name, c) => { groups[name] = [c]; });
  // equal 3 km cells: coverage is a share of cells
  const own = externals.some((b) => b.external!.kind === 'boxes' || b.external!.kind === 'ranking');
  // occurrence scores only when a file forecasts P(≥1) alone; then every row with a P(≥1) is scored on them
  const prob = externals.some((b) => b.external!.kind === 'probability') ? probabilityFields(layout, cats) : undefined;
  const hot = hotspotFields(layout, C, groups, HOTSPOT_COVERAGES, undefined, undefined, undefined, { own });
  const { reference, models: reports, notes: ciNotes } = summarise(backtests, layout.K, (res) => perPeriod(res, layout.K, (row, p) => {
    const pred = res.mean.subarray(p * RC, (p + 1) * RC);
    const obs = tensor.data.subarray((testStart + p) * RC, (testStart + p + 1) * RC);
    counts.fill(row, pred, obs, res.logScore.subarray(p * C, (p + 1) * C), res.rps.subarray(p * C, (p + 1) * C), periodPoints(res, p, RC));
    hot.fill(row, pred, obs, res.external?.kind);
    prob?.fill(row, res.pAny.subarray(p * RC, (p + 1) * RC), obs);
  }), [...counts.metrics, ...(prob?.metrics ?? []), ...hot.metrics], opts, counts.diagnostics);
  return {
    protocol: 'st-hsl',
    description: 'ST-HSL Chicago 2016-17: one-day-ahead counts on a 14×12 grid, 4 categories, test Oct–Dec 2017 (92 days)',
    notes: [
      'History = trn + val + all test days before the forecast day; each test day is forecast from the days before it.',
      'maskedMAE / maskedMAPE score only (region, day) cells with y > 0, as the ST-HSL code does; the point forecast is the predictive mean.',
      'Unmasked MAE / RMSE / Poisson deviance / log score and hot-spot metrics are reported because the masked metrics reward over-prediction.',
      'Hot spots rank regions by the forecast mean; all cells have equal area, so coverage is a share of the 168 cells.',
      ...externalNotes(backtests),
      ...ciNotes,
    ],
    categories: cats, regionIds: tensor.regionIds,
    testPeriodStart: tensor.periodStart.slice(testStart, testEnd),
    reference, metricNames: [...counts.metrics, ...(prob?.metrics ?? []), ...hot.metrics].map((m) => m.name), models: reports, backtests,
    observed: tensor.data.slice(testStart * RC, testEnd * RC), units,
  };
}

registerProtocol({
  name: 'st-hsl',
  description: 'ST-HSL Chicago daily counts (masked MAE/MAPE per category, plus unmasked and hot-spot metrics)',
  run: runStHsl,
  acceptsExternal: true,
});
