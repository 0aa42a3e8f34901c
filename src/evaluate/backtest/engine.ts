/**
 * Rolling-origin backtest with no look-ahead. For each origin t (every `horizon` periods from testStart), the model
 * is fitted on the history strictly before t (re-fitted every `refitEvery` periods; in between, the engine calls
 * `update` with the longer history, and predict is handed it too) and forecasts periods [t, t + horizon). The engine
 * alone decides when a model fits: the counts and times it reports are the fits and updates that happened. Forecasts are stored as means and P(≥1) per
 * test period, with per-period per-category proper scores (log score, RPS) of what happened.
 */
import type { Forecast, Forecaster } from '../../models/forecaster.js';
import { createForecaster } from '../../models/registry.js';
import { probAtLeastOne } from '../../models/distribution.js';
import { scoreSumsPeriod } from '../metrics/scores.js';
import { lossOptimalPoints, type LossOptimalPoints } from '../point-forecasts.js';
import { Rng } from '../../util/rng.js';
import { UserError } from '../../util/errors.js';
import { HistoryViews, type BacktestData } from './history-views.js';
import { mergeFitSummaries, type RunFitSummary } from '../../models/fit-summary.js';
import type { FitSummary } from '../../models/forecaster.js';
import type { ExternalMark } from '../external/types.js';

export type { BacktestData } from './history-views.js';

export interface BacktestOptions {
  /** First test period (index into the tensor). */
  testStart: number;
  /** End of the test span, exclusive (default: the last period). */
  testEnd?: number;
  /** Periods forecast from each origin (default 1). */
  horizon?: number;
  /** Re-fit when at least this many periods passed since the last fit (default 1: every origin; Infinity: once). */
  refitEvery?: number;
  seed?: number;
  /** Keep every Forecast object (full predictive distributions), e.g. for CRPS or reports. */
  keepForecasts?: boolean;
  /**
   * Also store each period's loss-optimal point forecasts (median, median of Y | Y ≥ 1, masked-MAPE optimum), so
   * leaderboards can show a masked metric's named functional beside the mean (default true; off for occurrence data).
   */
  lossOptimal?: boolean;
  onProgress?: (done: number, total: number, message: string) => void;
}

export interface BacktestResult {
  spec: string;
  name: string;
  params: Readonly<Record<string, unknown>>;
  testStart: number;
  testEnd: number;
  regions: number;
  categories: number;
  /** Expected count, [period - testStart][r][c]. */
  mean: Float32Array;
  /** P(≥1 event), same layout. */
  pAny: Float32Array;
  /** Σ over regions of the log score −log P(Y = y) (P floored as in metrics/scores.ts), [period - testStart][c]. */
  logScore: Float64Array;
  /** Σ over regions of the ranked probability score (discrete CRPS), [period - testStart][c]. */
  rps: Float64Array;
  /** Distribution family of the forecasts. */
  family: string;
  /** Loss-optimal point forecasts, same layout as `mean` (absent for external rows and when turned off). */
  points?: LossOptimalPoints;
  /** Index of the origin (forecast block) each test period came from, and its step within the block. */
  origin: Int32Array;
  step: Int32Array;
  forecasts?: Forecast[];
  fits: number;
  /** Origins at which the model was updated (not refitted). */
  updates: number;
  fitMs: number;
  updateMs: number;
  predictMs: number;
  /** What the model did over the run: its fit summaries merged, with the engine's counts. */
  fitted: RunFitSummary;
  /** Set when the run did not go where it was asked to (e.g. worker threads requested, run in-process): why. */
  ranIn?: string;
  /** Set on forecasts read from a file (--external), not made by a model: the file, its hash and what it holds. */
  external?: ExternalMark;
}

/** A model as a spec string ("moving-average:window=30") or a ready instance. */
export type ModelInput = string | Forecaster;

export function modelOf(m: ModelInput): { spec: string; model: Forecaster } {
  if (typeof m === 'string') return { spec: m, model: createForecaster(m) };
  const params = Object.entries(m.params).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${String(v)}`).join(',');
  return { spec: params ? `${m.name}:${params}` : m.name, model: m };
}

export async function runBacktest(data: BacktestData, input: ModelInput, opts: BacktestOptions): Promise<BacktestResult> {
  const { tensor } = data;
  const { regions: R, categories: C } = tensor;
  const RC = R * C;
  const testStart = opts.testStart, testEnd = opts.testEnd ?? tensor.periods;
  const horizon = opts.horizon ?? 1, refitEvery = opts.refitEvery ?? 1;
  if (!(testStart >= 1 && testStart < testEnd && testEnd <= tensor.periods)) {
    throw new UserError(`backtest test span [${testStart}, ${testEnd}) must lie inside [1, ${tensor.periods}] with at least one history period`);
  }
  if (!(horizon >= 1) || !(refitEvery >= 1)) throw new UserError('backtest horizon and refitEvery must be ≥ 1');
  const { spec, model } = modelOf(input);
  const views = new HistoryViews(data);
  const T = testEnd - testStart;
  const mean = new Float32Array(T * RC), pAny = new Float32Array(T * RC), logScore = new Float64Array(T * C), rps = new Float64Array(T * C);
  const pitRng = new Rng(opts.seed ?? 1);
  let points: LossOptimalPoints | undefined = opts.lossOptimal === false ? undefined
    : { median: new Float32Array(T * RC), positiveMedian: new Float32Array(T * RC), positiveMape: new Float32Array(T * RC) };
  const origin = new Int32Array(T), step = new Int32Array(T);
  const forecasts: Forecast[] = [];
  let lastFit = -Infinity, fits = 0, updates = 0, frozenOrigins = 0, fitMs = 0, updateMs = 0, predictMs = 0, family = '';
  const summaries: FitSummary[] = [];
  const blocks = Math.ceil(T / horizon);
  for (let b = 0, t = testStart; t < testEnd; b++, t += horizon) {
    const h = Math.min(horizon, testEnd - t);
    const history = views.at(t);
    if (t - lastFit >= refitEvery) {
      const t0 = performance.now();
      await model.fit(history, { seed: opts.seed ?? 1 });
      fitMs += performance.now() - t0;
      lastFit = t; fits++;
      summaries.push(model.fitted());
    } else if (model.update) {
      const t0 = performance.now();
      await model.update(history);
      updateMs += performance.now() - t0;
      updates++;
    }
    if (fits > 0 && lastFit !== t && summaries[summaries.length - 1]?.betweenRefits === 'frozen') frozenOrigins++;
    const t1 = performance.now();
    const f = await model.predict(history, h);
    predictMs += performance.now() - t1;
    checkForecast(f, h, R, C, spec);
    family = f.dist.family;
    const p1 = probAtLeastOne(f);
    const off = (t - testStart) * RC;
    mean.set(f.mean.subarray(0, h * RC), off);
    pAny.set(p1.subarray(0, h * RC), off);
    // binary forecasts have no count functionals
    if (points && f.dist.family === 'bernoulli') points = undefined;
    if (points) {
      const q = lossOptimalPoints(f);
      points.median.set(q.median.subarray(0, h * RC), off);
      points.positiveMedian.set(q.positiveMedian.subarray(0, h * RC), off);
      points.positiveMape.set(q.positiveMape.subarray(0, h * RC), off);
    }
    for (let s = 0; s < h; s++) {
      const p = t - testStart + s;
      origin[p] = b; step[p] = s;
      const observed = tensor.data.subarray((t + s) * RC, (t + s + 1) * RC);
      const sums = scoreSumsPeriod(f, observed, pitRng, s * RC);
      logScore.set(sums.logScore, p * C);
      rps.set(sums.rps, p * C);
    }
    if (opts.keepForecasts) forecasts.push(f);
    opts.onProgress?.(b + 1, blocks, spec);
  }
  return {
    spec, name: model.name, params: model.params, testStart, testEnd, regions: R, categories: C,
    mean, pAny, logScore, rps, family, points, origin, step, forecasts: opts.keepForecasts ? forecasts : undefined, fits, updates, fitMs, updateMs, predictMs,
    fitted: mergeFitSummaries(summaries, { fits, updates, frozenOrigins, origins: blocks }),
  };
}

function checkForecast(f: Forecast, h: number, R: number, C: number, spec: string): void {
  if (f.horizon < h || f.regions !== R || f.categories !== C || f.mean.length < h * R * C) {
    throw new Error(`model ${spec} returned a forecast of shape ${f.horizon}×${f.regions}×${f.categories}, expected ${h}×${R}×${C}`);
  }
}
