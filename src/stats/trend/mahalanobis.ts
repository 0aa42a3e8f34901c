/**
 * Mahalanobis distance between areas' feature vectors (trend slope, seasonal amplitude, mean level, …):
 * Euclidean distance after whitening by the features' covariance, so correlated or large-scale features do not
 * dominate. A small ridge (λ·mean variance on the diagonal) keeps it defined when features are collinear.
 */
import { solveSymmetric } from '../../util/dense-matrix.js';

export interface MahalanobisMetric {
  mean: Float64Array;
  /** Inverse covariance (d × d row-major). */
  precision: Float64Array;
  dim: number;
  distance(a: ArrayLike<number>, b: ArrayLike<number>): number;
}

/** Fit the metric on rows of X (n × d row-major). */
export function fitMahalanobis(X: ArrayLike<number>, n: number, d: number, ridge = 1e-6): MahalanobisMetric {
  if (X.length !== n * d) throw new RangeError(`fitMahalanobis: ${X.length} values is not ${n} × ${d}`);
  if (n < 2) throw new RangeError('fitMahalanobis needs at least two rows');
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += X[i * d + j] / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) {
    const da = X[i * d + a] - mean[a];
    for (let b = 0; b < d; b++) cov[a * d + b] += (da * (X[i * d + b] - mean[b])) / (n - 1);
  }
  let tr = 0;
  for (let a = 0; a < d; a++) tr += cov[a * d + a] / d;
  for (let a = 0; a < d; a++) cov[a * d + a] += ridge * Math.max(tr, 1e-12);
  const precision = new Float64Array(d * d), e = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    e.fill(0); e[j] = 1;
    const col = solveSymmetric(cov, e, d);
    if (!col) throw new RangeError('fitMahalanobis: covariance is singular even after the ridge');
    for (let i = 0; i < d; i++) precision[i * d + j] = col[i];
  }
  return {
    mean, precision, dim: d,
    distance(a, b) {
      let s = 0;
      for (let i = 0; i < d; i++) {
        let row = 0;
        for (let j = 0; j < d; j++) row += precision[i * d + j] * (a[j] - b[j]);
        s += (a[i] - b[i]) * row;
      }
      return Math.sqrt(Math.max(0, s));
    },
  };
}
