/**
 * The ensemble's predictive distribution: a mixture of member distributions, Σ_m w_m F_m per cell.
 *
 * distribution-types.ts has parametric families and 'samples' but no mixture, so the mixture is carried as the
 * negative binomial with the mixture's exact mean and variance (Poisson when the variance does not exceed the mean):
 * - the mean is exact, so everything that ranks or scores means (PAI, PEI, hit rate, MAE, deviance) is exactly
 *   the mixture's; a 'samples' mixture would rank cells by a Monte-Carlo mean and jitter PAI;
 * - the log score stays finite and smooth: a sample mixture gives P(Y = y) = 0 to any count no draw hit, so the
 *   log score would be decided by Monte-Carlo luck (and the floor) rather than by the forecast;
 * - a count mixture of Poisson/NB members is over-dispersed, which is what the NB carries; when one member has
 *   all the weight (select-best) and is Poisson or NB, the NB is that member's distribution exactly.
 * Weights are fitted on the true mixture likelihood (weights.ts); only the reported law is moment-matched.
 * Bernoulli members (occurrence models) mix exactly into a Bernoulli, which is returned as such.
 */
import type { Forecast } from '../forecaster.js';
import { bernoulliForecast, negbinForecast, variance } from '../distribution.js';
/**
 * Mixes member forecasts with per-cell weights `weight[m * RC + j]` (j = r * C + c; the same for every horizon
 * step; each cell's weights sum to 1). `scale[j]` (default 1) multiplies each component's mean, for stacking
 * whose weights do not sum to one: a component with mean sμ and variance sμ + s²(v − μ) keeps the member's
 * dispersion (the same NB size k = μ²/(v − μ)).
 */
export function mixtureForecast(forecasts: Forecast[], weight: Float64Array, scale?: Float64Array): Forecast {
  const f0 = forecasts[0];
  const { horizon: H, regions: R, categories: C } = f0, RC = R * C, M = forecasts.length;
  if (weight.length !== M * RC) throw new RangeError(`mixtureForecast: ${weight.length} weights for ${M} members × ${RC} cells`);
  for (const f of forecasts) {
    if (f.horizon < H || f.regions !== R || f.categories !== C) throw new RangeError('mixtureForecast: member forecasts differ in shape');
  }
  const mean = new Float32Array(H * RC);
  if (!scale && forecasts.every((f) => f.dist.family === 'bernoulli')) {
    for (let h = 0; h < H; h++) {
      for (let j = 0; j < RC; j++) {
        let p = 0;
        for (let m = 0; m < M; m++) p += weight[m * RC + j] * forecasts[m].mean[h * RC + j];
        mean[h * RC + j] = p;
      }
    }
    return bernoulliForecast(mean, H, R, C);
  }
  const vars = forecasts.map(variance);
  const size = new Float32Array(H * RC);
  for (let h = 0; h < H; h++) {
    for (let j = 0; j < RC; j++) {
      const i = h * RC + j, s = scale ? scale[j] : 1;
      let mu = 0, second = 0;
      for (let m = 0; m < M; m++) {
        const w = weight[m * RC + j];
        if (w === 0) continue;
        const mm = forecasts[m].mean[i], v = vars[m][i];
        const cm = s * mm, cv = Math.max(0, s * mm + s * s * (v - mm));
        mu += w * cm;
        second += w * (cv + cm * cm);
      }
      const excess = second - mu * mu - mu;
      mean[i] = mu;
      // relative tolerance: float32 member variances of a Poisson member must not turn into a huge finite size
      size[i] = excess > 1e-6 * mu ? (mu * mu) / excess : Infinity;
    }
  }
  return negbinForecast(mean, size, H, R, C);
}
