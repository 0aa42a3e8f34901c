/**
 * Dispersion for models that natively give only a mean: fit the negative-binomial size k by maximum likelihood
 * on validation residuals (y observed, μ the model's mean, μ held fixed), then attach it to a forecast.
 */
import type { Forecast } from './forecaster.js';
import { cellCount, negbinForecast } from './distribution.js';

const LOG_K_MIN = Math.log(1e-4);
const LOG_K_MAX = Math.log(1e9);

/**
 * NB log-likelihood in k, dropping the −log y! term that does not depend on k.
 * log Γ(y+k) − log Γ(k) = Σ_{j<y} log(k + j) is summed once per j using the count of observations with y > j.
 */
function makeLogLik(y: ArrayLike<number>, mu: ArrayLike<number>): (k: number) => number {
  const n = y.length;
  let maxY = 0;
  // cells with μ = 0 carry no information about k: leave them out of every term
  for (let i = 0; i < n; i++) if (mu[i] > 0) maxY = Math.max(maxY, Math.round(y[i]));
  const greater = new Float64Array(maxY + 1); // greater[j] = #{i : μ_i > 0, y_i > j}
  for (let i = 0; i < n; i++) { const yi = Math.round(y[i]); if (yi > 0 && mu[i] > 0) greater[yi - 1]++; }
  for (let j = maxY - 1; j >= 0; j--) greater[j] += greater[j + 1];
  return (k: number) => {
    let ll = 0;
    for (let j = 0; j < maxY; j++) if (greater[j] > 0) ll += greater[j] * Math.log(k + j);
    for (let i = 0; i < n; i++) {
      const m = mu[i];
      if (!(m > 0)) continue; // μ = 0 gives P(0) = 1 for every k: no information about k
      ll += -k * Math.log1p(m / k) + Math.round(y[i]) * (Math.log(m) - Math.log(k + m));
    }
    return ll;
  };
}

/**
 * Maximum-likelihood NB size k for counts `y` with known means `mu`.
 * Returns Infinity (Poisson) when there is no over-dispersion: the score in α = 1/k at α = 0 is
 * ½ Σ[(y − μ)² − y], so Σ(y − μ)² ≤ Σy means the likelihood does not increase away from Poisson.
 * Otherwise a golden-section search on log k in [1e-4, 1e9]; hitting the upper end also returns Infinity.
 */
export function fitNegBinSize(y: ArrayLike<number>, mu: ArrayLike<number>): number {
  if (y.length !== mu.length) throw new RangeError(`fitNegBinSize: ${y.length} counts but ${mu.length} means`);
  let score = 0;
  for (let i = 0; i < y.length; i++) {
    if (!(mu[i] > 0)) continue;
    const e = y[i] - mu[i];
    score += e * e - y[i];
  }
  if (!(score > 0)) return Infinity;
  const ll = makeLogLik(y, mu);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = LOG_K_MIN, b = LOG_K_MAX;
  let x1 = b - g * (b - a), x2 = a + g * (b - a);
  let f1 = ll(Math.exp(x1)), f2 = ll(Math.exp(x2));
  while (b - a > 1e-7) {
    if (f1 < f2) { a = x1; x1 = x2; f1 = f2; x2 = a + g * (b - a); f2 = ll(Math.exp(x2)); }
    else { b = x2; x2 = x1; f2 = f1; x1 = b - g * (b - a); f1 = ll(Math.exp(x1)); }
  }
  const logK = (a + b) / 2;
  return logK > LOG_K_MAX - 1e-3 ? Infinity : Math.exp(logK);
}

/**
 * One NB size per category from flat arrays laid out like a CountTensor or Forecast
 * (category of element i is i % categories).
 */
export function fitNegBinSizePerCategory(y: ArrayLike<number>, mu: ArrayLike<number>, categories: number): Float64Array {
  if (y.length !== mu.length || y.length % categories !== 0) throw new RangeError('fitNegBinSizePerCategory: length mismatch');
  const per = y.length / categories;
  const out = new Float64Array(categories);
  const yc = new Float64Array(per), mc = new Float64Array(per);
  for (let c = 0; c < categories; c++) {
    for (let j = 0; j < per; j++) { yc[j] = y[j * categories + c]; mc[j] = mu[j * categories + c]; }
    out[c] = fitNegBinSize(yc, mc);
  }
  return out;
}

/** The same means with an NB distribution whose size is shared within each category. */
export function withNegBin(f: Forecast, sizePerCategory: ArrayLike<number>): Forecast {
  if (sizePerCategory.length !== f.categories) throw new RangeError(`withNegBin: ${sizePerCategory.length} sizes for ${f.categories} categories`);
  const n = cellCount(f), size = new Float32Array(n);
  for (let i = 0; i < n; i++) size[i] = sizePerCategory[i % f.categories];
  return negbinForecast(f.mean, size, f.horizon, f.regions, f.categories);
}
