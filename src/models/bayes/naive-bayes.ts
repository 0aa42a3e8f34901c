/**
 * Gaussian naive Bayes for occurrence (y ≥ 1): per-class mean and variance of each feature, missing values
 * skipped in the likelihood, variance floored (like sklearn's var_smoothing) so constant features don't explode.
 */
import type { Learner, LearnerFitOptions } from '../learned/learner.js';

export class GaussianNaiveBayes implements Learner {
  readonly target = 'occurrence' as const;
  private mean: Float64Array[] = [];
  private varc: Float64Array[] = [];
  private logPrior = new Float64Array(2);
  private nCols = 0;

  constructor(readonly varSmoothing = 1e-9) {}

  fit(X: Float32Array, nRows: number, nCols: number, y: Float32Array, opts: LearnerFitOptions = {}): void {
    this.nCols = nCols;
    const w = opts.sampleWeight;
    const sw = [new Float64Array(nCols), new Float64Array(nCols)];
    const s1 = [new Float64Array(nCols), new Float64Array(nCols)];
    const s2 = [new Float64Array(nCols), new Float64Array(nCols)];
    const prior = new Float64Array(2);
    let maxVar = 0;
    for (let i = 0; i < nRows; i++) {
      const c = y[i] > 0 ? 1 : 0, wi = w ? w[i] : 1;
      prior[c] += wi;
      for (let j = 0; j < nCols; j++) {
        const v = X[i * nCols + j];
        if (Number.isNaN(v)) continue;
        sw[c][j] += wi; s1[c][j] += wi * v; s2[c][j] += wi * v * v;
      }
    }
    this.mean = [0, 1].map((c) => Float64Array.from(s1[c], (s, j) => (sw[c][j] > 0 ? s / sw[c][j] : 0)));
    this.varc = [0, 1].map((c) => Float64Array.from(s2[c], (s, j) => {
      const m = this.mean[c][j];
      const v = sw[c][j] > 0 ? s / sw[c][j] - m * m : 0;
      if (v > maxVar) maxVar = v;
      return Math.max(v, 0);
    }));
    const eps = this.varSmoothing * Math.max(maxVar, 1);
    for (const v of this.varc) for (let j = 0; j < nCols; j++) v[j] += eps;
    const tot = prior[0] + prior[1];
    this.logPrior = Float64Array.from(prior, (p) => Math.log(Math.max(p, 1e-12) / tot));
  }

  predict(X: Float32Array, nRows: number): Float32Array {
    const out = new Float32Array(nRows);
    const p = this.nCols;
    for (let i = 0; i < nRows; i++) {
      const ll = [this.logPrior[0], this.logPrior[1]];
      for (let c = 0; c < 2; c++) for (let j = 0; j < p; j++) {
        const v = X[i * p + j];
        if (Number.isNaN(v)) continue;
        const d = v - this.mean[c][j], s = this.varc[c][j];
        ll[c] -= 0.5 * (Math.log(2 * Math.PI * s) + (d * d) / s);
      }
      out[i] = 1 / (1 + Math.exp(ll[0] - ll[1]));
    }
    return out;
  }
}
