/**
 * From a Gaussian model's forecast (mean, variance) to a count distribution: crime counts are non-negative
 * integers, so the mean is floored at a small positive value and the predictive law is the negative binomial
 * with the same mean and variance (size k = μ²/(σ² − μ)), or Poisson when σ² ≤ μ (a Gaussian model cannot
 * express under-dispersion in a count law; Poisson is the closest). Neither puts mass below zero.
 */
export function countSizeFromMoments(mean: number, variance: number): number {
  if (!(variance > mean * (1 + 1e-9)) || !(mean > 0)) return Infinity;
  return Math.max(1e-3, (mean * mean) / (variance - mean));
}
