/**
 * A forecast for real use: fit a model on all data up to the cut-off and describe the next periods per region —
 * expected counts per category, P(≥1 event) over the horizon, rank and the flagged set at an area coverage.
 * Regions are ranked by expected count per unit area, so unequal units (beats, hexagons clipped at a boundary)
 * are flagged by density — what a fixed patrol area can cover.
 */
import type { Forecast, Forecaster, History } from '../models/forecaster.js';
import { createForecaster } from '../models/registry.js';
import { probAtLeastOne } from '../models/distribution.js';
import { flagOrder, flaggedCount } from '../evaluate/metrics/hotspot.js';
import { nextPeriodStarts } from '../time/bins.js';
import type { SpatialUnits } from '../space/units.js';

export interface ForecastProduct {
  model: string;
  params: Readonly<Record<string, unknown>>;
  /** Start of each forecast period (UTC ms) and the end of the last one. */
  periodStart: Float64Array;
  periodEnd: number;
  unit: string;
  tz: string;
  categories: string[];
  regionIds: string[];
  /** Expected count per region over the whole horizon, all categories. */
  expected: Float64Array;
  /** Expected count per region and category over the horizon, [r][c]. */
  expectedByCategory: Float64Array;
  /** P(at least one event of any forecast category in the region over the horizon), assuming independent cells. */
  pAny: Float64Array;
  /** 1 = highest expected density. */
  rank: Int32Array;
  flagged: Uint8Array;
  coverage: number;
  /** The full forecast ([h][r][c] means and distribution). */
  forecast: Forecast;
  fitSeconds: number;
  /** The fitted model (for explanations). */
  fitted: Forecaster;
}

export async function produceForecast(history: History & { units: SpatialUnits }, modelSpec: string, horizon: number, opts: { coverage?: number; seed?: number } = {}): Promise<ForecastProduct> {
  const model = createForecaster(modelSpec);
  const t0 = performance.now();
  await model.fit(history, { seed: opts.seed ?? 1 });
  const forecast = await model.predict(history, horizon);
  const fitSeconds = (performance.now() - t0) / 1000;
  const { regions: R, categories: C } = history.tensor;
  const p = probAtLeastOne(forecast);
  const expected = new Float64Array(R), byCat = new Float64Array(R * C), pNone = new Float64Array(R).fill(1);
  for (let h = 0; h < horizon; h++) for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) {
    const i = (h * R + r) * C + c;
    expected[r] += forecast.mean[i];
    byCat[r * C + c] += forecast.mean[i];
    pNone[r] *= 1 - p[i];
  }
  const area = history.units.area;
  const order = flagOrder(expected, area);
  const rank = new Int32Array(R);
  order.forEach((r, k) => { rank[r] = k + 1; });
  const coverage = opts.coverage ?? 0.05;
  const flagged = new Uint8Array(R);
  const k = flaggedCount(order, coverage, area);
  for (let j = 0; j < k; j++) flagged[order[j]] = 1;
  const starts = nextPeriodStarts(history.tensor, horizon + 1);
  return {
    model: model.name,
    params: model.params,
    periodStart: starts.subarray(0, horizon),
    periodEnd: starts[horizon],
    unit: history.tensor.unit,
    tz: history.tensor.tz,
    categories: history.tensor.categoryNames,
    regionIds: history.tensor.regionIds,
    expected,
    expectedByCategory: byCat,
    pAny: Float64Array.from(pNone, (v) => 1 - v),
    rank,
    flagged,
    coverage,
    forecast,
    fitSeconds,
    fitted: model,
  };
}
