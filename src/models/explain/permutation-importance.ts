/**
 * Permutation importance (Breiman 2001; model-agnostic): the increase in a loss when one feature's column is
 * shuffled, averaged over repeats. Works for every learner, so every model gets an explanation.
 */
import { Rng } from '../../util/rng.js';

export interface Importance {
  names: string[];
  /** Mean loss increase per feature, and its standard deviation over repeats. */
  mean: Float64Array;
  std: Float64Array;
  baseline: number;
}

export function permutationImportance(
  predict: (X: Float32Array, nRows: number) => Float32Array,
  X: Float32Array, nRows: number, nCols: number, y: ArrayLike<number>, names: string[],
  loss: (y: ArrayLike<number>, pred: Float32Array) => number,
  opts: { repeats?: number; seed?: number } = {},
): Importance {
  const repeats = opts.repeats ?? 5;
  const rng = new Rng(opts.seed ?? 1);
  const baseline = loss(y, predict(X, nRows));
  const mean = new Float64Array(nCols), std = new Float64Array(nCols);
  const Xp = Float32Array.from(X);
  const col = new Float32Array(nRows);
  const perm = new Int32Array(nRows);
  for (let j = 0; j < nCols; j++) {
    for (let i = 0; i < nRows; i++) col[i] = X[i * nCols + j];
    const inc: number[] = [];
    for (let r = 0; r < repeats; r++) {
      for (let i = 0; i < nRows; i++) perm[i] = i;
      rng.shuffle(perm);
      for (let i = 0; i < nRows; i++) Xp[i * nCols + j] = col[perm[i]];
      inc.push(loss(y, predict(Xp, nRows)) - baseline);
    }
    for (let i = 0; i < nRows; i++) Xp[i * nCols + j] = col[i];
    const m = inc.reduce((a, b) => a + b, 0) / repeats;
    mean[j] = m;
    std[j] = Math.sqrt(inc.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, repeats - 1));
  }
  return { names, mean, std, baseline };
}

/** Poisson deviance per row (the loss for count models). */
export function poissonDevianceLoss(y: ArrayLike<number>, mu: Float32Array): number {
  let s = 0;
  for (let i = 0; i < mu.length; i++) {
    const m = Math.max(mu[i], 1e-9);
    s += 2 * ((y[i] > 0 ? y[i] * Math.log(y[i] / m) : 0) - (y[i] - m));
  }
  return s / mu.length;
}

/** Log loss per row (the loss for occurrence models). */
export function logLoss(y: ArrayLike<number>, p: Float32Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(Math.max(p[i], 1e-7), 1 - 1e-7);
    s -= y[i] > 0 ? Math.log(q) : Math.log(1 - q);
  }
  return s / p.length;
}
