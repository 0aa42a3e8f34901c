/**
 * Rolling-origin evaluation of any dataset (incidents discretised by the user's units and periods): the engine of
 * `crimecast backtest` on one's own data and of the fine-scale protocols. Scores count metrics per category
 * (MAE, RMSE, deviance, masked MAE/MAPE, log score, RPS) and hot-spot metrics at area coverages, with bootstrap
 * CIs over test periods and paired tests against a reference model.
 */
import type { BacktestData } from '../backtest/engine.js';
import { runBacktests } from '../backtest/parallel.js';
import { countFields, periodPoints } from './count-fields.js';
import { FieldLayout } from './field-layout.js';
import { hotspotFields } from './hotspot-fields.js';
import { probabilityFields } from './probability-fields.js';
import { perPeriod, summarise } from './summarise.js';
import { externalNotes, loadExternals } from '../external/load.js';
import type { ProtocolOptions, ProtocolResult } from './types.js';
import type { SpatialUnits } from '../../space/units.js';

export interface RollingOptions extends ProtocolOptions {
  testStart: number;
  testEnd?: number;
  horizon?: number;
  /** Area coverages for hit rate / PAI / PEI (default 0.5%, 1%, 2%, 5%). */
  coverages?: number[];
  name?: string;
  description?: string;
  notes?: string[];
  /** Coverage as a share of cells rather than of the units' area (equal-area grids, as ST-HSL counts them). */
  equalArea?: boolean;
  /** Units that --external files are keyed by, when the models were not given units. */
  externalUnits?: SpatialUnits;
}

export const DEFAULT_COVERAGES = [0.005, 0.01, 0.02, 0.05];

export async function runRolling(data: BacktestData, models: string[], o: RollingOptions): Promise<ProtocolResult> {
  const { tensor } = data;
  const testEnd = o.testEnd ?? tensor.periods;
  const C = tensor.categories, RC = tensor.regions * C;
  const cats = tensor.categoryNames;
  // external files are read (and refused) before any model runs
  const externals = await loadExternals(o.external, { tensor, units: data.units ?? o.externalUnits, testStart: o.testStart, testEnd, missing: o.externalMissing ?? 'refuse' }, o.seed);
  const modelRuns = await runBacktests(data, models, {
    testStart: o.testStart, testEnd, horizon: o.horizon ?? 1, refitEvery: o.refitEvery ?? 1, seed: o.seed, workers: o.workers,
    onModelProgress: (m, done, total) => o.onProgress?.(models[m], done / total),
  });
  const backtests = [...modelRuns, ...externals];
  const layout = new FieldLayout();
  const counts = countFields(layout, cats);
  const groups: Record<string, number[]> = { all: cats.map((_, c) => c) };
  if (C > 1) cats.forEach((name, c) => { groups[name] = [c]; });
  const own = externals.some((b) => b.external!.kind === 'boxes' || b.external!.kind === 'ranking');
  // occurrence scores only when a file forecasts P(≥1) alone; then every row with a P(≥1) is scored on them
  const prob = externals.some((b) => b.external!.kind === 'probability') ? probabilityFields(layout, cats) : undefined;
  const hot = hotspotFields(layout, C, groups, o.coverages ?? DEFAULT_COVERAGES, o.equalArea ? undefined : data.units?.area, undefined, undefined, { own });
  const metrics = [...counts.metrics, ...(prob?.metrics ?? []), ...hot.metrics];
  const { reference, models: reports, notes: ciNotes } = summarise(backtests, layout.K, (res) => perPeriod(res, layout.K, (row, p) => {
    const pred = res.mean.subarray(p * RC, (p + 1) * RC);
    const t = o.testStart + p;
    const obs = tensor.data.subarray(t * RC, (t + 1) * RC);
    counts.fill(row, pred, obs, res.logScore.subarray(p * C, (p + 1) * C), res.rps.subarray(p * C, (p + 1) * C), periodPoints(res, p, RC));
    hot.fill(row, pred, obs, res.external?.kind);
    prob?.fill(row, res.pAny.subarray(p * RC, (p + 1) * RC), obs);
  }), metrics, o, counts.diagnostics);
  return {
    protocol: o.name ?? 'rolling',
    description: o.description ?? `rolling-origin backtest, ${testEnd - o.testStart} ${tensor.unit} test periods, ${tensor.regions} regions`,
    notes: [...(o.notes ?? [
      'Each test period is forecast from every period before it (no look-ahead); models are refitted every `refitEvery` periods.',
      'Hot spots rank regions by the forecast mean; coverage is a share of the total AREA of the units.',
    ]), ...externalNotes(backtests), ...ciNotes],
    categories: cats, regionIds: tensor.regionIds,
    testPeriodStart: tensor.periodStart.slice(o.testStart, testEnd),
    reference, metricNames: metrics.map((m) => m.name), models: reports, backtests,
    observed: tensor.data.slice(o.testStart * RC, testEnd * RC), units: data.units ?? o.externalUnits,
  };
}
