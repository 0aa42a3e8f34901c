/**
 * A forecast for real use: fit a model on all data up to the cut-off and describe the next periods per region —
 * expected counts per category, P(≥1 event) over the horizon, rank and the flagged set at an area coverage.
 * Regions are ranked by expected count per unit area, so unequal units (beats, hexagons clipped at a boundary)
 * are flagged by density — what a fixed patrol area can cover.
 */
import type { Forecast, Forecaster, History } from '../models/forecaster.js';
import { createForecaster } from '../models/registry.js';
import { probAtLeastOne, variance } from '../models/distribution.js';
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
  /** Things the reader must know: coverage not filled by zero-risk cells, a total far from the recent rate. */
  warnings: string[];
}

/**
 * What the per-region exports (GeoJSON, GeoPackage, Shapefile, KML, top places, region CSV) read: a forecast without
 * its fitted model and per-period distribution, small enough for the server to keep and save with a publication.
 */
export type RegionForecast = Omit<ForecastProduct, 'forecast' | 'fitted' | 'fitSeconds'>;

/** The per-region part of a product, with arrays of their own (periodStart is a view of a longer buffer). */
export function regionForecastOf(p: ForecastProduct): RegionForecast {
  return {
    model: p.model, params: { ...p.params }, periodStart: Float64Array.from(p.periodStart), periodEnd: p.periodEnd, unit: p.unit, tz: p.tz,
    categories: [...p.categories], regionIds: [...p.regionIds], expected: Float64Array.from(p.expected), expectedByCategory: Float64Array.from(p.expectedByCategory),
    pAny: Float64Array.from(p.pAny), rank: Int32Array.from(p.rank), flagged: Uint8Array.from(p.flagged), coverage: p.coverage, warnings: [...p.warnings],
  };
}

/** Periods of recent history the sanity check compares the forecast total with. */
const RECENT_PERIODS = 28;

/**
 * Does the forecast total sit inside its own 95% predictive interval around the recent rate? The interval of the
 * total treats cells as independent (variance = Σ cell variances), so it is narrow: a miss means the model's level
 * moved away from what just happened, which a reader should check before acting on it.
 */
export function totalVersusRecent(history: History, forecast: Forecast, horizon: number): string | undefined {
  const t = history.tensor, RC = t.regions * t.categories;
  const k = Math.min(RECENT_PERIODS, t.periods);
  if (k === 0) return undefined;
  let recent = 0;
  for (let i = (t.periods - k) * RC; i < t.periods * RC; i++) recent += t.data[i];
  const expectedRecent = (recent / k) * horizon;
  const v = variance(forecast);
  let total = 0, varTotal = 0;
  for (let i = 0; i < horizon * RC; i++) { total += forecast.mean[i]; varTotal += v[i]; }
  const sd = Math.sqrt(varTotal);
  if (!(sd > 0) || Math.abs(total - expectedRecent) <= 1.96 * sd) return undefined;
  const pct = (100 * (total / expectedRecent - 1)).toFixed(0);
  return `the forecast total ${total.toFixed(1)} is ${total > expectedRecent ? '+' : ''}${pct}% from the last ${k} periods' rate (${expectedRecent.toFixed(1)} over ${horizon} period${horizon === 1 ? '' : 's'}), outside the forecast's own 95% interval (±${(1.96 * sd).toFixed(1)}): check the model's level before acting on it`;
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
  const kCoverage = flaggedCount(order, coverage, area);
  // never flag a cell with no expected crime to fill the coverage (ties broken by index drew strips along the edge)
  let k = 0;
  while (k < kCoverage && expected[order[k]] > 0) k++;
  for (let j = 0; j < k; j++) flagged[order[j]] = 1;
  const warnings: string[] = [];
  if (k < kCoverage) warnings.push(`only ${k} regions have expected crime above zero: ${kCoverage - k} more would be needed to fill ${(100 * coverage).toFixed(1)}% of the area, and are not flagged`);
  const level = totalVersusRecent(history, forecast, horizon);
  if (level) warnings.push(level);
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
    warnings,
  };
}
