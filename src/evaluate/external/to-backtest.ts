/**
 * A loaded external forecast as a BacktestResult, so it flows through the same protocol scoring, bootstrap CIs
 * and paired tests as a built-in model. Nothing is fitted. A count forecast is taken as the mean of a Poisson
 * distribution (the file states no other), which gives the log score, RPS and P(≥1); box and ranking forecasts
 * carry their risk score in `mean` and no distribution (their count and probabilistic scores are not defined); a
 * P(≥1) forecast is its own `pAny` and ranks hot spots by it (`mean`), with no count scores.
 */
import type { BacktestResult } from '../backtest/engine.js';
import { poissonForecast, probAtLeastOne } from '../../models/distribution.js';
import { mergeFitSummaries } from '../../models/fit-summary.js';
import { scoreSumsPeriod } from '../metrics/scores.js';
import { Rng } from '../../util/rng.js';
import type { ExternalContext, ExternalMark, ExternalValues } from './types.js';

export function externalBacktest(name: string, ctx: ExternalContext, v: ExternalValues, mark: ExternalMark, seed = 1): BacktestResult {
  const { tensor, testStart, testEnd } = ctx;
  const R = tensor.regions, C = tensor.categories, RC = R * C, T = testEnd - testStart;
  const logScore = new Float64Array(T * C), rps = new Float64Array(T * C);
  let pAny: Float32Array;
  if (v.kind === 'count') {
    pAny = new Float32Array(T * RC);
    const rng = new Rng(seed);
    const mu = new Float32Array(RC);
    for (let p = 0; p < T; p++) {
      const block = v.values.subarray(p * RC, (p + 1) * RC);
      for (let i = 0; i < RC; i++) mu[i] = block[i] > 0 ? block[i] : 0;
      const f = poissonForecast(mu, 1, R, C);
      const sums = scoreSumsPeriod(f, tensor.data.subarray((testStart + p) * RC, (testStart + p + 1) * RC), rng, 0);
      logScore.set(sums.logScore, p * C);
      rps.set(sums.rps, p * C);
      pAny.set(probAtLeastOne(f), p * RC);
    }
  } else if (v.kind === 'probability') {
    // ranked by P(≥1) for hot spots; no count distribution, so no count log score or RPS
    pAny = v.values;
    logScore.fill(NaN); rps.fill(NaN);
  } else {
    pAny = new Float32Array(T * RC).fill(NaN);
    logScore.fill(NaN); rps.fill(NaN);
  }
  const origin = Int32Array.from({ length: T }, (_, p) => p);
  return {
    spec: name, name: 'external', params: { file: mark.file }, testStart, testEnd, regions: R, categories: C,
    mean: v.values, pAny, logScore, rps, family: v.kind === 'count' ? 'poisson' : v.kind,
    origin, step: new Int32Array(T), fits: 0, updates: 0, fitMs: 0, updateMs: 0, predictMs: 0,
    fitted: mergeFitSummaries([], { fits: 0, updates: 0, frozenOrigins: 0, origins: T }),
    external: mark,
  };
}
