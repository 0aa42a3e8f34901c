/**
 * Column statistics for linear models: missing values (NaN) are imputed with the training mean, then columns
 * are centred and scaled so penalties treat features alike. Constant columns get scale 1.
 */
export interface Standardizer {
  mean: Float64Array;
  scale: Float64Array;
}

export function fitStandardizer(X: Float32Array, nRows: number, nCols: number): Standardizer {
  const mean = new Float64Array(nCols), m2 = new Float64Array(nCols), cnt = new Float64Array(nCols);
  for (let i = 0; i < nRows; i++) {
    const o = i * nCols;
    for (let j = 0; j < nCols; j++) {
      const v = X[o + j];
      if (Number.isNaN(v)) continue;
      cnt[j]++;
      const d = v - mean[j];
      mean[j] += d / cnt[j];
      m2[j] += d * (v - mean[j]);
    }
  }
  const scale = new Float64Array(nCols);
  for (let j = 0; j < nCols; j++) {
    const sd = cnt[j] > 1 ? Math.sqrt(m2[j] / cnt[j]) : 0;
    scale[j] = sd > 1e-12 ? sd : 1;
    if (cnt[j] === 0) mean[j] = 0;
  }
  return { mean, scale };
}

/** Standardised copy as Float64 (row-major). */
export function applyStandardizer(s: Standardizer, X: Float32Array, nRows: number, nCols: number): Float64Array {
  const Z = new Float64Array(nRows * nCols);
  for (let i = 0; i < nRows; i++) {
    const o = i * nCols;
    for (let j = 0; j < nCols; j++) {
      const v = X[o + j];
      Z[o + j] = Number.isNaN(v) ? 0 : (v - s.mean[j]) / s.scale[j];
    }
  }
  return Z;
}
