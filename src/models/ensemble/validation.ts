/**
 * Out-of-sample member forecasts on validation periods: the last V periods of the history the ensemble is fitted
 * on. Each member is fitted once on the history before them and forecasts each validation period one step ahead
 * from every period before it (predict with the longer history, no refit — as the backtest does between refits).
 * The ensemble is only ever handed the training history, so validation never touches a test period.
 */
import type { FitOptions, Forecast, Forecaster, History } from '../forecaster.js';
import { createForecaster } from '../registry.js';
import { logPmf } from '../distribution.js';
import { historyBefore } from '../history-prefix.js';
import { historyKey, memberCache } from './member-cache.js';

/** log of the probability floor of the backtest's log score (evaluate/metrics/scores.ts), so validation ranks members as the test will. */
const LOG_SCORE_FLOOR_LOG = Math.log(1e-12);

export interface ValidationSet {
  /** Validation periods (history indices [from, from + periods)). */
  from: number;
  periods: number;
  regions: number;
  categories: number;
  /** Observed counts, [v][r][c]. */
  y: Float64Array;
  /** Per member: forecast mean, [v][r][c]. */
  mean: Float64Array[];
  /** Per member: log P(Y = y) of what happened (floored like the backtest's log score). */
  logp: Float64Array[];
}

/** Validation periods actually used: at most `wanted`, and at most half the history so members keep something to learn from. */
export function validationPeriods(historyPeriods: number, wanted: number): number {
  return Math.max(0, Math.min(wanted, Math.floor(historyPeriods / 2)));
}

/** A member fitted on some history, with the cache key of that fit. */
export interface FittedMember { key: string; model: Forecaster }

/** The member `spec` fitted on `history` (shared with other ensembles that fit the same member on the same data). */
export async function fittedMember(spec: string, history: History, opts?: FitOptions): Promise<FittedMember> {
  const key = historyKey(spec, opts?.seed, history);
  let model = memberCache.fitted(key);
  if (!model) {
    model = createForecaster(spec);
    await model.fit(history, opts);
    memberCache.storeFitted(key, model);
  }
  return { key, model };
}

/** The fitted member's forecast from `history` (shared likewise). */
export async function memberForecast(m: FittedMember, history: History, horizon: number): Promise<Forecast> {
  const key = `${m.key}\u0001${historyKey('', undefined, history)}\u0001${horizon}`;
  let f = memberCache.forecast(key);
  if (!f) {
    await m.model.update?.(history);
    f = await m.model.predict(history, horizon);
    memberCache.storeForecast(key, f);
  }
  return f;
}

export async function collectValidation(
  specs: string[], history: History, wanted: number, opts?: FitOptions,
): Promise<ValidationSet | undefined> {
  const T = history.tensor.periods, { regions: R, categories: C } = history.tensor, RC = R * C;
  const V = validationPeriods(T, wanted);
  if (V < 1) return undefined;
  const from = T - V;
  const y = new Float64Array(V * RC);
  for (let i = 0; i < V * RC; i++) y[i] = history.tensor.data[from * RC + i];
  const mean: Float64Array[] = [], logp: Float64Array[] = [];
  for (const spec of specs) {
    const key = `${historyKey(spec, opts?.seed, history)}\u0000${V}`;
    let got = memberCache.validation(key);
    if (!got) {
      const m = (await fittedMember(spec, historyBefore(history, from), opts)).model;
      got = { mean: new Float64Array(V * RC), logp: new Float64Array(V * RC) };
      for (let v = 0; v < V; v++) {
        const hv = historyBefore(history, from + v);
        if (v > 0) await m.update?.(hv);
        const f = await m.predict(hv, 1);
        for (let i = 0; i < RC; i++) {
          got.mean[v * RC + i] = f.mean[i];
          got.logp[v * RC + i] = Math.max(LOG_SCORE_FLOOR_LOG, logPmf(f, i, Math.round(y[v * RC + i])));
        }
      }
      memberCache.storeValidation(key, got);
    }
    mean.push(got.mean); logp.push(got.logp);
  }
  return { from, periods: V, regions: R, categories: C, y, mean, logp };
}
