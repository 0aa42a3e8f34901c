/**
 * Turning a point forecaster into a predictive distribution (issue #12): models that natively give only a
 * mean get a negative-binomial size fitted on their own one-step-ahead residuals over the last V periods of
 * the history — each of those periods forecast from the periods before it, so the fit never sees the future.
 */
import type { Forecast } from '../forecaster.js';
import type { CountTensor } from '../../tensor/count-tensor.js';
import { slicePeriods } from '../../tensor/count-tensor.js';
import { fitNegBinSize, withNegBin } from '../dispersion.js';
import { poissonForecast } from '../distribution.js';

/** Mean count per cell (regions × categories) for the period right after the end of `history`. */
export type OneStepMean = (history: CountTensor) => Float32Array;

export type CountFamily = 'poisson' | 'negbin';

/**
 * One-step forecasts of the last `V` periods of `tensor` (each from its own prefix) and the observed counts,
 * grouped by category: y[c] and mu[c] hold V × regions values each.
 */
export function oneStepResiduals(tensor: CountTensor, stepMean: OneStepMean, V: number): { y: Float64Array[]; mu: Float64Array[] } {
  const { regions: R, categories: C } = tensor;
  const RC = R * C;
  // keep at least one period of history for the first forecast
  const from = Math.max(1, tensor.periods - V);
  const n = (tensor.periods - from) * R;
  const y = Array.from({ length: C }, () => new Float64Array(n));
  const mu = Array.from({ length: C }, () => new Float64Array(n));
  let k = 0;
  for (let t = from; t < tensor.periods; t++) {
    const m = stepMean(slicePeriods(tensor, 0, t));
    const off = t * RC;
    for (let r = 0; r < R; r++, k++) {
      for (let c = 0; c < C; c++) {
        y[c][k] = tensor.data[off + r * C + c];
        mu[c][k] = m[r * C + c];
      }
    }
  }
  return { y, mu };
}

/**
 * Negative-binomial size per category from one-step residuals on the last V periods.
 * Infinity (Poisson) where the residuals show no over-dispersion or there is too little history.
 */
export function fitOneStepDispersion(tensor: CountTensor, stepMean: OneStepMean, V: number): Float64Array {
  const size = new Float64Array(tensor.categories).fill(Infinity);
  if (tensor.periods < 2 || V < 1) return size;
  const { y, mu } = oneStepResiduals(tensor, stepMean, V);
  for (let c = 0; c < tensor.categories; c++) size[c] = fitNegBinSize(y[c], mu[c]);
  return size;
}

/** Wrap a mean array [h][r][c] as a Poisson or negative-binomial Forecast (size per category). */
export function countForecast(mean: Float32Array, horizon: number, regions: number, categories: number, family: CountFamily, sizePerCategory?: ArrayLike<number>): Forecast {
  const f = poissonForecast(mean, horizon, regions, categories);
  return family === 'negbin' && sizePerCategory ? withNegBin(f, sizePerCategory) : f;
}
