/**
 * CrimeForecaster (Sun et al., ECML-PKDD 2020) Chicago 2015 protocol: daily binary occurrence in 77 community areas
 * × 8 categories (2015-01-23 … 2015-08-29, 219 days); each of the last 30 days (August 2015) is predicted from the
 * days before it; F1 over the 616 (area, category) columns, sklearn-style: macro = mean of column F1 (0 for a column
 * with no true and no predicted positive), micro = pooled.
 *
 * Deviations from the released code, on purpose: (1) it rescales test predictions with a MinMaxScaler fitted on the
 * test predictions themselves before thresholding at 0.5 — test-set information — which is NOT done here;
 * (2) its Chicago labels are shifted by one category relative to the features (label generator used
 * crime_type_id − 1); daily_binary_chicago.npy is the day sequence with features and labels aligned.
 * The paper's models see 8-day windows; here every model sees the whole past, and the window is a baseline parameter.
 */
import { readNpy, npyToFloat64 } from '../../tensor/npy.js';
import { createTensor, type CountTensor } from '../../tensor/count-tensor.js';
import { binningFromStart } from '../../time/bins.js';
import { UserError } from '../../util/errors.js';
import { runBacktests } from '../backtest/parallel.js';
import { columnConfusionPeriod, columnF1 } from '../metrics/occurrence.js';
import { buildUnits } from '../../space/build-units.js';
import type { SpatialUnits } from '../../space/units.js';
import { sharedDataPath } from './data-dir.js';
import { modelsNeed } from './needs.js';
import { registerProtocol } from './registry.js';
import { perPeriod, summarise } from './summarise.js';
import type { MetricDef, ProtocolOptions, ProtocolResult } from './types.js';

export const CRIMEFORECASTER_DATA = 'crimeforecaster-chicago2015/daily_binary_chicago.npy';
export const CRIMEFORECASTER_START = '2015-01-23';
export const CRIMEFORECASTER_TEST_DAYS = 30;

/** (days, areas, categories) binary array → CountTensor of local days from 2015-01-23 (America/Chicago). */
export function loadCrimeForecasterTensor(path: string): CountTensor {
  const a = readNpy(path);
  if (a.shape.length !== 3) throw new UserError(`${path}: expected (days, areas, categories), got (${a.shape})`);
  const [D, R, C] = a.shape;
  const tz = 'America/Chicago';
  return createTensor({
    periods: D, regions: R, categories: C,
    // the repository does not name its categories (ids come from crime_type.unique() order)
    categoryNames: Array.from({ length: C }, (_, c) => `cat${c}`),
    regionIds: Array.from({ length: R }, (_, r) => String(r)),
    periodStart: Float64Array.from(binningFromStart('day', tz, CRIMEFORECASTER_START, D).periodStart),
    unit: 'day', tz,
  }, Float32Array.from(npyToFloat64(a)));
}

/** Community-area polygons for models that need units (gnn, mlp/lstm neighbour inputs): area axis i is area number i + 1. */
export const CRIMEFORECASTER_UNITS = 'chicago-covariates/boundaries/community_areas.geojson';

export function loadCrimeForecasterUnits(path: string, regions: number): SpatialUnits {
  const units = buildUnits(`polygons:${path},id=area_numbe,order=id`);
  // the benchmark's area index i is community area i + 1 (verified in the data READMEs against the adjacency)
  if (units.n !== regions || units.ids.some((id, i) => Number(id) !== i + 1)) {
    throw new UserError(`${path}: expected community areas 1…${regions} in order, got ${units.n} regions (${units.ids.slice(0, 3).join(', ')}, …)`);
  }
  return units;
}

export async function runCrimeForecaster(models: string[], opts: ProtocolOptions = {}): Promise<ProtocolResult> {
  const tensor = loadCrimeForecasterTensor(sharedDataPath(CRIMEFORECASTER_DATA, opts.dataDir));
  const testEnd = tensor.periods, testStart = testEnd - CRIMEFORECASTER_TEST_DAYS;
  const RC = tensor.regions * tensor.categories;
  const threshold = opts.threshold ?? 0.5;
  const units = modelsNeed(models).units ? loadCrimeForecasterUnits(sharedDataPath(CRIMEFORECASTER_UNITS, opts.dataDir), tensor.regions) : undefined;
  const backtests = await runBacktests({ tensor, units }, models, {
    testStart, testEnd, horizon: 1, refitEvery: opts.refitEvery ?? 1, seed: opts.seed, workers: opts.workers,
    onModelProgress: (m, done, total) => opts.onProgress?.(models[m], done / total),
  });
  // fields: per-column tp, fp, fn (3 × RC)
  const K = 3 * RC;
  const split = (t: Float64Array) => ({ tp: t.subarray(0, RC), fp: t.subarray(RC, 2 * RC), fn: t.subarray(2 * RC) });
  const metrics: MetricDef[] = [
    { name: 'macroF1', better: 'higher', stat: (t) => columnF1(split(t)).macroF1 },
    { name: 'microF1', better: 'higher', stat: (t) => columnF1(split(t)).microF1 },
  ];
  const { reference, models: reports } = summarise(backtests, K, (res) => perPeriod(res, K, (row, p) => {
    columnConfusionPeriod(res.pAny.subarray(p * RC, (p + 1) * RC), tensor.data.subarray((testStart + p) * RC, (testStart + p + 1) * RC), threshold, split(row));
  }), metrics, opts);
  return {
    protocol: 'crimeforecaster',
    description: 'CrimeForecaster Chicago 2015: next-day occurrence in 77 community areas × 8 categories, test = last 30 days, column micro/macro F1',
    notes: [
      `Positive when P(≥1) ≥ ${threshold}; no rescaling of predictions by test-set statistics (the original code fits a MinMaxScaler on the test predictions).`,
      'Labels aligned with features (the released Chicago labels are shifted by one category).',
      'macroF1 averages F1 over all 616 (area, category) columns, 0 for columns with neither true nor predicted positives (sklearn zero_division=0).',
    ],
    categories: tensor.categoryNames, regionIds: tensor.regionIds,
    testPeriodStart: tensor.periodStart.slice(testStart, testEnd),
    reference, metricNames: metrics.map((m) => m.name), models: reports, backtests,
  };
}

registerProtocol({
  name: 'crimeforecaster',
  description: 'CrimeForecaster Chicago 2015 daily occurrence (column micro/macro F1, last 30 days)',
  run: runCrimeForecaster,
});
