/** The later periods of a backtest result (e.g. dropping validation periods that were backtested only to tune on). */
import type { BacktestResult } from './engine.js';

export function dropLeadingPeriods(res: BacktestResult, k: number): BacktestResult {
  const P = res.testEnd - res.testStart;
  if (!(k >= 0 && k <= P)) throw new RangeError(`dropLeadingPeriods: ${k} of ${P} periods`);
  const cells = res.regions * res.categories, C = res.categories;
  return {
    ...res,
    testStart: res.testStart + k,
    mean: res.mean.subarray(k * cells), pAny: res.pAny.subarray(k * cells),
    logScore: res.logScore.subarray(k * C), rps: res.rps.subarray(k * C),
    origin: res.origin.subarray(k), step: res.step.subarray(k),
    // one forecast per origin; with horizon 1 that is one per period
    forecasts: res.forecasts && res.forecasts.length === P ? res.forecasts.slice(k) : res.forecasts,
  };
}
